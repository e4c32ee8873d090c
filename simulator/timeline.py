"""Sorted timestamp series with deliberate ties (objects sharing one exact microsecond)."""

from __future__ import annotations

import random

PAGE_BOUNDARY = 1000
"""Runs of equal timestamps are forced across every multiple of this position."""
_FORCED_RUN = 5


def spread_timestamps(
    rng: random.Random,
    count: int,
    start_us: int,
    end_us: int,
    tie_share: float,
    max_run: int,
) -> list[int]:
    """Return ``count`` sorted timestamps in ``[start_us, end_us]`` with runs of ties.

    About ``tie_share`` of the items fall into runs of 2..``max_run`` equal timestamps, and
    when ``tie_share`` is positive a run of five always straddles positions 1000, 2000, ...,
    so that ties fall across page boundaries whatever the page size that divides 1000.
    """
    if count == 0:
        return []
    span = max(end_us - start_us, 1)
    stamps = sorted(start_us + rng.randrange(span + 1) for _ in range(count))
    if tie_share <= 0:
        return stamps
    mean_run = (2 + max_run) / 2
    start_chance = tie_share / mean_run
    i = 0
    while i < count:
        if rng.random() < start_chance:
            run = rng.randint(2, max_run)
            end = min(i + run, count)
            stamps[i:end] = [stamps[i]] * (end - i)
            i = end
        else:
            i += 1
    for boundary in range(PAGE_BOUNDARY, count, PAGE_BOUNDARY):
        first = boundary - _FORCED_RUN // 2
        end = min(first + _FORCED_RUN, count)
        stamps[first:end] = [stamps[first]] * (end - first)
    return stamps
