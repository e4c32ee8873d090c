"""The per-page atomic commit: a page's events into the outbox and the checkpoint forward, in one
Lua step guarded by the lease's fencing token. Either both happen or neither does.

An outbox entry carries a whole page (DESIGN.md's cost model: one entry per page, not per event):

    api     activities | agents | threats
    meta    JSON object of the source-level metadata (_source, _sourceCategory, fields, SIEM)
    kinds   newline-joined per-event metadata (the SIEM event id), empty when not forwarding to SIEM
    events  newline-joined raw objects, compact JSON
    n       number of events
"""

from __future__ import annotations

from dataclasses import dataclass

from collector import keys
from collector.checkpoint import Checkpoint, to_fields
from collector.errors import LeaseLost
from collector.lease import Lease
from collector.redisconn import RedisClient

COMMIT_SCRIPT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local n = tonumber(ARGV[4])
if n > 0 then
  redis.call('XADD', KEYS[3], '*', 'api', ARGV[3], 'n', ARGV[4], 'meta', ARGV[5],
             'kinds', ARGV[6], 'events', ARGV[7])
  redis.call('HINCRBY', KEYS[4], 'collected', n)
  redis.call('HINCRBY', KEYS[4], 'collected:' .. ARGV[3], n)
end
redis.call('HSET', KEYS[2], unpack(ARGV, 8))
return 1
"""


@dataclass(frozen=True)
class OutboxPage:
    api: str
    meta: str
    kinds: list[str]
    events: list[str]


def commit_page(
    redis: RedisClient,
    lease: Lease,
    source_id: str,
    api: str,
    page: OutboxPage,
    checkpoint: Checkpoint,
) -> None:
    """Store ``page`` and move the checkpoint, or raise :class:`LeaseLost` and change nothing."""
    flat: list[str] = []
    for name, value in to_fields(checkpoint).items():
        flat += [name, value]
    committed = redis.eval(
        COMMIT_SCRIPT,
        4,
        lease.key,
        keys.checkpoint(source_id, api),
        keys.outbox(source_id),
        keys.status(source_id),
        lease.token,
        lease.ttl_ms,
        api,
        len(page.events),
        page.meta,
        "\n".join(page.kinds),
        "\n".join(page.events),
        *flat,
    )
    if not committed:
        raise LeaseLost(lease.key)
