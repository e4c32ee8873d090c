"""The objects a process works with, built once from the settings and shared by its tasks.

Clients (the Redis pool, the HTTP session) are made once per process: call :func:`reset` in a
child process after a fork so it does not share its parent's sockets.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from functools import cached_property

import requests

from collector.delivery import Delivery
from collector.fetch import Fetcher
from collector.forward import Forwarder
from collector.ratelimit import RateLimiter
from collector.redisconn import RedisClient, connect
from collector.registry import Registry, Source
from collector.retry import RetryPolicy
from collector.s1client import SentinelOneClient, Timeouts, new_session
from collector.secrets import SecretBox
from collector.settings import Settings
from collector.sinks import Sink, open_sink
from collector.status import StatusBook


def redis_url(settings: Settings) -> str:
    if settings.redis_url:
        return settings.redis_url
    from collector.embedded import EmbeddedRedis

    return EmbeddedRedis(settings.home).url


@dataclass
class Runtime:
    settings: Settings = field(default_factory=Settings.from_env)

    @cached_property
    def redis(self) -> RedisClient:
        return connect(redis_url(self.settings))

    @cached_property
    def registry(self) -> Registry:
        box = SecretBox.from_settings(self.settings.secret_key, self.settings.home)
        return Registry(self.redis, box, self.settings.plain_http_hosts)

    @cached_property
    def status(self) -> StatusBook:
        s = self.settings
        return StatusBook(self.redis, RetryPolicy(s.backoff_base, s.backoff_max, s.retry_window))

    @cached_property
    def http(self) -> requests.Session:
        return new_session()

    @cached_property
    def sink(self) -> Sink:
        return open_sink(self.settings.sink_url)

    @cached_property
    def fetcher(self) -> Fetcher:
        return Fetcher(self.redis, self.registry, self.status, self.client_for, self.settings)

    @cached_property
    def forwarder(self) -> Forwarder:
        s = self.settings
        consumer = f"{socket.gethostname()}-{os.getpid()}"
        return Forwarder(
            self.redis,
            self.sink,
            consumer,
            s.forward_batch_entries,
            s.forward_reclaim_idle,
            max_seconds=s.run_max_seconds,
        )

    @cached_property
    def delivery(self) -> Delivery:
        return Delivery(
            self.redis, self.forwarder, self.registry, self.status, self.settings.backoff_max
        )

    def client_for(self, source: Source) -> SentinelOneClient:
        s = self.settings
        return SentinelOneClient(
            source.config.base_url,
            source.config.api_secret,
            self.http,
            Timeouts(s.http_connect_timeout, s.http_read_timeout),
            self.limiter,
        )

    @cached_property
    def limiter(self) -> RateLimiter:
        return RateLimiter(self.redis, scale=self.settings.rate_limit_scale)


_current: Runtime | None = None


def current() -> Runtime:
    global _current  # noqa: PLW0603 (one runtime per process, by design)
    if _current is None:
        _current = Runtime()
    return _current


def reset() -> None:
    global _current  # noqa: PLW0603
    _current = None
