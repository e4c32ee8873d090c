"""Cursors: opaque, keyset-based, bound to the filters and sort, optionally expiring."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from simtest_support import get, make_config, walk

from simulator import ManualClock, Simulator

SAMPLES = Path(__file__).parent / "samples"
INVALID_CURSOR = json.loads((SAMPLES / "400_invalid_cursor.json").read_text())
FILTERS = {"limit": "100", "sortBy": "createdAt", "sortOrder": "asc",
           "createdAt__gte": "2024-04-30T00:00:00.000000Z"}


def _first_cursor(sim: Simulator, **params: str) -> str:
    cursor = get(sim, "activities", **params).json()["pagination"]["nextCursor"]
    assert isinstance(cursor, str)
    return cursor


def test_cursor_is_opaque_base64(shared_sim: Simulator) -> None:
    # When a page has more after it
    cursor = _first_cursor(shared_sim, **FILTERS)
    # Then its cursor is a base64 string
    assert base64.b64decode(cursor, validate=True)


def test_cursor_survives_resending_the_same_filters(shared_sim: Simulator) -> None:
    # Given a cursor from a filtered walk
    first = get(shared_sim, "activities", **FILTERS).json()
    cursor = first["pagination"]["nextCursor"]
    # When re-sending the same filters with it (twice)
    second = get(shared_sim, "activities", cursor=cursor, **FILTERS).json()
    again = get(shared_sim, "activities", cursor=cursor, **FILTERS).json()
    # Then the next page follows on, the same each time
    assert second["data"] == again["data"]
    assert not {o["id"] for o in first["data"]} & {o["id"] for o in second["data"]}
    assert second["data"][0]["createdAt"] >= first["data"][-1]["createdAt"]


@pytest.mark.parametrize(
    "change",
    [
        {"sortOrder": "desc"},
        {"sortBy": "id"},
        {"createdAt__gte": "2024-04-30T00:00:00.000001Z"},
        {"siteIds": "1234567898765432112"},
    ],
)
def test_cursor_with_different_filters_or_sort_is_rejected(
    shared_sim: Simulator, change: dict[str, str]
) -> None:
    # Given a cursor from one query
    cursor = _first_cursor(shared_sim, **FILTERS)
    # When sending it with another query
    response = get(shared_sim, "activities", cursor=cursor, **{**FILTERS, **change})
    # Then the console answers 400 Invalid cursor, exactly as in the sample
    assert response.status_code == 400
    assert response.json() == INVALID_CURSOR


@pytest.mark.parametrize("cursor", ["not-base64!", "bm9wZQ==", base64.b64encode(b"{}").decode()])
def test_garbled_cursor_is_rejected(shared_sim: Simulator, cursor: str) -> None:
    # When sending something that is not a cursor of ours
    response = get(shared_sim, "activities", cursor=cursor, **FILTERS)
    # Then the console answers 400 Invalid cursor
    assert response.status_code == 400
    assert response.json() == INVALID_CURSOR


def test_cursor_of_another_endpoint_is_rejected(shared_sim: Simulator) -> None:
    # Given a cursor from the threats listing
    params = {"limit": "2", "sortBy": "createdAt", "sortOrder": "asc"}
    cursor = get(shared_sim, "threats", **params).json()["pagination"]["nextCursor"]
    # When sending it to activities with the same parameters
    response = get(shared_sim, "activities", cursor=cursor, **params)
    # Then it is invalid there
    assert response.status_code == 400


def test_cursor_expires_after_the_configured_ttl() -> None:
    # Given cursors that live 60 seconds
    clock = ManualClock(make_config().anchor)
    with Simulator(make_config(clock=clock)) as sim:
        sim.set_faults(cursor_ttl=60)
        cursor = _first_cursor(sim, **FILTERS)
        # When using it within the ttl, then it works
        clock.advance(59)
        assert get(sim, "activities", cursor=cursor, **FILTERS).status_code == 200
        # When using it after the ttl, then it is an invalid cursor
        clock.advance(2)
        response = get(sim, "activities", cursor=cursor, **FILTERS)
        assert response.status_code == 400
        assert response.json() == INVALID_CURSOR


def test_keyset_cursor_neither_skips_nor_repeats_when_objects_are_added(sim: Simulator) -> None:
    # Given a walk by createdAt, half done
    params = {"limit": "500", "sortBy": "createdAt", "sortOrder": "asc"}
    first = get(sim, "activities", **params).json()
    # When activities are added during the walk (they sort after everything)
    added = set(sim.add_activities(30))
    rest, _ = walk(sim, "activities", cursor=first["pagination"]["nextCursor"], **params)
    ids = [o["id"] for o in first["data"]] + [o["id"] for o in rest]
    # Then every activity, old and new, comes exactly once
    assert len(ids) == len(set(ids)) == 2500 + 30
    assert added <= set(ids)


def test_keyset_cursor_on_desc_walk_is_stable_when_objects_are_added(sim: Simulator) -> None:
    # Given a walk by createdAt descending, one page done
    params = {"limit": "700", "sortBy": "createdAt", "sortOrder": "desc"}
    first = get(sim, "activities", **params).json()
    # When activities are added at the top during the walk
    sim.add_activities(10)
    rest, _ = walk(sim, "activities", cursor=first["pagination"]["nextCursor"], **params)
    ids = [o["id"] for o in first["data"]] + [o["id"] for o in rest]
    # Then nothing shifts: the original 2500 come exactly once, the new ones not at all
    assert len(ids) == len(set(ids)) == 2500
