"""One owner per (source, api): a lease with a fencing token.

Acquiring takes a fresh, ever-increasing token from a counter and stores it as the lease's value
with a time to live. Every commit checks, inside its atomic step, that the lease still holds the
committer's token, so an owner that stalled past its lease cannot commit after a new owner took
over.
"""

from __future__ import annotations

from dataclasses import dataclass

from collector import keys
from collector.errors import LeaseLost
from collector.redisconn import RedisClient

RENEW_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


@dataclass(frozen=True)
class Lease:
    key: str
    token: str
    ttl_ms: int


def acquire(redis: RedisClient, source_id: str, api: str, ttl: float) -> Lease | None:
    """The lease, or ``None`` when another worker holds it."""
    key = keys.lease(source_id, api)
    token = str(redis.incr(keys.FENCE))
    ttl_ms = int(ttl * 1000)
    if not redis.set(key, token, nx=True, px=ttl_ms):
        return None
    return Lease(key, token, ttl_ms)


def renew(redis: RedisClient, lease: Lease) -> None:
    if not redis.eval(RENEW_SCRIPT, 1, lease.key, lease.token, lease.ttl_ms):
        raise LeaseLost(lease.key)


def release(redis: RedisClient, lease: Lease) -> None:
    redis.eval(RELEASE_SCRIPT, 1, lease.key, lease.token)
