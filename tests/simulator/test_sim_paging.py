"""Paging: every sort field and order walks to the end in the console's total order."""

from __future__ import annotations

import pytest
from simtest_expectations import expected_order, sort_value
from simtest_support import get, ledger_objects, walk

from simulator import Simulator
from simulator.specs import SPECS


@pytest.mark.parametrize("api", ["activities", "threats", "agents"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_walk_matches_brute_force_for_every_sort_field(
    shared_sim: Simulator, api: str, order: str
) -> None:
    # Given the objects the simulator made visible
    objects = ledger_objects(shared_sim, api)
    limit = 1000 if api == "activities" else 7
    for field in SPECS[api].sort_fields:
        # When walking with this sort field and order to the end
        seen, responses = walk(shared_sim, api, limit=limit, sortBy=field, sortOrder=order)
        # Then every object comes once, in (value, id) order, and the last page says so
        assert [o["id"] for o in seen] == expected_order(api, objects, field, order == "desc")
        assert all(r.json()["pagination"]["totalItems"] == len(objects) for r in responses)
        assert responses[-1].json()["pagination"]["nextCursor"] is None
        assert all(r.json()["pagination"]["nextCursor"] for r in responses[:-1])


def test_default_limit_is_ten_and_success_bodies_carry_null_errors(shared_sim: Simulator) -> None:
    # When asking without a limit
    body = get(shared_sim, "activities", sortBy="createdAt", sortOrder="asc").json()
    # Then ten objects come, with the console's envelope
    assert len(body["data"]) == 10
    assert body["errors"] is None
    assert set(body["pagination"]) == {"nextCursor", "totalItems"}


@pytest.mark.parametrize("limit", ["1", "1000"])
def test_limit_bounds_are_accepted(shared_sim: Simulator, limit: str) -> None:
    # When asking for the smallest and largest page
    response = get(shared_sim, "activities", limit=limit, sortBy="id", sortOrder="asc")
    # Then exactly that many objects come
    assert response.status_code == 200
    assert len(response.json()["data"]) == int(limit)


@pytest.mark.parametrize("limit", ["0", "1001", "-5", "ten"])
def test_limit_out_of_bounds_is_400(shared_sim: Simulator, limit: str) -> None:
    # When asking for an invalid page size
    response = get(shared_sim, "threats", limit=limit)
    # Then the console refuses in its error envelope
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == 4000010


def test_ties_fall_across_page_boundaries(shared_sim: Simulator) -> None:
    # Given activities walked by createdAt in pages of 1000
    _, responses = walk(shared_sim, "activities", limit=1000, sortBy="createdAt", sortOrder="asc")
    pages = [r.json()["data"] for r in responses]
    # Then the last object of a page shares its exact timestamp with the first of the next
    assert pages[0][-1]["createdAt"] == pages[1][0]["createdAt"]
    # And runs of several objects at one timestamp exist
    stamps = [o["createdAt"] for page in pages for o in page]
    assert max(stamps.count(s) for s in set(stamps)) >= 3


def test_gte_rewalk_from_a_tied_watermark_loses_nothing(shared_sim: Simulator) -> None:
    # Given the first page ends inside a run of equal timestamps
    first = get(shared_sim, "activities", limit=1000, sortBy="createdAt", sortOrder="asc").json()
    delivered = {o["id"] for o in first["data"]}
    watermark = first["data"][-1]["createdAt"]
    # When resuming with createdAt__gte=<watermark> and dropping ids already delivered
    rest, _ = walk(shared_sim, "activities", limit=1000, sortBy="createdAt", sortOrder="asc",
                   createdAt__gte=watermark)
    fresh = [o for o in rest if o["id"] not in delivered]
    # Then every activity is delivered exactly once
    total = first["pagination"]["totalItems"]
    assert len(delivered) + len(fresh) == total
    assert len(delivered | {o["id"] for o in fresh}) == total
    # And the re-walk started with objects sharing the watermark
    assert rest[0]["createdAt"] == watermark


def test_gt_loses_the_tied_objects(shared_sim: Simulator) -> None:
    # Given the first page ends inside a run of equal timestamps
    first = get(shared_sim, "activities", limit=1000, sortBy="createdAt", sortOrder="asc").json()
    watermark = first["data"][-1]["createdAt"]
    # When resuming with createdAt__gt
    rest, _ = walk(shared_sim, "activities", limit=1000, sortBy="createdAt", sortOrder="asc",
                   createdAt__gt=watermark)
    # Then the objects tied with the watermark on the next page are missed
    assert len(first["data"]) + len(rest) < first["pagination"]["totalItems"]


def test_skip_offsets_the_first_page(shared_sim: Simulator) -> None:
    # Given the first 15 activities by id
    head = get(shared_sim, "activities", limit=15, sortBy="id", sortOrder="asc").json()["data"]
    # When skipping 10
    skipped = get(shared_sim, "activities", limit=5, skip=10, sortBy="id", sortOrder="asc")
    # Then the page starts at the eleventh
    assert [o["id"] for o in skipped.json()["data"]] == [o["id"] for o in head[10:]]


def test_sort_values_in_pages_are_monotonic_for_threats_by_updated_at(
    shared_sim: Simulator,
) -> None:
    # When walking threats by updatedAt descending
    seen, _ = walk(shared_sim, "threats", limit=4, sortBy="updatedAt", sortOrder="desc")
    values = [sort_value("threats", o, "updatedAt") for o in seen]
    # Then threatInfo.updatedAt never increases
    assert values == sorted(values, reverse=True)
