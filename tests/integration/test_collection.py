"""Collection end to end inside one process: real Redis, the simulator, the fetch and forward
use cases. (Delivery through real worker processes is in test_workers.py.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from collector import keys
from collector.fetch import Progress
from collector.redisconn import RedisClient
from collector.runtime import Runtime
from collector.settings import Settings
from collector.state import State
from simulator import Simulator, SimulatorConfig
from tests.integration.helpers import delivered, ledger_versions, read_sink, source_doc
from tests.redis_server import RedisServer

BACKLOG = SimulatorConfig(
    seed=3, activities=3500, agents=1200, threats=1100, days=1.0, rate_limits=False
)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(BACKLOG) as simulator:
        yield simulator


@pytest.fixture
def runtime(redis: RedisClient, redis_server: RedisServer, home: Path) -> Runtime:
    settings = Settings(
        redis_url=redis_server.url,
        home=home,
        sink_url=f"file://{home / 'events.ndjson'}",
        settle_lag=0.0,
        run_max_pages=2,
        secret_key="k",
    )
    return Runtime(settings)


def collect(rt: Runtime, source_id: str, apis: tuple[str, ...]) -> int:
    """Run fetches until no walk has more pages, then forward everything; returns runs made."""
    runs = 0
    for api in apis:
        while True:
            runs += 1
            if not rt.fetcher.run(source_id, api).more:
                break
    rt.forwarder.run(source_id)
    return runs


ALL = ("activities", "agents", "threats")


def test_every_object_of_every_api_reaches_the_sink_exactly_once(
    sim: Simulator, runtime: Runtime
) -> None:
    # Given a console with a backlog of several pages per API
    source = runtime.registry.create(source_doc(sim.url, apis=ALL, backfill_days=2))
    # When the source is collected and then changes: new activities, changed threats and agents
    collect(runtime, source.id, ALL)
    sim.add_activities(1500)
    sim.mutate_threats(40)
    sim.update_agents(30)
    collect(runtime, source.id, ALL)
    # Then the sink holds every version the console served, exactly once
    sink = runtime.settings.home / "events.ndjson"
    counts = delivered(sink)
    assert max(counts.values()) == 1
    assert set(counts) == ledger_versions(sim)
    assert runtime.status.state(source.id) is State.COLLECTING


def test_the_sink_holds_each_object_equal_to_what_the_console_served(
    sim: Simulator, runtime: Runtime
) -> None:
    source = runtime.registry.create(source_doc(sim.url, apis=("activities",), backfill_days=2))

    collect(runtime, source.id, ("activities",))

    served = {e["id"]: e for e in ledger_bodies(sim, "activities")}
    lines = read_sink(runtime.settings.home / "events.ndjson")
    assert len(lines) == BACKLOG.activities
    for line in lines:
        assert line["event"] == served[line["event"]["id"]]
        assert line["metadata"] == {"_source": "S1"}
    big = [line for line in lines if _has_big_int(line["event"].get("data"))]
    assert big, "the simulator serves integers above 2**53 inside activity.data"


def test_siem_metadata_is_attached_when_forwarding_to_siem(
    sim: Simulator, runtime: Runtime
) -> None:
    source = runtime.registry.create(
        source_doc(
            sim.url,
            apis=ALL,
            backfill_days=2,
            category="sec/s1",
            fields={"_siemForward": True, "team": "blue"},
        )
    )

    collect(runtime, source.id, ALL)

    for line in read_sink(runtime.settings.home / "events.ndjson"):
        meta, event = line["metadata"], line["event"]
        assert meta["_source"] == "S1" and meta["_sourceCategory"] == "sec/s1"
        assert meta["team"] == "blue" and meta["_siemVendor"] == "SentinelOne"
        assert (meta["_siemProduct"], meta["_siemFormat"]) == ("MGMT API", "JSON")
        if line["api"] == "activities":
            assert meta["_siemEventID"] == f"activities - {event['activityType']}"
        elif line["api"] == "threats":
            assert meta["_siemEventID"] == f"threats - {event['threatInfo']['classification']}"
        else:
            assert (meta["_siemEventID"], meta["_siemDataType"]) == ("agents", "Inventory")


def test_a_refused_cursor_re_lists_from_the_position_without_loss_or_repeats(
    sim: Simulator, runtime: Runtime
) -> None:
    # Given cursors that the console forgets between runs
    source = runtime.registry.create(source_doc(sim.url, backfill_days=2))
    runtime.fetcher.run(source.id, "activities")  # two pages committed, a cursor saved
    sim.set_faults(cursor_ttl=0.001)
    # When collection continues with the stale cursor
    collect(runtime, source.id, ("activities",))
    # Then nothing is lost or repeated
    counts = delivered(runtime.settings.home / "events.ndjson")
    assert max(counts.values()) == 1 and len(counts) == BACKLOG.activities


@pytest.mark.parametrize("last_cursor", ["null", "missing", "empty"])
def test_every_spelling_of_the_last_page_ends_the_walk(
    sim: Simulator, runtime: Runtime, last_cursor: str
) -> None:
    sim.set_faults(last_page_cursor=last_cursor)
    source = runtime.registry.create(source_doc(sim.url, backfill_days=2))

    runs = collect(runtime, source.id, ("activities",))

    assert runs == 2  # 4 pages, 2 per run
    assert len(delivered(runtime.settings.home / "events.ndjson")) == BACKLOG.activities


def test_a_fetch_whose_lease_was_taken_over_commits_nothing(
    sim: Simulator, runtime: Runtime
) -> None:
    # Given a worker that stalls past its lease while a page is in flight
    source = runtime.registry.create(source_doc(sim.url, backfill_days=2))
    lease_key = keys.lease(source.id, "activities")
    real = runtime.client_for

    class Stalling:
        def __init__(self, inner: object) -> None:
            self.inner = inner

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

        def list_page(self, path: str, params: dict[str, str]):  # type: ignore[no-untyped-def]
            page = self.inner.list_page(path, params)  # type: ignore[attr-defined]
            runtime.redis.delete(lease_key)  # the lease expired meanwhile ...
            runtime.redis.set(lease_key, "999999")  # ... and another worker took over
            return page

    runtime.fetcher._client_for = lambda s: Stalling(real(s))  # type: ignore[assignment,return-value]
    # When the stalled worker tries to commit
    outcome = runtime.fetcher.run(source.id, "activities")
    # Then it gave up without writing anything
    assert outcome.skipped == "lease lost"
    assert runtime.redis.xlen(keys.outbox(source.id)) == 0
    assert not runtime.redis.exists(keys.checkpoint(source.id, "activities"))


def test_a_console_error_is_classified_and_retried_later(sim: Simulator, runtime: Runtime) -> None:
    source = runtime.registry.create(
        source_doc(
            sim.url, token="no-threats-token", apis=("activities", "threats"), backfill_days=2
        )
    )

    runtime.fetcher.run(source.id, "threats")
    sim.set_faults(error_rate=1.0)
    runtime.fetcher.run(source.id, "activities")

    status = runtime.status.snapshot(source.id)
    assert status["api:threats"] == "error" and "ThirdPartyConfig" in status["api:threats:error"]
    assert status["api:activities"] == "retrying"
    assert "no-threats-token" not in json.dumps(status)
    assert runtime.status.state(source.id) is State.ERROR


def test_progress_is_reported_while_a_backfill_runs(sim: Simulator, runtime: Runtime) -> None:
    source = runtime.registry.create(source_doc(sim.url, backfill_days=2))
    seen: list[Progress] = []

    runtime.fetcher.run(source.id, "activities", on_progress=seen.append)

    assert [p.done for p in seen] == [1000, 2000]
    assert all(p.total == BACKLOG.activities for p in seen)
    assert seen[-1].eta_seconds is not None


def ledger_bodies(sim: Simulator, api: str) -> list[dict[str, object]]:
    return [json.loads(e.body) for e in sim.ledger(api, body=True) if e.body is not None]


def _has_big_int(value: object) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) > 2**53
    if isinstance(value, dict):
        return any(_has_big_int(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_big_int(v) for v in value)
    return False


def test_site_and_account_ids_scope_what_is_collected(sim: Simulator, runtime: Runtime) -> None:
    # Given a source scoped to one site of the console
    activities = ledger_bodies(sim, "activities")
    site = next(str(a["siteId"]) for a in activities if a.get("siteId"))
    account = next(str(a["accountId"]) for a in activities if a.get("siteId") == site)
    source = runtime.registry.create(
        source_doc(sim.url, backfill_days=2, site_ids=[site], account_ids=[account])
    )
    # When it is collected
    collect(runtime, source.id, ("activities",))
    # Then exactly that site's activities arrived
    lines = read_sink(runtime.settings.home / "events.ndjson")
    expected = {a["id"] for a in activities if str(a.get("siteId")) == site}
    assert {line["event"]["id"] for line in lines} == expected
    assert 0 < len(expected) < len(activities)


@pytest.mark.parametrize(
    ("faults", "message"),
    [
        ({"garbage_rate": 1.0, "garbage_status": 200}, "not the expected JSON"),
        ({"garbage_rate": 1.0, "garbage_status": 502}, "HTTP 502"),
        ({"hang_rate": 1.0, "hang_seconds": 3.0}, "did not answer in time"),
        ({"error_rate": 1.0}, "HTTP 500"),
    ],
)
def test_console_failures_are_retried_as_third_party_generic_errors(
    sim: Simulator, runtime: Runtime, faults: dict[str, float | int], message: str
) -> None:
    rt = Runtime(replace(runtime.settings, http_read_timeout=0.5))
    source = rt.registry.create(source_doc(sim.url, backfill_days=2))
    sim.set_faults(**faults)

    outcome = rt.fetcher.run(source.id, "activities")

    status = rt.status.snapshot(source.id)
    assert outcome.pages == 0
    assert status["api:activities"] == "retrying"
    assert status["api:activities:error"].startswith("ThirdPartyGeneric")
    assert message in status["api:activities:error"]


def test_an_unexpected_object_is_an_internal_error_that_is_retried(
    sim: Simulator, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = runtime.registry.create(source_doc(sim.url, backfill_days=2))
    monkeypatch.setattr("collector.fetch.take_page", lambda *a, **k: 1 / 0)

    runtime.fetcher.run(source.id, "activities")

    status = runtime.status.snapshot(source.id)
    assert status["api:activities"] == "retrying"
    assert status["api:activities:error"] == (
        "FirstPartyGeneric: internal error (ZeroDivisionError)"
    )
