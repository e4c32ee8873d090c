"""Many sources share the workers fairly: the five-minute polls (here: ten seconds) of 49
consoles stay on time while one console backfills 1,000,000 activities."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from collector import keys
from collector.checkpoint import from_fields
from collector.redisconn import RedisClient
from simulator import Simulator, SimulatorConfig, TokenSpec
from tests.integration.helpers import (
    ROOT,
    Service,
    registry_for,
    service_env,
    source_doc,
    wait_until,
)
from tests.redis_server import RedisServer, free_port

pytestmark = pytest.mark.integration
POLL = 30.0
BIG = 1_000_000
ALL = ("activities", "agents", "threats")


@pytest.fixture
def big_console(tmp_path: Path) -> Iterator[str]:
    """A console with a million activities, in a process of its own (as a real one would be)."""
    port = free_port()
    log = tmp_path / "big-console.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "simulator",
                "--port",
                str(port),
                "--activities",
                str(BIG),
                "--agents",
                "10",
                "--threats",
                "5",
                "--days",
                "30",
                "--no-rate-limits",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: "listening on" in log.read_text(), 120, "the big console")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)


def test_polls_stay_on_time_while_one_source_backfills_a_million_activities(
    redis: RedisClient,
    redis_server: RedisServer,
    tmp_path: Path,
    big_console: str,
    services: list[Service],
) -> None:
    # Given 49 small consoles' sources and one whose console holds a million activities
    with Simulator(
        SimulatorConfig(seed=6, activities=50, agents=5, threats=5, days=1.0, rate_limits=False)
    ) as small:
        registry = registry_for(redis)
        big = registry.create(source_doc(big_console, name="big", apis=ALL, backfill_days=31))
        for n in range(49):  # one API token per console, as in real deployments
            small.add_token(TokenSpec(f"token-{n}"))
        others = [
            registry.create(source_doc(small.url, name=f"small-{n}", token=f"token-{n}", apis=ALL))
            for n in range(49)
        ]
        env = service_env(
            redis_server.url,
            tmp_path,
            tmp_path / "events.ndjson",
            COLLECTOR_POLL_INTERVAL=str(POLL),
            COLLECTOR_DISPATCH_INTERVAL="1",
        )
        # When two worker processes collect them all
        services.append(Service.worker("w1", env, tmp_path).wait_ready())
        services.append(Service.worker("w2", env, tmp_path).wait_ready())
        services.append(Service.beat(env, tmp_path))
        pairs = [(s.id, api) for s in others for api in ALL]

        def last_runs() -> dict[tuple[str, str], float]:
            pipe = redis.pipeline(transaction=False)
            for source_id, api in pairs:
                pipe.hget(keys.status(source_id), f"api:{api}:last_run")
            return {pair: float(v) for pair, v in zip(pairs, pipe.execute(), strict=True) if v}

        def backfilling() -> bool:
            cp = from_fields(redis.hgetall(keys.checkpoint(big.id, "activities")))
            return cp.walk is not None

        wait_until(lambda: len(last_runs()) == len(pairs), 60, "a first run of every pair")
        assert backfilling(), "the big backfill must still be running during the observation"
        # Then, observed while the backfill runs, every pair is polled again within its interval
        runs: dict[tuple[str, str], list[float]] = {pair: [] for pair in pairs}
        window_start = time.time()
        while backfilling() and time.time() - window_start < 240:
            for pair, at in last_runs().items():
                if not runs[pair] or runs[pair][-1] != at:
                    runs[pair].append(at)
            time.sleep(0.5)
        window_end = time.time()
    assert window_end - window_start >= 3 * POLL, "the backfill ended too soon to observe polls"
    gaps = {
        pair: max(b - a for a, b in zip([window_start, *times], [*times, window_end], strict=True))
        for pair, times in runs.items()
    }
    worst = max(gaps, key=gaps.__getitem__)
    assert gaps[worst] <= POLL + 6, (
        f"{worst} waited {gaps[worst]:.1f} s for a poll (interval {POLL:.0f} s); runs at "
        f"{[round(t - window_start, 1) for t in runs[worst]]} s into the window"
    )
    # and the backfill itself went on to the end
    wait_until(lambda: not backfilling(), 240, "the end of the big backfill")
    assert int(redis.hget(keys.status(big.id), "collected:activities")) == BIG
