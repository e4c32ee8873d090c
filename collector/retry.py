"""The retry policy, all of it: exponential backoff with jitter, Retry-After, a retry window."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    base: float = 30.0  # first delay (seconds)
    cap: float = 900.0  # no delay is longer (stays far below the broker's visibility timeout)
    window: float = 5400.0  # give up this long after the first failure of a streak

    def delay(self, failures: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait before try ``failures + 1``; honours the server's Retry-After."""
        ceiling = min(self.cap, self.base * 2 ** max(0, failures - 1))
        jittered = rng.uniform(ceiling / 2, ceiling)
        if retry_after is not None:
            return min(self.cap, max(retry_after, 0.0))
        return jittered

    def exhausted(self, streak_started: float, now: float) -> bool:
        return now - streak_started >= self.window
