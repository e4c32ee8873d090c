"""Every Redis key the collector uses, in one place.

Global keys::

    s1c:sources                     set    ids of all registered sources
    s1c:names                       hash   source name -> source id (names are unique)
    s1c:schedule                    zset   "<source_id>|<api>" scored by the unix time it is due
    s1c:fence                       string counter handing out lease fencing tokens
    s1c:rate:<token digest>:<ep>    string GCRA arrival time of the next request to an endpoint
    s1c:pause:<token digest>:<ep>   string set while the console's Retry-After holds an endpoint

Per source (all share the hash tag ``{source_id}``, so each atomic step touches one cluster slot)::

    s1c:{id}:config                 hash   document (secret masked), sealed secret, created_at
    s1c:{id}:status                 hash   state, per-api status, error streaks, counters
    s1c:{id}:checkpoint:<api>       hash   watermark, ids at it, the walk in progress
    s1c:{id}:lease:<api>            string fencing token of the worker that owns (source, api)
    s1c:{id}:outbox                 stream one entry per committed page (group "forwarders")
    s1c:{id}:health                 list   health events, newest first (capped)
    s1c:{id}:forward-queued         string set while a forward task for the source is queued
    s1c:{id}:token-checked          string set for a day after the token's expiry was checked
"""

from __future__ import annotations

PREFIX = "s1c"
SOURCES = f"{PREFIX}:sources"
NAMES = f"{PREFIX}:names"
SCHEDULE = f"{PREFIX}:schedule"
FENCE = f"{PREFIX}:fence"
OUTBOX_GROUP = "forwarders"


def _source(source_id: str, name: str) -> str:
    return f"{PREFIX}:{{{source_id}}}:{name}"


def config(source_id: str) -> str:
    return _source(source_id, "config")


def status(source_id: str) -> str:
    return _source(source_id, "status")


def checkpoint(source_id: str, api: str) -> str:
    return _source(source_id, f"checkpoint:{api}")


def lease(source_id: str, api: str) -> str:
    return _source(source_id, f"lease:{api}")


def outbox(source_id: str) -> str:
    return _source(source_id, "outbox")


def health(source_id: str) -> str:
    return _source(source_id, "health")


def forward_queued(source_id: str) -> str:
    return _source(source_id, "forward-queued")


def all_of(source_id: str, apis: tuple[str, ...]) -> list[str]:
    """Every key that belongs to one source (for deletion)."""
    per_api = [k for api in apis for k in (checkpoint(source_id, api), lease(source_id, api))]
    return [
        config(source_id),
        status(source_id),
        outbox(source_id),
        health(source_id),
        forward_queued(source_id),
        token_checked(source_id),
        *per_api,
    ]


def token_checked(source_id: str) -> str:
    return _source(source_id, "token-checked")


def rate_bucket(token_digest: str, endpoint: str) -> str:
    return f"{PREFIX}:rate:{token_digest}:{endpoint}"


def rate_pause(token_digest: str, endpoint: str) -> str:
    return f"{PREFIX}:pause:{token_digest}:{endpoint}"


def schedule_member(source_id: str, api: str) -> str:
    return f"{source_id}|{api}"


def parse_schedule_member(member: str) -> tuple[str, str]:
    source_id, _, api = member.partition("|")
    return source_id, api
