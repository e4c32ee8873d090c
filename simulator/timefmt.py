"""Timestamp formatting and parsing in the console's format (UTC, microseconds, ``Z``)."""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, datetime

US_PER_SECOND = 1_000_000

_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})?$"
)


class TimestampError(ValueError):
    """A timestamp query value the console would reject."""


US_PER_MINUTE = 60 * US_PER_SECOND
_MINUTE_CACHE_SIZE = 1 << 16
MINUTE_PREFIXES: dict[int, bytes] = {}
"""``YYYY-MM-DDTHH:MM:`` by minute number (see :func:`minute_prefix`)."""


def minute_prefix(minute: int) -> bytes:
    """``YYYY-MM-DDTHH:MM:`` of a minute since the epoch, cached: it is on the hot path of
    every page (callers may read :data:`MINUTE_PREFIXES` directly first)."""
    prefix = MINUTE_PREFIXES.get(minute)
    if prefix is None:
        if len(MINUTE_PREFIXES) >= _MINUTE_CACHE_SIZE:
            MINUTE_PREFIXES.clear()
        prefix = time.strftime("%Y-%m-%dT%H:%M:", time.gmtime(minute * 60)).encode()
        MINUTE_PREFIXES[minute] = prefix
    return prefix


def format_us(us: int) -> str:
    """Format microseconds since the epoch as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    minute, within = divmod(us, US_PER_MINUTE)
    seconds, fraction = divmod(within, US_PER_SECOND)
    return "%s%02d.%06dZ" % (minute_prefix(minute).decode(), seconds, fraction)  # noqa: UP031


def format_seconds(us: int) -> str:
    """Format microseconds since the epoch without a fraction (``...:SSZ``)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(us // US_PER_SECOND))


def datetime_to_us(value: datetime) -> int:
    """Convert an aware (or naive, taken as UTC) datetime to microseconds."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta = value - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * US_PER_SECOND + delta.microseconds


def parse_timestamp(text: str, *, allow_offset: bool = True) -> int:
    """Parse an ISO-8601 query value to microseconds since the epoch.

    ``Z`` is always accepted, a missing zone is read as UTC, and a numeric offset such as
    ``+00:00`` is accepted unless ``allow_offset`` is false.
    """
    match = _TIMESTAMP.match(text)
    if match is None:
        raise TimestampError(f"invalid timestamp: {text!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, zone = match.group(7), match.group(8)
    if zone not in (None, "Z") and not allow_offset:
        raise TimestampError(f"timestamps must be given in UTC with 'Z': {text!r}")
    try:
        datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise TimestampError(f"invalid timestamp: {text!r}") from exc
    seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    if zone not in (None, "Z"):
        sign = 1 if zone[0] == "+" else -1
        seconds -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    micros = int(fraction.ljust(6, "0")) if fraction else 0
    return seconds * US_PER_SECOND + micros
