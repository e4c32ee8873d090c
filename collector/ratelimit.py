"""Requests per (API token, endpoint), limited across every worker through Redis.

A GCRA bucket per (token, endpoint) holds the theoretical arrival time of the next request, on
Redis's own clock (so workers on hosts with skewed clocks agree). A ``Retry-After`` from the
console sets a pause key that every worker honours before its next request to that endpoint.
Keys name a one-way digest of the token, never the token.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from collector import keys
from collector.errors import RateLimited
from collector.redisconn import RedisClient
from collector.secrets import Secret


@dataclass(frozen=True)
class Limit:
    per_second: float
    burst: int


# SentinelOne's published limits per API token and endpoint.
DEFAULT_LIMITS: dict[str, Limit] = {
    "activities": Limit(10, 30),
    "agents": Limit(25, 25),
    "threats": Limit(10, 50),
    "system": Limit(1, 1),
    "users": Limit(1, 1),
}

# KEYS[1] bucket, KEYS[2] pause; ARGV[1] emission interval (us, 0: no limit of our own),
# ARGV[2] burst tolerance (us). Returns 0 when the request may go now, else the microseconds to
# wait. A pause set from the console's Retry-After holds even when our own limit is off.
ACQUIRE_SCRIPT = """
if redis.replicate_commands then redis.replicate_commands() end
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return paused * 1000 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
if interval <= 0 then return 0 end
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if now < tat - tolerance then return tat - tolerance - now end
local ttl_ms = math.ceil((tat + interval - now) / 1000) + 1000
redis.call('SET', KEYS[1], tat + interval, 'PX', ttl_ms)
return 0
"""


class RateLimiter:
    """Blocks until the (token, endpoint) may send, up to ``max_wait`` seconds."""

    def __init__(
        self,
        redis: RedisClient,
        limits: dict[str, Limit] | None = None,
        scale: float = 1.0,
        max_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._redis = redis
        self._limits = DEFAULT_LIMITS if limits is None else limits
        self._scale = scale
        self._max_wait = max_wait
        self._sleep = sleep

    def acquire(self, token: Secret, path: str) -> None:
        endpoint = endpoint_of(path)
        limit = self._limits.get(endpoint)
        digest = token_digest(token)
        interval_us = tolerance_us = 0
        if limit is not None and self._scale > 0:
            interval_us = int(1_000_000 / (limit.per_second * self._scale))
            tolerance_us = interval_us * max(0, limit.burst - 1)
        waited = 0.0
        while True:
            wait_us = int(
                self._redis.eval(
                    ACQUIRE_SCRIPT,
                    2,
                    keys.rate_bucket(digest, endpoint),
                    keys.rate_pause(digest, endpoint),
                    interval_us,
                    tolerance_us,
                )
            )
            if wait_us <= 0:
                return
            wait = wait_us / 1_000_000
            if waited + wait > self._max_wait:
                raise RateLimited(f"{endpoint} is rate limited for {wait:.1f} s more", wait)
            self._sleep(wait)
            waited += wait

    def pause(self, token: Secret, path: str, seconds: float) -> None:
        """Hold every worker's requests to this (token, endpoint) for ``seconds``."""
        endpoint = endpoint_of(path)
        ms = max(1, int(seconds * 1000))
        self._redis.set(keys.rate_pause(token_digest(token), endpoint), "1", px=ms)


def endpoint_of(path: str) -> str:
    return path.strip("/").split("/", 1)[0]


def token_digest(token: Secret) -> str:
    return hashlib.sha256(token.reveal().encode()).hexdigest()[:16]
