"""The simulated console's data: generated from the seed, then changed by live events."""

from __future__ import annotations

import heapq
import json
import random
from typing import Any

from simulator.activities import ActivityStore
from simulator.agents import AgentRef, agent_document, make_agent_ref, update_agent
from simulator.collection import Collection
from simulator.config import SimulatorConfig
from simulator.ids import IdAllocator, IdKind
from simulator.specs import ACTIVITIES, AGENTS, THREATS, agent_attributes, threat_attributes
from simulator.store import VersionStore
from simulator.threats import ThreatRef, change_threat, make_threat_ref, threat_document
from simulator.timeline import spread_timestamps
from simulator.world import build_world

_DAY_US = 86_400 * 1_000_000
_HOUR_US = 3600 * 1_000_000
_UNCHANGED_THREAT_SHARE = 0.4
"""Share of generated threats whose ``updatedAt`` equals their ``createdAt``."""


def _serialise(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()


class Console:
    """Activities, agents and threats, each behind a :class:`Collection`.

    Not thread-safe: the engine holds a lock around every call.
    """

    def __init__(self, config: SimulatorConfig, anchor_us: int) -> None:
        rng = random.Random(config.seed)
        self._ids = IdAllocator()
        self._rng = random.Random(config.seed + 1)
        self.anchor_us = anchor_us
        world = build_world(rng, self._ids, anchor_us)
        window_start = anchor_us - round(config.days * _DAY_US)
        ties = (config.tie_share, config.max_tie_run)

        oldest_agent = window_start - max(365 * _DAY_US, round(config.days * _DAY_US))
        agent_births = sorted(
            oldest_agent + rng.randrange(window_start - oldest_agent) for _ in range(config.agents)
        )
        self.agent_refs: list[AgentRef] = [
            make_agent_ref(rng, self._ids, world, i, born) for i, born in enumerate(agent_births)
        ]
        agent_updates = spread_timestamps(rng, config.agents, window_start, anchor_us, *ties)
        rng.shuffle(agent_updates)
        self.agent_docs = [
            agent_document(rng, ref, born, updated)
            for ref, born, updated in zip(self.agent_refs, agent_births, agent_updates, strict=True)
        ]
        self._agent_updated = list(agent_updates)

        threat_updates = spread_timestamps(rng, config.threats, window_start, anchor_us, *ties)
        threat_births = [
            updated
            if rng.random() < _UNCHANGED_THREAT_SHARE
            else updated - rng.randrange(min(updated - window_start, 6 * _HOUR_US) + 1)
            for updated in threat_updates
        ]
        self.threat_refs: list[ThreatRef] = []
        self.threat_docs: list[dict[str, Any]] = []
        for i, (born, updated) in enumerate(zip(threat_births, threat_updates, strict=True)):
            agent = self.agent_refs[int(rng.random() * len(self.agent_refs))]
            ref = make_threat_ref(rng, i, self._ids.allocate(born, IdKind.THREAT), agent)
            self.threat_refs.append(ref)
            self.threat_docs.append(threat_document(rng, ref, born, updated))
        self._threat_updated = list(threat_updates)

        self.activity_store = ActivityStore(world, self.agent_refs, self.threat_refs)
        self.agent_store = VersionStore("updatedAt")
        self.threat_store = VersionStore("updatedAt")
        self.activities = Collection("activities", self.activity_store, ACTIVITIES.sort_fields,
                                     mutable=False)
        self.agents = Collection("agents", self.agent_store, AGENTS.sort_fields, mutable=True)
        self.threats = Collection("threats", self.threat_store, THREATS.sort_fields, mutable=True)
        self.collections = {c.api: c for c in (self.activities, self.agents, self.threats)}

        stamps = spread_timestamps(rng, config.activities, window_start, anchor_us, *ties)
        add = self.activity_store.add_random
        self.activities.show_bulk(add(rng, self._ids, at, IdKind.ACTIVITY) for at in stamps)
        self.agents.show_bulk(
            self.agent_store.append(_serialise(doc), agent_attributes(doc))
            for doc in self.agent_docs
        )
        self.threats.show_bulk(
            self.threat_store.append(_serialise(doc), threat_attributes(doc))
            for doc in self.threat_docs
        )
        self.activities.index("createdAt")
        self.activity_store.warm()
        self._pending: list[tuple[int, int]] = []

    def add_activity(self, at_us: int, visible_at_us: int) -> str:
        """Create a live activity at ``at_us`` that becomes visible at ``visible_at_us``."""
        row = self.activity_store.add_random(self._rng, self._ids, at_us, IdKind.LIVE_ACTIVITY)
        if visible_at_us <= at_us:
            self.activities.show(row)
        else:
            heapq.heappush(self._pending, (visible_at_us, row))
        return str(self.activity_store.ids[row])

    def promote(self, now_us: int) -> None:
        """Make visible every late activity whose indexing delay has passed."""
        while self._pending and self._pending[0][0] <= now_us:
            _, row = heapq.heappop(self._pending)
            self.activities.show(row)

    def pick(self, count: int, population: int) -> list[int]:
        """Choose ``count`` distinct object numbers out of ``population``."""
        return self._rng.sample(range(population), min(count, population))

    def random_index(self, population: int) -> int:
        """Choose one object number out of ``population``."""
        return int(self._rng.random() * population)

    def change_threat(self, index: int, at_us: int) -> str:
        """Publish a new version of threat ``index`` with ``threatInfo.updatedAt`` >= ``at_us``."""
        at = max(at_us, self._threat_updated[index] + 1)
        doc = change_threat(self._rng, self.threat_docs[index], at)
        self.threat_docs[index] = doc
        self._threat_updated[index] = at
        self.threats.show(self.threat_store.append(_serialise(doc), threat_attributes(doc)))
        return str(doc["id"])

    def update_agent(self, index: int, at_us: int) -> str:
        """Publish a new version of agent ``index`` with ``updatedAt`` >= ``at_us``."""
        at = max(at_us, self._agent_updated[index] + 1)
        doc = update_agent(self._rng, self.agent_docs[index], at)
        self.agent_docs[index] = doc
        self._agent_updated[index] = at
        self.agents.show(self.agent_store.append(_serialise(doc), agent_attributes(doc)))
        return str(doc["id"])
