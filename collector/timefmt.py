"""SentinelOne timestamps: parsed leniently, written in the one form every console accepts.

The canonical form ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` also sorts as text in time order, which is how
watermarks are compared.
"""

from __future__ import annotations

from datetime import UTC, datetime

CANONICAL = "%Y-%m-%dT%H:%M:%S.%fZ"


def parse(value: str) -> datetime:
    """Parse ``...Z``, ``...+00:00``, with or without a fraction of any length up to 6 digits."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(CANONICAL)


def canonical(value: str) -> str:
    """The canonical text of any timestamp the console serves (fast path when already canonical)."""
    if len(value) == 27 and value[10] == "T" and value[19] == "." and value[26] == "Z":
        return value
    return format_ts(parse(value))


def from_unix(seconds: float) -> str:
    return format_ts(datetime.fromtimestamp(seconds, UTC))
