"""Clocks: the wall clock for normal runs and a manual clock tests can advance."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Protocol

from simulator.timefmt import datetime_to_us


class Clock(Protocol):
    """Source of the current time in microseconds since the Unix epoch (UTC)."""

    def now_us(self) -> int:
        """Return the current time in microseconds."""
        ...


class SystemClock:
    """The real wall clock."""

    def now_us(self) -> int:
        """Return the current wall-clock time in microseconds."""
        return time.time_ns() // 1000


class ManualClock:
    """A clock that only moves when told to; thread-safe."""

    def __init__(self, start: datetime | int | None = None) -> None:
        if start is None:
            start_us = time.time_ns() // 1000
        elif isinstance(start, datetime):
            start_us = datetime_to_us(start)
        else:
            start_us = start
        self._now = start_us
        self._lock = threading.Lock()

    def now_us(self) -> int:
        """Return the current manual time in microseconds."""
        with self._lock:
            return self._now

    def advance(self, seconds: float = 0.0, *, microseconds: int = 0) -> int:
        """Move the clock forward and return the new time in microseconds."""
        if seconds < 0 or microseconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._now += round(seconds * 1_000_000) + microseconds
            return self._now
