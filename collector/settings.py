"""Process-wide settings, read once from the environment and refused when malformed.

Every knob an operator may turn is here, with its default; nothing else reads ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOME = Path("var")


class SettingsError(ValueError):
    """An environment variable holds a value the collector cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything the collector's processes are configured with."""

    redis_url: str | None = None
    broker_url: str | None = None
    home: Path = DEFAULT_HOME
    sink_url: str = ""
    poll_interval: float = 300.0
    retry_window: float = 5400.0
    dispatch_interval: float = 15.0
    run_max_pages: int = 50
    run_max_seconds: float = 60.0
    lease_ttl: float = 180.0
    claim_ttl: float = 600.0
    settle_lag: float = 60.0
    agents_snapshot_interval: float = 86400.0
    token_check_interval: float = 86400.0
    rate_limit_scale: float = 1.0
    page_limit: int = 1000
    backoff_base: float = 30.0
    backoff_max: float = 900.0
    forward_batch_entries: int = 20
    forward_reclaim_idle: float = 300.0
    http_connect_timeout: float = 10.0
    http_read_timeout: float = 60.0
    plain_http_hosts: frozenset[str] = frozenset()
    secret_key: str | None = field(default=None, repr=False)
    sentry_dsn: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        home = Path(env.get("COLLECTOR_HOME", str(DEFAULT_HOME)))
        return cls(
            redis_url=env.get("REDIS_URL") or None,
            broker_url=env.get("CELERY_BROKER_URL") or None,
            home=home,
            sink_url=env.get("COLLECTOR_SINK") or f"file://{(home / 'events.ndjson').absolute()}",
            poll_interval=_seconds(env, "COLLECTOR_POLL_INTERVAL", 300.0),
            retry_window=_seconds(env, "COLLECTOR_RETRY_WINDOW", 5400.0),
            dispatch_interval=_seconds(env, "COLLECTOR_DISPATCH_INTERVAL", 15.0),
            run_max_pages=int(_seconds(env, "COLLECTOR_RUN_MAX_PAGES", 50)),
            run_max_seconds=_seconds(env, "COLLECTOR_RUN_MAX_SECONDS", 60.0),
            lease_ttl=_seconds(env, "COLLECTOR_LEASE_TTL", 180.0),
            claim_ttl=_seconds(env, "COLLECTOR_CLAIM_TTL", 600.0),
            settle_lag=_seconds(env, "COLLECTOR_SETTLE_LAG", 60.0, minimum=0.0),
            agents_snapshot_interval=_seconds(env, "COLLECTOR_AGENTS_SNAPSHOT_INTERVAL", 86400.0),
            token_check_interval=_seconds(env, "COLLECTOR_TOKEN_CHECK_INTERVAL", 86400.0),
            rate_limit_scale=_seconds(env, "COLLECTOR_RATE_LIMIT_SCALE", 1.0, minimum=0.0),
            page_limit=int(_seconds(env, "COLLECTOR_PAGE_LIMIT", 1000, maximum=1000)),
            backoff_base=_seconds(env, "COLLECTOR_BACKOFF_BASE", 30.0),
            backoff_max=_seconds(env, "COLLECTOR_BACKOFF_MAX", 900.0),
            forward_batch_entries=int(_seconds(env, "COLLECTOR_FORWARD_BATCH", 20)),
            forward_reclaim_idle=_seconds(env, "COLLECTOR_FORWARD_RECLAIM_IDLE", 300.0),
            plain_http_hosts=frozenset(
                h.strip() for h in env.get("COLLECTOR_HTTP_HOSTS", "").split(",") if h.strip()
            ),
            secret_key=env.get("COLLECTOR_SECRET_KEY") or None,
            sentry_dsn=env.get("SENTRY_DSN") or None,
        )

    @property
    def embedded(self) -> bool:
        """True when no Redis was named: the collector runs its own under ``home``."""
        return self.redis_url is None


def _seconds(
    env: Mapping[str, str],
    name: str,
    default: float,
    minimum: float = 0.001,
    maximum: float | None = None,
) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f">= {minimum}" + (f" and <= {maximum}" if maximum is not None else "")
        raise SettingsError(f"{name} must be {bounds}, got {raw!r}")
    return value
