"""Delivery through real Celery worker and beat processes, a real Redis and the simulator,
including workers that are killed with SIGKILL in the middle of a backfill."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from celery import Celery

from collector import keys
from collector.redisconn import RedisClient
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


def test_activities_flow_from_the_console_to_the_file_through_workers_and_beat(
    redis: RedisClient, redis_server: RedisServer, tmp_path: Path, services: list[Service]
) -> None:
    # Given a console with a backlog, a registered source, a worker and beat
    with Simulator(
        SimulatorConfig(seed=5, activities=2500, agents=10, threats=5, days=1.0, rate_limits=False)
    ) as sim:
        sink = tmp_path / "events.ndjson"
        env = service_env(redis_server.url, tmp_path, sink, COLLECTOR_DISPATCH_INTERVAL="1")
        source = registry_for(redis).create(source_doc(sim.url, backfill_days=2))
        services.append(Service.worker("w1", env, tmp_path).wait_ready())
        services.append(Service.beat(env, tmp_path))
        # When beat dispatches and the worker fetches and forwards
        wait_until(lambda: len(delivered(sink)) >= 2500, 60, "the backlog in the sink")
        # Then every activity arrived once and the source is Collecting
        counts = delivered(sink)
        assert max(counts.values()) == 1
        assert set(counts) == ledger_versions(sim, "activities")
        wait_until(
            lambda: redis.hget(keys.status(source.id), "state") == "Collecting",
            10,
            "the Collecting state",
        )


def test_a_worker_killed_mid_backfill_loses_nothing_and_resumes_from_its_last_page(
    redis: RedisClient, redis_server: RedisServer, tmp_path: Path, services: list[Service]
) -> None:
    total = 20_000
    with Simulator(
        SimulatorConfig(seed=9, activities=total, agents=10, threats=5, days=1.0, rate_limits=False)
    ) as sim:
        sim.set_faults(latency_ms=60)  # slow pages, so the kill lands mid-backfill
        sink = tmp_path / "events.ndjson"
        env = service_env(
            redis_server.url,
            tmp_path,
            sink,
            COLLECTOR_DISPATCH_INTERVAL="1",
            COLLECTOR_RUN_MAX_PAGES="2",
            COLLECTOR_LEASE_TTL="3",
            COLLECTOR_CLAIM_TTL="4",
            COLLECTOR_FORWARD_RECLAIM_IDLE="3",
        )
        source = registry_for(redis).create(source_doc(sim.url, backfill_days=2))
        first = Service.worker("w1", env, tmp_path).wait_ready()
        services.append(first)
        services.append(Service.beat(env, tmp_path))
        # Given a backfill that is well under way
        wait_until(lambda: walk_done(redis, source.id) >= 6000, 60, "6,000 activities committed")
        # When the worker and its pool are killed outright and a fresh worker takes over
        first.kill()
        pages_before = walk_done(redis, source.id) // 1000
        services.append(Service.worker("w2", env, tmp_path).wait_ready())
        wait_until(lambda: len(delivered(sink)) >= total, 120, "the whole backlog in the sink")
        # Then nothing is lost, nothing is repeated beyond what was counted as redelivered,
        counts = delivered(sink)
        assert set(counts) == ledger_versions(sim, "activities")
        repeats = sum(n - 1 for n in counts.values())
        redelivered = int(redis.hget(keys.status(source.id), "redelivered") or 0)
        assert repeats <= redelivered
        # and the new worker continued from the last committed page, not from the beginning
        served = sim.stats()["endpoints"]["activities"]
        assert pages_before >= 6
        assert served["requests"] <= total // 1000 + 3, served
        assert served["items"] <= total + 3000, served


def test_backfill_progress_is_published_as_task_events_for_flower(
    redis: RedisClient, redis_server: RedisServer, tmp_path: Path, services: list[Service]
) -> None:
    # Given something listening to task events, as Flower does
    events: list[dict[str, object]] = []
    listener = Celery(broker=redis_server.url)
    with listener.connection_for_read() as connection:

        def on_progress(event: dict[str, object]) -> None:
            events.append(event)
            receiver.should_stop = len(events) >= 2

        receiver = listener.events.Receiver(connection, handlers={"task-progress": on_progress})
        consumer = threading.Thread(
            target=lambda: receiver.capture(limit=None, timeout=60, wakeup=False), daemon=True
        )
        consumer.start()
        wait_until(lambda: redis.pubsub_numpat() > 0, 10, "the event receiver to subscribe")
        with Simulator(
            SimulatorConfig(
                seed=4, activities=5000, agents=2, threats=1, days=1.0, rate_limits=False
            )
        ) as sim:
            env = service_env(
                redis_server.url,
                tmp_path,
                tmp_path / "events.ndjson",
                COLLECTOR_DISPATCH_INTERVAL="1",
                COLLECTOR_RUN_MAX_PAGES="3",
            )
            # When a worker backfills a source
            source = registry_for(redis).create(source_doc(sim.url, backfill_days=2))
            services.append(Service.worker("w1", env, tmp_path).wait_ready())
            services.append(Service.beat(env, tmp_path))
            consumer.join(60)
    # Then its progress arrived as task events: objects done of the total, with a rate
    assert [e["done"] for e in events] == [1000, 2000]
    assert all(e["total"] == 5000 and e["source_id"] == source.id for e in events)
    assert all(float(e["rate"]) > 0 for e in events)  # type: ignore[arg-type]
