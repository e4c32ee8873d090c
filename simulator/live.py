"""Live mode: new activities and object changes at configured rates, materialised lazily.

Events are scheduled at fixed intervals from the start time. Before each request the
engine calls :meth:`LiveFeed.advance`, which creates every event due by then with its
scheduled timestamp; since nothing was observable between two requests, this is
indistinguishable from a background writer.
"""

from __future__ import annotations

import random

from simulator.config import SimulatorConfig
from simulator.console import Console

_US = 1_000_000


class LiveFeed:
    """Turns elapsed time into due live events."""

    def __init__(self, config: SimulatorConfig, console: Console, start_us: int) -> None:
        self._console = console
        self._start = start_us
        self._rng = random.Random(config.seed + 2)
        self._activity_rate = config.live_activities_per_sec
        self._threat_rate = config.live_threat_updates_per_sec
        self._agent_rate = config.live_agent_updates_per_sec
        self._tie_share = config.tie_share
        self._late_share = config.late_share
        self._late_delay_us = round(config.late_delay * _US)
        self._activities = self._threats = self._agents = 0
        self._last_activity_us: int | None = None

    def _due(self, rate: float, now_us: int) -> int:
        return int((now_us - self._start) * rate / _US) if rate > 0 else 0

    def _at(self, number: int, rate: float) -> int:
        return self._start + int((number + 1) * _US / rate)

    def advance(self, now_us: int) -> None:
        """Create every live event scheduled up to ``now_us``."""
        console = self._console
        due = self._due(self._activity_rate, now_us)
        for number in range(self._activities, due):
            at = self._at(number, self._activity_rate)
            if self._last_activity_us is not None and self._rng.random() < self._tie_share:
                at = self._last_activity_us
            late = self._late_share > 0 and self._rng.random() < self._late_share
            console.add_activity(at, at + self._late_delay_us if late else at)
            self._last_activity_us = at
        self._activities = max(self._activities, due)
        if console.threat_refs:
            due = self._due(self._threat_rate, now_us)
            for number in range(self._threats, due):
                index = console.random_index(len(console.threat_refs))
                console.change_threat(index, self._at(number, self._threat_rate))
            self._threats = max(self._threats, due)
        if console.agent_refs:
            due = self._due(self._agent_rate, now_us)
            for number in range(self._agents, due):
                index = console.random_index(len(console.agent_refs))
                console.update_agent(index, self._at(number, self._agent_rate))
            self._agents = max(self._agents, due)
        console.promote(now_us)
