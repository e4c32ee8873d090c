"""Per-token, per-endpoint token-bucket rate limits as published for the console."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limit:
    """A sustained rate in requests per second and the burst allowed above it."""

    rate: float
    burst: float


LIMITS: dict[str, Limit] = {
    "activities": Limit(10, 30),
    "agents": Limit(25, 25),
    "threats": Limit(10, 50),
    "system/status": Limit(2, 2),
}
DEFAULT_LIMIT = Limit(5, 10)
"""For the endpoints the published table does not list."""


class RateLimiter:
    """Token buckets keyed by (caller, endpoint); time comes from the caller."""

    def __init__(self, enabled: bool, scale: float) -> None:
        self._enabled = enabled
        self._scale = scale
        self._buckets: dict[tuple[str, str], tuple[float, int]] = {}
        self._lock = threading.Lock()

    def acquire(self, caller: str, endpoint: str, now_us: int) -> float | None:
        """Take one request from the bucket; return ``None`` or the seconds to wait."""
        if not self._enabled:
            return None
        limit = LIMITS.get(endpoint, DEFAULT_LIMIT)
        rate = limit.rate * self._scale
        burst = max(1.0, limit.burst * self._scale)
        key = (caller, endpoint)
        with self._lock:
            tokens, last_us = self._buckets.get(key, (burst, now_us))
            tokens = min(burst, tokens + max(0, now_us - last_us) * rate / 1_000_000)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now_us)
                return None
            self._buckets[key] = (tokens, now_us)
            return (1.0 - tokens) / rate


def retry_after_seconds(wait_s: float) -> int:
    """``Retry-After`` is a whole number of seconds, at least one."""
    return max(1, math.ceil(wait_s))
