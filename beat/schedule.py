"""The beat schedule: one entry, the dispatcher, every ``COLLECTOR_DISPATCH_INTERVAL`` seconds.

Per-source timing lives in Redis (``collector.schedule``), not here, so sources can be added and
removed without restarting beat, and two beats running by mistake cannot double a fetch.
"""

from __future__ import annotations

from typing import Any

from collector.settings import Settings


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    return {
        "dispatch": {
            "task": "collector.dispatch",
            "schedule": settings.dispatch_interval,
            # A dispatch that waited longer than one interval is replaced by the next one.
            "options": {"queue": "manage", "expires": settings.dispatch_interval},
        }
    }
