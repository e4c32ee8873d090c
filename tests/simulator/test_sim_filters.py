"""Filters: time ranges, ``__between``, scope and type filters, totals and counting modes."""

from __future__ import annotations

from typing import Any

import pytest
from simtest_expectations import expected_order, scope, timestamp
from simtest_support import get, ledger_objects, make_config, walk

from simulator import Simulator
from simulator.timefmt import format_us


def _brute(api: str, objects: list[dict[str, Any]], **criteria: Any) -> list[dict[str, Any]]:
    kept = objects
    for name, (field, low, high) in criteria.items():
        del name
        kept = [o for o in kept if low <= timestamp(api, o, field) <= high]
    return kept


@pytest.mark.parametrize("api", ["activities", "threats", "agents"])
def test_time_operators_select_exactly_the_microsecond_range(
    shared_sim: Simulator, api: str
) -> None:
    # Given a timestamp that several objects share
    objects = ledger_objects(shared_sim, api)
    field = "createdAt" if api == "activities" else "updatedAt"
    stamps = sorted(timestamp(api, o, field) for o in objects)
    pivot = stamps[len(stamps) // 2]
    cases = {
        "gte": (pivot, 2**62),
        "gt": (pivot + 1, 2**62),
        "lte": (-(2**62), pivot),
        "lt": (-(2**62), pivot - 1),
    }
    for operator, (low, high) in cases.items():
        # When filtering with that operator at microsecond precision
        seen, responses = walk(shared_sim, api, limit=9 if api != "activities" else 1000,
                               sortBy=field, sortOrder="asc",
                               **{f"{field}__{operator}": format_us(pivot)})
        # Then exactly the objects in range come, and totalItems counts them
        expected = _brute(api, objects, r=(field, low, high))
        assert [o["id"] for o in seen] == expected_order(api, expected, field, False), operator
        assert responses[0].json()["pagination"]["totalItems"] == len(expected)


def test_combined_bounds_and_between_in_milliseconds(shared_sim: Simulator) -> None:
    # Given a window of activities
    objects = ledger_objects(shared_sim, "activities")
    stamps = sorted(timestamp("activities", o, "createdAt") for o in objects)
    low, high = stamps[300], stamps[1800]
    # When filtering with __gte and __lt together
    seen, _ = walk(shared_sim, "activities", limit=500, sortBy="createdAt", sortOrder="desc",
                   createdAt__gte=format_us(low), createdAt__lt=format_us(high))
    expected = _brute("activities", objects, r=("createdAt", low, high - 1))
    assert [o["id"] for o in seen] == expected_order("activities", expected, "createdAt", True)
    # When filtering with __between=<from_ms>-<to_ms> (inclusive, whole milliseconds)
    low_ms, high_ms = low // 1000, high // 1000
    seen, _ = walk(shared_sim, "activities", limit=1000, sortBy="id", sortOrder="asc",
                   createdAt__between=f"{low_ms}-{high_ms}")
    expected = _brute("activities", objects, r=("createdAt", low_ms * 1000, high_ms * 1000 + 999))
    assert [o["id"] for o in seen] == expected_order("activities", expected, "id", False)


@pytest.mark.parametrize(
    ("api", "param", "attribute"),
    [
        ("activities", "siteIds", "siteId"),
        ("activities", "accountIds", "accountId"),
        ("activities", "groupIds", "groupId"),
        ("activities", "agentIds", "agentId"),
        ("threats", "siteIds", "siteId"),
        ("threats", "accountIds", "accountId"),
        ("threats", "agentIds", "agentId"),
        ("agents", "siteIds", "siteId"),
        ("agents", "groupIds", "groupId"),
    ],
)
def test_scope_filters_take_comma_joined_ids(
    shared_sim: Simulator, api: str, param: str, attribute: str
) -> None:
    # Given two values of a scope attribute
    objects = ledger_objects(shared_sim, api)
    values = sorted({v for o in objects if (v := scope(api, o, attribute)) is not None})[:2]
    # When filtering by both, comma-joined
    seen, responses = walk(shared_sim, api, limit=1000, sortBy="id", sortOrder="asc",
                           **{param: ",".join(values)})
    # Then exactly the objects in those scopes come
    expected = [o for o in objects if scope(api, o, attribute) in values]
    assert expected
    assert [o["id"] for o in seen] == expected_order(api, expected, "id", False)
    assert responses[0].json()["pagination"]["totalItems"] == len(expected)


def test_activity_types_and_ids_filters(shared_sim: Simulator) -> None:
    # Given the activities
    objects = ledger_objects(shared_sim, "activities")
    # When filtering by two activity types together with a time bound
    since = sorted(timestamp("activities", o, "createdAt") for o in objects)[1000]
    seen, responses = walk(shared_sim, "activities", limit=100, sortBy="activityType",
                           sortOrder="asc", activityTypes="27,90",
                           createdAt__gte=format_us(since))
    expected = [o for o in objects if o["activityType"] in (27, 90)
                and timestamp("activities", o, "createdAt") >= since]
    assert [o["id"] for o in seen] == expected_order("activities", expected, "activityType", False)
    assert responses[0].json()["pagination"]["totalItems"] == len(expected)
    # When filtering by ids
    wanted = [objects[3]["id"], objects[99]["id"]]
    seen, _ = walk(shared_sim, "activities", sortBy="id", sortOrder="asc", ids=",".join(wanted))
    assert sorted(o["id"] for o in seen) == sorted(wanted)


def test_count_only_and_skip_count(shared_sim: Simulator) -> None:
    # When asking for the count only
    body = get(shared_sim, "agents", countOnly="true").json()
    # Then no objects come, only the total
    assert body["data"] == []
    assert body["pagination"]["totalItems"] == 40
    # When skipping the count
    body = get(shared_sim, "agents", skipCount="true", limit=5).json()
    # Then objects come with a total of 0
    assert len(body["data"]) == 5
    assert body["pagination"]["totalItems"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"sortBy": "computerName"},
        {"sortBy": "createdAt", "sortOrder": "up"},
        {"createdAt__gte": "yesterday"},
        {"createdAt__gte": "2024-04-30T10:00:00.1234567Z"},
        {"updatedAt__gte": "2024-04-30T10:00:00.000000Z"},
        {"siteIds": "12,abc"},
        {"countOnly": "maybe"},
        {"createdAt__between": "5-"},
        {"skip": "1001"},
        {"noSuchFilter": "1"},
    ],
)
def test_invalid_parameters_are_400_in_the_error_envelope(
    shared_sim: Simulator, params: dict[str, str]
) -> None:
    # When sending a parameter the console rejects (activities have no updatedAt filter)
    response = get(shared_sim, "activities", **params)
    # Then the answer is 400 with the validation error code
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == 4000010
    assert isinstance(error["title"], str)
    assert isinstance(error["detail"], str)


def test_offset_timestamps_are_accepted_unless_rejected_by_option() -> None:
    # Given one simulator accepting and one rejecting numeric offsets
    with Simulator(make_config(activities=50)) as lenient, Simulator(
        make_config(activities=50, reject_offset_timestamps=True)
    ) as strict:
        params = {"createdAt__gte": "2024-04-30T14:00:00.000000+02:00", "sortBy": "createdAt"}
        # When filtering with +02:00
        # Then the lenient one converts it to UTC, the strict one refuses
        body = get(lenient, "activities", **params).json()
        zulu = get(lenient, "activities", createdAt__gte="2024-04-30T12:00:00.000000Z",
                   sortBy="createdAt").json()
        assert body["pagination"]["totalItems"] == zulu["pagination"]["totalItems"]
        assert get(strict, "activities", **params).status_code == 400
        zulu_strict = get(strict, "activities", createdAt__gte="2024-04-30T12:00:00.000000Z")
        assert zulu_strict.status_code == 200
