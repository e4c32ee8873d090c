"""Generated data: shapes like the samples, ids, timestamps, big integers, determinism."""

from __future__ import annotations

import json
import re
from pathlib import Path

from simtest_support import get, ledger_objects, make_config

from simulator import ManualClock, Simulator
from simulator.timefmt import parse_timestamp

SAMPLES = Path(__file__).parent / "samples"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
ID = re.compile(r"^\d{18,19}$")


def _sample_keys(name: str) -> set[str]:
    return set(json.loads((SAMPLES / name).read_text()))


def test_objects_have_the_fields_of_the_samples(shared_sim: Simulator) -> None:
    # Given one object of each kind
    activity = ledger_objects(shared_sim, "activities")[0]
    agent = ledger_objects(shared_sim, "agents")[0]
    threat = ledger_objects(shared_sim, "threats")[0]
    # Then each has at least every field of its sample
    assert _sample_keys("activity.json") <= set(activity)
    assert _sample_keys("agent.json") <= set(agent)
    assert _sample_keys("threat.json") <= set(threat)
    sample_threat = json.loads((SAMPLES / "threat.json").read_text())
    for part in ("threatInfo", "agentRealtimeInfo", "agentDetectionInfo"):
        assert set(sample_threat[part]) <= set(threat[part])
    # And threats have no top-level timestamps
    assert not {"createdAt", "updatedAt"} & set(threat)
    assert isinstance(threat["mitigationStatus"], list)


def test_ids_are_unique_18_to_19_digit_strings(shared_sim: Simulator) -> None:
    # Given every object
    ids = [e.id for e in shared_sim.ledger()]
    # Then ids are unique strings of 18-19 digits
    assert len(ids) == len(set(ids))
    assert all(ID.match(i) for i in ids)
    for activity in ledger_objects(shared_sim, "activities")[:200]:
        assert isinstance(activity["id"], str)
        assert activity["siteId"] is None or ID.match(activity["siteId"])


def test_timestamps_are_utc_microseconds_and_some_updates_precede_creation(
    shared_sim: Simulator,
) -> None:
    # Given the activities
    activities = ledger_objects(shared_sim, "activities")
    # Then timestamps have microseconds and Z
    assert all(TIMESTAMP.match(a["createdAt"]) and TIMESTAMP.match(a["updatedAt"])
               for a in activities)
    # And a few activities were updated a few microseconds before their creation
    early = [a for a in activities
             if parse_timestamp(a["updatedAt"]) < parse_timestamp(a["createdAt"])]
    assert 0 < len(early) < len(activities) // 10
    # And everything lies in the two days before the anchor
    anchor = parse_timestamp("2024-05-01T12:00:00Z")
    assert all(anchor - 2 * 86_400_000_000 <= parse_timestamp(a["createdAt"]) <= anchor
               for a in activities)


def test_big_integers_in_activity_data_survive_as_json_numbers(shared_sim: Simulator) -> None:
    # Given raw pages of activities of a type carrying numbers beyond 64 bits
    raw = get(shared_sim, "activities", limit=1000, activityTypes="5126,19").content
    # Then the bytes hold them as bare JSON numbers, and an exact parser keeps them
    assert re.search(rb'"externalServiceId":1\d{22}[,}]', raw)
    data = [a["data"] for a in json.loads(raw)["data"]]
    assert any(isinstance(d.get("threatId"), int) and d["threatId"] > 2**53 for d in data)
    assert any(d.get("externalServiceId", 0) > 2**64 for d in data)


def test_same_seed_and_anchor_give_the_same_bytes() -> None:
    # Given two simulators with one seed and anchor, and one with another seed
    def digests(seed: int) -> list[str]:
        config = make_config(seed=seed, activities=300, clock=ManualClock(make_config().anchor))
        return [e.sha256 for e in Simulator(config).ledger()]

    # Then the first two serve identical bytes and the third differs
    assert digests(3) == digests(3)
    assert digests(3) != digests(4)


def test_large_volumes_are_supported_with_ties_everywhere() -> None:
    # Given 30,000 activities with a high tie share
    sim = Simulator(make_config(activities=30_000, agents=200, threats=100, days=30,
                                tie_share=0.3, max_tie_run=12))
    stamps = [e.version_us for e in sim.ledger("activities")]
    # Then runs of equal timestamps up to the maximum exist and every boundary is tied
    ordered = sorted(stamps)
    runs: dict[int, int] = {}
    for stamp in ordered:
        runs[stamp] = runs.get(stamp, 0) + 1
    assert max(runs.values()) >= 10
    assert all(ordered[k - 1] == ordered[k] for k in range(1000, 30_000, 1000))
