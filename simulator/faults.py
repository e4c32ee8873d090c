"""Fault settings and the per-request decisions drawn from them."""

from __future__ import annotations

import dataclasses
import random
import threading
from dataclasses import dataclass
from typing import Any

LAST_PAGE_CURSORS = ("null", "string", "missing", "empty")
"""How ``nextCursor`` looks on a last page: JSON null, the string ``"null"``, no key, ``""``."""

_LAST_PAGE_ALIASES = {'"null"': "string", "none": "null"}


@dataclass(frozen=True, slots=True)
class FaultSettings:
    """Injected misbehaviour; all off by default."""

    error_rate: float = 0.0
    """Share of API requests answered with HTTP 500 and the internal-error envelope."""
    latency_ms: float = 0.0
    """Delay added to every API request."""
    hang_rate: float = 0.0
    """Share of API requests that stall for ``hang_seconds`` before answering."""
    hang_seconds: float = 30.0
    garbage_rate: float = 0.0
    """Share of API requests answered with an HTML page instead of JSON."""
    garbage_status: int = 502
    """HTTP status of the HTML page (200 and 502 are both seen behind proxies)."""
    last_page_cursor: str = "null"
    """One of :data:`LAST_PAGE_CURSORS`."""
    cursor_ttl: float | None = None
    """Seconds after which a cursor is rejected as invalid; ``None`` keeps cursors forever."""

    def __post_init__(self) -> None:
        for name in ("error_rate", "hang_rate", "garbage_rate"):
            rate = getattr(self, name)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {rate}")
        if self.latency_ms < 0 or self.hang_seconds < 0:
            raise ValueError("latency_ms and hang_seconds must not be negative")
        if self.cursor_ttl is not None and self.cursor_ttl <= 0:
            raise ValueError("cursor_ttl must be positive or None")
        if not 100 <= self.garbage_status <= 599:
            raise ValueError("garbage_status must be an HTTP status")
        cursor = _LAST_PAGE_ALIASES.get(self.last_page_cursor, self.last_page_cursor)
        if cursor not in LAST_PAGE_CURSORS:
            raise ValueError(f"last_page_cursor must be one of {LAST_PAGE_CURSORS}")
        object.__setattr__(self, "last_page_cursor", cursor)

    def updated(self, changes: dict[str, Any]) -> FaultSettings:
        """Return a copy with ``changes`` applied; unknown names raise ``ValueError``."""
        names = {field.name for field in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(unknown)}")
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """Return the settings as a JSON-ready dict."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """What happens to one request."""

    latency_s: float
    hang_s: float
    error: bool
    garbage: bool


class FaultInjector:
    """Holds the current settings and draws a deterministic plan for each request."""

    def __init__(self, settings: FaultSettings, seed: int) -> None:
        self._settings = settings
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    @property
    def settings(self) -> FaultSettings:
        """The settings in force."""
        return self._settings

    def replace(self, settings: FaultSettings) -> None:
        """Put new settings in force."""
        self._settings = settings

    def plan(self) -> FaultPlan:
        """Draw the faults for one API request."""
        s = self._settings
        with self._lock:
            hang = s.hang_rate > 0 and self._rng.random() < s.hang_rate
            error = s.error_rate > 0 and self._rng.random() < s.error_rate
            garbage = not error and s.garbage_rate > 0 and self._rng.random() < s.garbage_rate
        return FaultPlan(
            latency_s=s.latency_ms / 1000.0,
            hang_s=s.hang_seconds if hang else 0.0,
            error=error,
            garbage=garbage,
        )
