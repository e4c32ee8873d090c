"""The ledger of served versions and the request statistics."""

from __future__ import annotations

import hashlib
import json

import requests
from simtest_support import get, walk

from simulator import Simulator


def test_ledger_hashes_are_of_the_exact_bytes_served(sim: Simulator) -> None:
    # Given a page of activities, threats and agents served
    pages = {api: get(sim, api, limit=20, sortBy="id", sortOrder="asc").content
             for api in ("activities", "threats", "agents")}
    # When reading the ledger with bodies
    entries = sim.ledger(body=True)
    # Then each served version's body is a verbatim part of the page and its hash matches
    served = [e for e in entries if e.served]
    assert len(served) == 60
    for entry in served:
        assert entry.body is not None
        assert entry.body in pages[entry.api]
        assert hashlib.sha256(entry.body).hexdigest() == entry.sha256
    assert {e.api for e in entries} == {"activities", "threats", "agents"}
    assert sum(1 for e in entries if e.api == "activities") == 2500


def test_served_counts_and_version_timestamps(sim: Simulator) -> None:
    # When the threats are walked twice
    for _ in range(2):
        walk(sim, "threats", limit=10, sortBy="updatedAt", sortOrder="asc")
    # Then every threat version was served twice and carries threatInfo.updatedAt as version
    for entry in sim.ledger("threats", body=True):
        assert entry.served == 2
        assert entry.body is not None
        assert json.loads(entry.body)["threatInfo"]["updatedAt"] == entry.version
    # And a countOnly request serves nothing
    get(sim, "agents", countOnly="true")
    assert all(e.served == 0 for e in sim.ledger("agents"))


def test_admin_ledger_is_ndjson(sim: Simulator) -> None:
    # When reading the ledger over HTTP
    get(sim, "agents", limit=3)
    text = requests.get(f"{sim.url}/_admin/ledger", params={"api": "agents", "body": "1"},
                        timeout=10).text
    lines = [json.loads(line) for line in text.splitlines()]
    # Then there is one line per agent version with the object itself
    assert len(lines) == 40
    assert set(lines[0]) == {"api", "id", "version", "sha256", "served", "body"}
    assert sum(line["served"] for line in lines) == 3
    assert all(line["body"]["id"] == line["id"] for line in lines)


def test_stats_count_requests_by_endpoint_status_and_cursor(sim: Simulator) -> None:
    # Given a full walk, a bad request and an unauthenticated one
    walk(sim, "activities", limit=1000, sortBy="createdAt", sortOrder="asc")
    get(sim, "activities", limit=0)
    get(sim, "agents", token="nope")
    # When reading the stats
    stats = sim.stats()
    # Then requests are counted per endpoint and status, with cursors and items
    activities = stats["endpoints"]["activities"]
    assert activities == {"requests": 4, "status": {"200": 3, "400": 1}, "with_cursor": 2,
                          "items": 2500}
    assert stats["endpoints"]["agents"]["status"] == {"401": 1}
    assert stats["total"] == 5
    assert requests.get(f"{sim.url}/_admin/stats", timeout=10).json() == stats
    # And the request log shows the queries
    log = sim.requests()
    assert [entry["status"] for entry in log] == [200, 200, 200, 400, 401]
    assert "cursor=" in log[1]["query"]
    # When resetting, then the counts start over
    requests.delete(f"{sim.url}/_admin/stats", timeout=10)
    assert sim.stats() == {"total": 0, "endpoints": {}}


def test_admin_mutate_and_info(sim: Simulator) -> None:
    # When changing objects through the admin API
    changed = requests.post(f"{sim.url}/_admin/mutate",
                            json={"activities": 2, "threats": 1, "agents": 3}, timeout=10).json()
    info = requests.get(f"{sim.url}/_admin/info", timeout=10).json()
    # Then the ids are returned and the counts reflect them
    assert [len(changed[k]) for k in ("activities", "threats", "agents")] == [2, 1, 3]
    assert info["counts"] == {"activities": 2502, "agents": 40, "threats": 25}
    assert info["seed"] == 7
    assert info["anchor"] == "2024-05-01T12:00:00.000000Z"
