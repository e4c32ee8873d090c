"""A Redis server that crashes mid-backfill and comes back from its append-only file: the
workers reconnect, and no event is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from collector import keys
from collector.redisconn import connect
from simulator import Simulator, SimulatorConfig
from tests.integration.helpers import (
    Service,
    delivered,
    ledger_versions,
    registry_for,
    service_env,
    source_doc,
    wait_until,
    walk_done,
)
from tests.redis_server import RedisServer

pytestmark = pytest.mark.integration


def test_a_redis_crash_and_restart_mid_backfill_loses_nothing(
    tmp_path: Path, services: list[Service]
) -> None:
    total = 15_000
    server = RedisServer(tmp_path / "redis").start()  # our own: this test kills it
    try:
        redis = connect(server.url)
        with Simulator(
            SimulatorConfig(
                seed=12, activities=total, agents=2, threats=1, days=1.0, rate_limits=False
            )
        ) as sim:
            sim.set_faults(latency_ms=60)
            sink = tmp_path / "events.ndjson"
            env = service_env(
                server.url,
                tmp_path,
                sink,
                COLLECTOR_DISPATCH_INTERVAL="1",
                COLLECTOR_RUN_MAX_PAGES="2",
                COLLECTOR_LEASE_TTL="3",
                COLLECTOR_CLAIM_TTL="4",
                COLLECTOR_FORWARD_RECLAIM_IDLE="3",
            )
            source = registry_for(redis).create(source_doc(sim.url, backfill_days=2))
            services.append(Service.worker("w1", env, tmp_path).wait_ready())
            services.append(Service.beat(env, tmp_path))

            # Given a backfill under way
            wait_until(
                lambda: walk_done(redis, source.id) >= 4000, 60, "4,000 activities committed"
            )
            # When Redis is killed outright and started again on its data
            server.kill()
            server.start()
            # Then the workers carry on, and every activity reaches the sink
            wait_until(lambda: len(delivered(sink)) >= total, 120, "the backlog in the sink")
            counts = delivered(sink)
            assert set(counts) == ledger_versions(sim, "activities")
            repeats = sum(n - 1 for n in counts.values())
            assert repeats <= int(redis.hget(keys.status(source.id), "redelivered") or 0)
    finally:
        for service in reversed(services):
            service.stop()
        services.clear()
        server.stop()
