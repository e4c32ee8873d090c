"""The dispatcher's use case: which fetches and forwards to enqueue now.

Runs every ``dispatch_interval`` seconds from beat. Fetches come from the schedule's due
members (claimed atomically); forwards are asked for every source whose outbox holds entries,
as a safety net behind the forwards that fetch runs ask for themselves. A forward request is
deduplicated with a short-lived flag, so a slow sink does not pile up forward tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from collector import keys, schedule
from collector.redisconn import RedisClient
from collector.state import State
from collector.status import StatusBook

CLAIM_BATCH = 1000


@dataclass(frozen=True)
class Plan:
    fetches: list[tuple[str, str]] = field(default_factory=list)
    forwards: list[str] = field(default_factory=list)


def plan(redis: RedisClient, status: StatusBook, now: float, claim_ttl: float) -> Plan:
    fetches = schedule.claim_due(redis, now, claim_ttl, CLAIM_BATCH)
    for source_id in {source_id for source_id, _ in fetches}:
        status.advance(source_id, State.STARTED)
    forwards = [
        source_id
        for source_id in sorted(redis.smembers(keys.SOURCES))
        if has_outbox_entries(redis, source_id) and request_forward(redis, source_id, claim_ttl)
    ]
    return Plan(fetches, forwards)


def has_outbox_entries(redis: RedisClient, source_id: str) -> bool:
    return bool(redis.xlen(keys.outbox(source_id)))


def request_forward(redis: RedisClient, source_id: str, ttl: float) -> bool:
    """True when the caller should enqueue a forward (none is queued for this source yet)."""
    return bool(redis.set(keys.forward_queued(source_id), "1", nx=True, ex=max(1, int(ttl))))


def forward_started(redis: RedisClient, source_id: str) -> None:
    """A forward run began: the next request may enqueue another."""
    redis.delete(keys.forward_queued(source_id))
