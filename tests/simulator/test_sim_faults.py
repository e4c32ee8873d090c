"""Injected faults: errors, latency, hangs, garbage bodies, odd last-page cursors."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import requests
from simtest_support import auth, get, make_config, walk

from simulator import FaultSettings, Simulator

SAMPLES = Path(__file__).parent / "samples"


def test_error_rate_answers_500_in_the_console_envelope(sim: Simulator) -> None:
    # Given every request fails
    sim.set_faults(error_rate=1.0)
    # When listing
    response = get(sim, "activities")
    # Then the console's 500 body comes
    assert response.status_code == 500
    assert response.json() == json.loads((SAMPLES / "500_internal.json").read_text())
    # When the faults are reset, then requests succeed again
    sim.reset_faults()
    assert get(sim, "activities").status_code == 200


def test_partial_error_rate_is_deterministic_per_seed() -> None:
    # Given two simulators with the same seed and a 30% error rate
    runs = []
    for _ in range(2):
        with Simulator(make_config(activities=10, faults=FaultSettings(error_rate=0.3))) as sim:
            runs.append([get(sim, "agents").status_code for _ in range(40)])
    # Then both fail the same requests, some but not all
    assert runs[0] == runs[1]
    assert 0 < runs[0].count(500) < 40


@pytest.mark.parametrize("status", [200, 502])
def test_garbage_rate_answers_an_html_page(sim: Simulator, status: int) -> None:
    # Given every answer is an HTML page from a proxy
    sim.set_faults(garbage_rate=1.0, garbage_status=status)
    # When listing
    response = get(sim, "threats")
    # Then the body is not JSON, with the chosen status
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ValueError):
        response.json()


def test_latency_is_added(sim: Simulator) -> None:
    # Given 300 ms added latency
    sim.set_faults(latency_ms=300)
    # When listing
    began = time.perf_counter()
    response = get(sim, "agents")
    # Then the answer takes at least that long
    assert response.status_code == 200
    assert time.perf_counter() - began >= 0.3


def test_hanging_requests_time_out_and_stop_releases_them() -> None:
    # Given every request hangs for a minute
    sim = Simulator(make_config(activities=10)).start()
    sim.set_faults(hang_rate=1.0, hang_seconds=60)
    # When the client waits a quarter of a second
    # Then it times out
    with pytest.raises(requests.Timeout):
        requests.get(f"{sim.api_url}/agents", headers=auth(), timeout=0.25)
    # And stopping the simulator does not wait for the hang
    began = time.perf_counter()
    sim.stop()
    assert time.perf_counter() - began < 5


@pytest.mark.parametrize(
    ("setting", "check"),
    [
        ("null", lambda p: "nextCursor" in p and p["nextCursor"] is None),
        ("string", lambda p: p["nextCursor"] == "null"),
        ("missing", lambda p: "nextCursor" not in p),
        ("empty", lambda p: p["nextCursor"] == ""),
    ],
)
def test_last_page_cursor_variants(sim: Simulator, setting: str, check: object) -> None:
    # Given a last-page cursor style
    sim.set_faults(last_page_cursor=setting)
    # When walking to the end
    seen, responses = walk(sim, "threats", limit=10, sortBy="id", sortOrder="asc")
    # Then the last page marks the end in that style and nothing is lost
    assert callable(check)
    assert check(responses[-1].json()["pagination"])
    assert len(seen) == 25
    assert all(r.json()["pagination"]["nextCursor"] not in (None, "", "null")
               for r in responses[:-1])


def test_admin_endpoint_sets_shows_and_resets_faults(sim: Simulator) -> None:
    # When setting faults through the admin endpoint
    response = requests.post(f"{sim.url}/_admin/faults",
                             json={"error_rate": 1.0, "cursor_ttl": 30}, timeout=10)
    # Then they are in force and shown
    assert response.json()["error_rate"] == 1.0
    shown = requests.get(f"{sim.url}/_admin/faults", timeout=10).json()
    assert shown["cursor_ttl"] == 30
    assert sim.faults.error_rate == 1.0
    assert get(sim, "agents").status_code == 500
    # When sending an unknown or invalid setting, then the admin API refuses it
    bad = requests.post(f"{sim.url}/_admin/faults", json={"nope": 1}, timeout=10)
    assert bad.status_code == 400
    invalid = requests.post(f"{sim.url}/_admin/faults", json={"error_rate": 2}, timeout=10)
    assert invalid.status_code == 400
    # When resetting, then the start settings are back
    reset = requests.delete(f"{sim.url}/_admin/faults", timeout=10).json()
    assert reset == FaultSettings().as_dict()
    assert get(sim, "agents").status_code == 200
