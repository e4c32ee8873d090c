"""All three APIs collected by real workers while the console keeps changing underneath."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from collector.redisconn import RedisClient
from simulator import Simulator, SimulatorConfig
from tests.integration.helpers import (
    Service,
    delivered,
    ledger_versions,
    read_sink,
    registry_for,
    service_env,
    source_doc,
    version_of,
    wait_until,
)
from tests.redis_server import RedisServer

pytestmark = pytest.mark.integration


def test_every_version_of_every_api_arrives_exactly_once_while_the_console_changes(
    redis: RedisClient, redis_server: RedisServer, tmp_path: Path, services: list[Service]
) -> None:
    # Given a console with a backlog of several pages per API, and two worker processes
    config = SimulatorConfig(
        seed=11, activities=6000, agents=1500, threats=1300, days=1.0, rate_limits=False
    )
    with Simulator(config) as sim:
        sink = tmp_path / "events.ndjson"
        env = service_env(
            redis_server.url,
            tmp_path,
            sink,
            COLLECTOR_POLL_INTERVAL="2",
            COLLECTOR_DISPATCH_INTERVAL="1",
            COLLECTOR_SETTLE_LAG="1",
            COLLECTOR_RUN_MAX_PAGES="2",
        )
        registry_for(redis).create(
            source_doc(sim.url, apis=("activities", "agents", "threats"), backfill_days=2)
        )
        services.append(Service.worker("w1", env, tmp_path, concurrency=2).wait_ready())
        services.append(Service.beat(env, tmp_path))
        # When new activities appear and threats and agents change during the collection
        stop = threading.Event()

        def change() -> None:
            while not stop.wait(0.2):
                sim.add_activities(25)
                sim.mutate_threats(5)
                sim.update_agents(5)

        changer = threading.Thread(target=change)
        changer.start()
        try:
            wait_until(lambda: len(delivered(sink)) > 4000, 60, "collection under way")
            stop.wait(6)
        finally:
            stop.set()
            changer.join()
        # Then, once the last changes have settled, the sink holds every version exactly once
        expected = ledger_versions(sim)
        wait_until(
            lambda: set(delivered(sink)) >= expected, 90, "every version in the sink", interval=0.5
        )
        counts = delivered(sink)
        assert set(counts) == expected
        assert max(counts.values()) == 1
        assert sum(1 for api, _, _ in counts if api == "threats") > config.threats
        assert sum(1 for api, _, _ in counts if api == "agents") > config.agents
        # and each one equal, as a JSON value, to what the console served
        bodies = {
            (e.api, e.id, e.version): json.loads(e.body)
            for e in sim.ledger(body=True)
            if e.body is not None
        }
        for line in read_sink(sink):
            key = (line["api"], line["event"]["id"], version_of(line["api"], line["event"]))
            assert line["event"] == bodies[key]
