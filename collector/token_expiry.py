"""Warn before the API token expires (the most common outage of every SentinelOne integration).

Once a day per source, after the console accepted the token, ask it when the token expires.
Within :data:`WARN_AHEAD` of that moment a Warning health event is raised. A console that will
not tell (some service-user tokens cannot introspect) is not an error: the expiry is "unknown".
"""

from __future__ import annotations

from datetime import timedelta

from collector import health, keys
from collector.redisconn import RedisClient
from collector.registry import Source
from collector.s1client import SentinelOneClient
from collector.status import StatusBook

WARN_AHEAD = timedelta(days=7)
TRACKER = "TokenExpiry"


def check_token(
    redis: RedisClient,
    status: StatusBook,
    source: Source,
    client: SentinelOneClient,
    now: float,
    every: float,
) -> None:
    if not redis.set(keys.token_checked(source.id), "1", nx=True, ex=max(1, int(every))):
        return  # checked within the interval, by this worker or another
    expires = client.token_expiry()
    status.set_token_expiry(source.id, None if expires is None else expires.timestamp())
    if expires is None:
        return
    left = expires.timestamp() - now
    if left <= WARN_AHEAD.total_seconds():
        when = expires.strftime("%Y-%m-%d %H:%M UTC")
        text = (
            f"the API token expired at {when}"
            if left <= 0
            else f"the API token expires at {when}, in {left / 86400:.1f} days: renew it and "
            "update the source"
        )
        health.record(
            redis,
            source.id,
            health.event(source.id, source.config.name, TRACKER, text, "Warning", now),
        )
