"""Redis connections and URLs: ``redis://``, ``rediss://``, and ``unix://`` (the embedded one)."""

from __future__ import annotations

import redis
from redis import Redis as RedisClient

__all__ = ["RedisClient", "broker_url", "connect", "socket_url"]


def connect(url: str) -> RedisClient:
    """A client with a pool; string replies; health-checked connections."""
    client: RedisClient = redis.Redis.from_url(
        url,
        decode_responses=True,
        health_check_interval=30,
        socket_connect_timeout=5,
        socket_timeout=30,
        retry_on_timeout=True,
    )
    return client


def broker_url(redis_url: str) -> str:
    """The Celery (kombu) spelling of a Redis URL."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url


def socket_url(path: str) -> str:
    return f"unix://{path}"
