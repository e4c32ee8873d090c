"""Activities: an append-only columnar store, rendered to JSON bytes from cached templates.

A million activities would take about a gigabyte as serialised objects, so each activity is
kept as a few integers (about 40 bytes). Everything an activity says follows from its type,
its subject (user, site, agent or threat) and a small variant number, so the JSON for each
such combination is rendered once into a bytes template; serving a row only fills in its
id, uuid and timestamps. The same row always renders to the same bytes.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Sequence

from simulator.activity_types import (
    ACTIVITY_TYPES,
    ActivityType,
    Subject,
    agent_data,
    site_data,
    threat_data,
)
from simulator.agents import AgentRef
from simulator.ids import IdAllocator, IdKind
from simulator.store import Getter
from simulator.threats import ThreatRef
from simulator.timefmt import MINUTE_PREFIXES, US_PER_MINUTE, US_PER_SECOND, minute_prefix
from simulator.world import Site, World

_TEMPLATE = (
    '{"accountId":"%s","accountName":"%s","activityType":%d,'
    '"activityUuid":"%%08x-%%04x-%%04x-%%04x-%%012x",'
    '"agentId":%s,"agentUpdatedVersion":%s,"comments":null,"createdAt":"%%s%%02d.%%06dZ",'
    '"data":{%s},'
    '"description":null,"groupId":%s,"groupName":%s,"hash":%s,"id":"%%d","osFamily":%s,'
    '"primaryDescription":"%s","secondaryDescription":%s,"siteId":%s,"siteName":%s,'
    '"threatId":%s,"updatedAt":"%%s%%02d.%%06dZ","userId":%s}'
)
"""Rendered once per (type, subject, variant); the ``%%`` slots are filled per row."""
_MAX_TEMPLATES = 1 << 18
_SCRAMBLE = 0x9E3779B97F4A7C15
_SCRAMBLE_TAIL = 0xC2B2AE3D27D4EB4F
_MASK_64 = (1 << 64) - 1
_MASK_48 = (1 << 48) - 1
_EARLY_UPDATE_SHARE = 0.03
"""Share of activities whose ``updatedAt`` is a little earlier than ``createdAt``."""
_REGISTERED = 17
"""The activity type whose ``agentUpdatedVersion`` is set."""


def _quoted(value: object) -> str:
    return f'"{value}"'


def _subject_fields(
    account_id: int, account_name: str, agent: AgentRef | None, threat: ThreatRef | None,
    site: Site | None,
) -> tuple[str, ...]:
    """accountId, accountName, agentId, groupId, groupName, hash, osFamily, siteId, siteName,
    threatId, as JSON values (the first two without quotes)."""
    return (
        str(account_id),
        account_name,
        _quoted(agent.id) if agent else "null",
        _quoted(agent.group.id) if agent else "null",
        _quoted(agent.group.name) if agent else "null",
        _quoted(threat.sha1) if threat else "null",
        _quoted(agent.os_type) if agent else "null",
        _quoted(site.id) if site else "null",
        _quoted(site.name) if site else "null",
        _quoted(threat.id) if threat else "null",
    )


class ActivityStore:
    """Activity rows as parallel arrays; row numbers are stable and never reused."""

    def __init__(
        self, world: World, agents: Sequence[AgentRef], threats: Sequence[ThreatRef]
    ) -> None:
        self._world = world
        self._agents = agents
        self._threats = threats
        self.types: tuple[ActivityType, ...] = tuple(
            t
            for t in ACTIVITY_TYPES
            if (t.scope != "agent" or agents) and (t.scope != "threat" or threats)
        )
        self._weighted = [i for i, t in enumerate(self.types) for _ in range(t.weight)]
        self.ids: array[int] = array("q")
        self.created: array[int] = array("q")
        self._early: array[int] = array("l")
        self._type: array[int] = array("B")
        self._variant: array[int] = array("B")
        self._agent: array[int] = array("l")
        self._threat: array[int] = array("l")
        self._user: array[int] = array("B")
        self._site: array[int] = array("b")
        self._rnd: array[int] = array("L")
        self.served: array[int] = array("L")
        self._template_key: array[int] = array("q")
        self._templates: dict[int, bytes] = {}
        sites = world.sites
        self._site_ids: list[int | None] = [s.id for s in sites] + [None]
        self._site_accounts = [s.account.id for s in sites]
        self._user_accounts = [u.account.id for u in world.users]
        self._agent_ids: list[int | None] = [a.id for a in agents] + [None]
        self._group_ids: list[int | None] = [a.group.id for a in agents] + [None]
        self._agent_sites = [sites.index(a.site) for a in agents]

    def add_random(self, rng: random.Random, ids: IdAllocator, at_us: int, kind: IdKind) -> int:
        """Append one activity created at ``at_us`` with a random type and subject."""
        type_index = self._weighted[int(rng.random() * len(self._weighted))]
        activity_type = self.types[type_index]
        variant = int(rng.random() * activity_type.variants)
        users = len(self._world.users)
        agent = threat = site = -1
        user = int(rng.random() * users)
        scope = activity_type.scope
        if scope == "threat":
            threat = int(rng.random() * len(self._threats))
            agent = self._threats[threat].agent.index
            user = (threat + variant) % users
        elif scope == "agent":
            agent = int(rng.random() * len(self._agents))
            user = (agent + variant) % users
        elif scope == "site":
            site = int(rng.random() * len(self._world.sites))
            user = (site + variant) % users
        if agent >= 0:
            site = self._agent_sites[agent]
        early = -rng.randint(1, 3000) if rng.random() < _EARLY_UPDATE_SHARE else 0
        self.ids.append(ids.allocate(at_us, kind))
        self.created.append(at_us)
        self._early.append(early)
        self._type.append(type_index)
        self._variant.append(variant)
        self._agent.append(agent)
        self._threat.append(threat)
        self._user.append(user)
        self._site.append(site)
        self._rnd.append(rng.getrandbits(32))
        entity = {"threat": threat, "agent": agent, "site": site}.get(scope, user)
        self._template_key.append((type_index << 40) | (entity << 8) | variant)
        self.served.append(0)
        return len(self.ids) - 1

    def getter(self, name: str) -> Getter:
        """Return a function reading attribute ``name`` of a row."""
        site, agent, user, kinds = self._site, self._agent, self._user, self._type
        site_ids, type_ids = self._site_ids, [t.id for t in self.types]
        site_accounts, user_accounts = self._site_accounts, self._user_accounts
        agent_ids, group_ids = self._agent_ids, self._group_ids
        getters: dict[str, Getter] = {
            "id": self.ids.__getitem__,
            "createdAt": self.created.__getitem__,
            "activityType": lambda row: type_ids[kinds[row]],
            "siteId": lambda row: site_ids[site[row]],
            "accountId": lambda row: (
                site_accounts[site[row]] if site[row] >= 0 else user_accounts[user[row]]
            ),
            "agentId": lambda row: agent_ids[agent[row]],
            "groupId": lambda row: group_ids[agent[row]],
        }
        return getters[name]

    def version_us(self, row: int) -> int:
        """Activities never change: their version is their ``createdAt``."""
        return self.created[row]

    def _render_template(self, row: int) -> bytes:
        kind = self.types[self._type[row]]
        user = self._world.users[self._user[row]]
        agent_index, threat_index, site_index = self._agent[row], self._threat[row], self._site[row]
        agent = self._agents[agent_index] if agent_index >= 0 else None
        threat = self._threats[threat_index] if threat_index >= 0 else None
        site = self._world.sites[site_index] if site_index >= 0 else None
        if kind.scope == "threat" and threat is not None:
            scope_data = threat_data(threat)
        elif agent is not None:
            scope_data = agent_data(agent)
        elif site is not None:
            scope_data = site_data(site)
        else:
            scope_data = ""
        primary, secondary, data = kind.describe(
            Subject(user, site, agent, threat, scope_data, self._variant[row])
        )
        account = site.account if site is not None else user.account
        f = _subject_fields(account.id, account.name, agent, threat, site)
        by_user = kind.by_user
        text = _TEMPLATE % (
            f[0], f[1], kind.id, f[2],
            _quoted(agent.version) if agent and kind.id == _REGISTERED else "null",
            data.replace("%", "%%"), f[3], f[4], f[5], f[6], primary.replace("%", "%%"),
            secondary.replace("%", "%%"), f[7], f[8], f[9],
            _quoted(user.id) if by_user else "null",
        )  # fmt: skip
        return text.encode()

    def warm(self) -> None:
        """Render the template of every row now rather than while serving."""
        for row, key in enumerate(self._template_key):
            if key not in self._templates:
                self._templates[key] = self._render_template(row)

    def body(self, row: int) -> bytes:
        """Render the activity's JSON bytes (hot path: timestamps are formatted inline)."""
        key = self._template_key[row]
        template = self._templates.get(key)
        if template is None:
            if len(self._templates) >= _MAX_TEMPLATES:
                self._templates.clear()
            template = self._templates[key] = self._render_template(row)
        oid = self.ids[row]
        rnd = self._rnd[row]
        created = self.created[row]
        minute, within = divmod(created, US_PER_MINUTE)
        prefix = MINUTE_PREFIXES.get(minute) or minute_prefix(minute)
        seconds, fraction = divmod(within, US_PER_SECOND)
        early = self._early[row]
        if early:
            minute, within = divmod(created + early, US_PER_MINUTE)
            updated_prefix = MINUTE_PREFIXES.get(minute) or minute_prefix(minute)
            updated_seconds, updated_fraction = divmod(within, US_PER_SECOND)
        else:
            updated_prefix, updated_seconds, updated_fraction = prefix, seconds, fraction
        scrambled = (oid * _SCRAMBLE) & _MASK_64
        return template % (
            rnd,
            scrambled >> 48,
            (scrambled >> 32) & 0xFFFF,
            (scrambled >> 16) & 0xFFFF,
            ((oid ^ rnd) * _SCRAMBLE_TAIL) & _MASK_48,
            prefix,
            seconds,
            fraction,
            oid,
            updated_prefix,
            updated_seconds,
            updated_fraction,
        )
