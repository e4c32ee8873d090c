"""The static scope of the simulated console: accounts, sites, groups and users."""

from __future__ import annotations

import random
from dataclasses import dataclass

from simulator.ids import IdAllocator, IdKind

_ACCOUNTS = ("Example Corp", "Globex")
_SITES = (("Headquarters", 0), ("Branch Office", 0), ("Datacenter", 1), ("Cloud Workloads", 1))
_GROUPS = ("Default Group", "Servers")
_FIRST = ("Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy")
_LAST = ("Smith", "Jones", "Brown", "Taylor", "Wilson", "Evans", "Walker", "Wright")
_ROLES = ("Admin", "Viewer", "IR Team", "SOC")
_USER_COUNT = 12
_DAY_US = 86_400 * 1_000_000


@dataclass(frozen=True, slots=True)
class Account:
    """A customer account."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Group:
    """An agent group inside a site."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Site:
    """A site of an account, with its groups."""

    id: int
    name: str
    account: Account
    groups: tuple[Group, ...]


@dataclass(frozen=True, slots=True)
class User:
    """A management console user."""

    id: int
    name: str
    email: str
    ip: str
    role: str
    account: Account


@dataclass(frozen=True, slots=True)
class World:
    """Accounts, sites and users shared by all generated objects."""

    accounts: tuple[Account, ...]
    sites: tuple[Site, ...]
    users: tuple[User, ...]


def build_world(rng: random.Random, ids: IdAllocator, anchor_us: int) -> World:
    """Create the scope tree, with ids dated a few years before the anchor."""
    born = anchor_us - 3 * 365 * _DAY_US
    accounts = tuple(Account(ids.allocate(born, IdKind.SCOPE), name) for name in _ACCOUNTS)
    sites = tuple(
        Site(
            id=ids.allocate(born + _DAY_US, IdKind.SCOPE),
            name=name,
            account=accounts[account],
            groups=tuple(Group(ids.allocate(born + 2 * _DAY_US, IdKind.SCOPE), g) for g in _GROUPS),
        )
        for name, account in _SITES
    )
    users = []
    for n in range(_USER_COUNT):
        first, last = _FIRST[n % len(_FIRST)], _LAST[(n * 3) % len(_LAST)]
        users.append(
            User(
                id=ids.allocate(born + 3 * _DAY_US, IdKind.USER),
                name=f"{first} {last}",
                email=f"{first.lower()}.{last.lower()}@example.com",
                ip=f"198.51.100.{rng.randrange(1, 255)}",
                role=_ROLES[n % len(_ROLES)],
                account=accounts[n % len(accounts)],
            )
        )
    return World(accounts=accounts, sites=sites, users=tuple(users))
