"""Rate limits shared by every worker, Retry-After, and warnings before the token expires."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from collector.health import recent
from collector.ratelimit import Limit, RateLimiter
from collector.redisconn import RedisClient
from collector.runtime import Runtime
from collector.secrets import Secret
from collector.settings import Settings
from simulator import Simulator, SimulatorConfig
from tests.integration.helpers import delivered, source_doc
from tests.redis_server import RedisServer

TOKEN = Secret("tok")


class Sleeps:
    """A sleep that really sleeps and remembers how long it was asked to."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        time.sleep(seconds)


def test_the_limit_is_shared_by_every_worker(redis: RedisClient) -> None:
    # Given two workers' limiters for one token and endpoint: 20/s with a burst of 4
    limits = {"activities": Limit(20, 4)}
    sleeps_a, sleeps_b = Sleeps(), Sleeps()
    a = RateLimiter(redis, limits, sleep=sleeps_a)
    b = RateLimiter(redis, limits, sleep=sleeps_b)
    # When they send 12 requests between them
    started = time.monotonic()
    for _ in range(6):
        a.acquire(TOKEN, "/activities")
        b.acquire(TOKEN, "/activities")
    elapsed = time.monotonic() - started
    # Then only the burst went at once: the other 8 were spaced 50 ms apart across both
    assert elapsed >= 8 * 0.05 * 0.9
    assert sleeps_a.asked and sleeps_b.asked


def test_other_tokens_and_endpoints_have_their_own_budget(redis: RedisClient) -> None:
    sleeps = Sleeps()
    limiter = RateLimiter(redis, {"activities": Limit(1, 1), "threats": Limit(1, 1)}, sleep=sleeps)

    limiter.acquire(TOKEN, "/activities")
    limiter.acquire(TOKEN, "/threats")
    limiter.acquire(Secret("other"), "/activities")

    assert sleeps.asked == []


def test_a_retry_after_pauses_the_endpoint_for_every_worker(redis: RedisClient) -> None:
    sleeps = Sleeps()
    one = RateLimiter(redis, {"threats": Limit(100, 100)})
    other = RateLimiter(redis, {"threats": Limit(100, 100)}, sleep=sleeps)

    one.pause(TOKEN, "/threats", 0.4)
    other.acquire(TOKEN, "/threats")

    assert 0.3 <= sum(sleeps.asked) <= 0.5


def test_a_pause_longer_than_a_run_can_wait_ends_the_run(redis: RedisClient) -> None:
    limiter = RateLimiter(redis, {"threats": Limit(100, 100)}, max_wait=1.0)
    limiter.pause(TOKEN, "/threats", 60)

    with pytest.raises(Exception, match="rate limited"):
        limiter.acquire(TOKEN, "/threats")


def runtime_for(redis_server: RedisServer, home: Path, **overrides: float) -> Runtime:
    settings = Settings(
        redis_url=redis_server.url,
        home=home,
        secret_key="k",
        settle_lag=0.0,
        sink_url=f"file://{home / 'events.ndjson'}",
        run_max_pages=100,
        **overrides,
    )  # type: ignore[arg-type]
    return Runtime(settings)


@pytest.mark.parametrize("retry_after", [True, False])
def test_a_console_answering_429_is_still_collected_completely(
    redis: RedisClient, redis_server: RedisServer, home: Path, retry_after: bool
) -> None:
    # Given a console that allows 1 request/s (burst 3), with or without Retry-After
    config = SimulatorConfig(
        seed=2,
        activities=6000,
        agents=2,
        threats=1,
        days=1.0,
        rate_limits=True,
        rate_limit_scale=0.1,
        retry_after=retry_after,
    )
    with Simulator(config) as sim:
        # When the collector, its own limiter off, pages through it as fast as it can
        rt = runtime_for(redis_server, home, rate_limit_scale=0.0)
        source = rt.registry.create(source_doc(sim.url, backfill_days=2))
        outcome = rt.fetcher.run(source.id, "activities")
        rt.forwarder.run(source.id)
        answers = sim.stats()["endpoints"]["activities"]["status"]
    # Then the console did answer 429, and still every activity arrived exactly once in one run
    assert answers.get("429", 0) > 0 and answers["200"] == 6
    assert not outcome.more
    counts = delivered(home / "events.ndjson")
    assert len(counts) == 6000 and max(counts.values()) == 1
    assert rt.status.snapshot(source.id)["api:activities"] == "ok"


def test_the_collectors_limiter_keeps_a_console_from_answering_429(
    redis: RedisClient, redis_server: RedisServer, home: Path
) -> None:
    config = SimulatorConfig(
        seed=2,
        activities=5000,
        agents=2,
        threats=1,
        days=1.0,
        rate_limits=True,
        rate_limit_scale=1.0,
    )
    with Simulator(config) as sim:
        rt = runtime_for(redis_server, home, rate_limit_scale=0.5)  # 5/s, under the console's
        source = rt.registry.create(source_doc(sim.url, backfill_days=2))
        rt.fetcher.run(source.id, "activities")
        answers = sim.stats()["endpoints"]["activities"]["status"]

    assert "429" not in answers and answers["200"] == 5


@pytest.mark.parametrize(
    ("token", "warned"),
    [("expiring-token", True), ("demo-token", False), ("service-token", False)],
)
def test_a_token_about_to_expire_raises_a_warning_and_an_unknown_expiry_is_no_error(
    redis: RedisClient, redis_server: RedisServer, home: Path, token: str, warned: bool
) -> None:
    with Simulator(
        SimulatorConfig(seed=2, activities=10, agents=2, threats=1, rate_limits=False)
    ) as sim:
        rt = runtime_for(redis_server, home)
        source = rt.registry.create(source_doc(sim.url, token=token, backfill_days=2))
        rt.fetcher.run(source.id, "activities")
        rt.fetcher.run(source.id, "activities")  # checked once a day, not on every run

    warnings = [e for e in recent(redis, source.id) if e["details"]["trackerId"] == "TokenExpiry"]
    assert len(warnings) == (1 if warned else 0)
    if warned:
        assert warnings[0]["severityLevel"] == "Warning"
        assert "expires at" in warnings[0]["details"]["description"]
    assert rt.status.snapshot(source.id)["api:activities"] == "ok"
    assert token not in str(recent(redis, source.id))
