"""When each (source, api) runs next: one sorted set scored by due time.

The dispatcher *claims* due members by pushing their score a claim-ttl into the future in the same
atomic step that reads them; two dispatchers (two beats by mistake) therefore never both claim
one. A claim that is never turned into a finished run simply falls due again when it expires.
"""

from __future__ import annotations

from collections.abc import Iterable

from collector import keys
from collector.redisconn import RedisClient

CLAIM_SCRIPT = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], member)
end
return due
"""


def add(redis: RedisClient, source_id: str, apis: Iterable[str], due: float) -> None:
    members = {keys.schedule_member(source_id, api): due for api in apis}
    if members:
        redis.zadd(keys.SCHEDULE, members)


def claim_due(
    redis: RedisClient, now: float, claim_ttl: float, limit: int
) -> list[tuple[str, str]]:
    members = redis.eval(CLAIM_SCRIPT, 1, keys.SCHEDULE, now, now + claim_ttl, limit)
    return [keys.parse_schedule_member(m) for m in members]


def reschedule(redis: RedisClient, source_id: str, api: str, due: float) -> None:
    """Set the next due time of a pair still scheduled (a deleted or parked pair stays out)."""
    redis.zadd(keys.SCHEDULE, {keys.schedule_member(source_id, api): due}, xx=True)


def park(redis: RedisClient, source_id: str, api: str) -> None:
    """Take a pair off the schedule until the source is updated or restarted."""
    redis.zrem(keys.SCHEDULE, keys.schedule_member(source_id, api))


def due_at(redis: RedisClient, source_id: str, api: str) -> float | None:
    score = redis.zscore(keys.SCHEDULE, keys.schedule_member(source_id, api))
    return None if score is None else float(score)
