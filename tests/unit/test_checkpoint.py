"""How pages move a checkpoint: ties at one microsecond, re-walks, snapshots, storage."""

from __future__ import annotations

from collector.checkpoint import Checkpoint, Walk, WalkMode, from_fields, take_page, to_fields
from collector.streams import ACTIVITIES, AGENTS, THREATS

T1 = "2026-01-01T00:00:00.000001Z"
T2 = "2026-01-01T00:00:00.000002Z"
T3 = "2026-01-01T00:00:00.000003Z"
LT = "2026-01-02T00:00:00.000000Z"


def act(id_: str, ts: str) -> dict[str, object]:
    return {"id": id_, "createdAt": ts, "activityType": 27}


def walk_from(cp: Checkpoint) -> Walk:
    return Walk(WalkMode.INCREMENTAL, cp.watermark, LT, pos=cp.watermark, pos_ids=cp.ids)


def test_a_tie_across_a_page_boundary_is_neither_lost_nor_repeated() -> None:
    # Given a page ending with two activities at T2, and a next page starting with a third at T2
    cp = Checkpoint()
    first = take_page(
        cp,
        Walk(WalkMode.INCREMENTAL, T1, LT),
        ACTIVITIES,
        [act("1", T1), act("2", T2), act("3", T2)],
        "c1",
        5,
    )
    # When the walk is re-listed from its position (the cursor was refused) and pages go on
    relisted = first.checkpoint.walk.restarted()  # type: ignore[union-attr]
    second = take_page(
        first.checkpoint,
        relisted,
        ACTIVITIES,
        [act("2", T2), act("3", T2), act("4", T2), act("5", T3)],
        None,
        3,
    )
    # Then every activity is delivered exactly once
    delivered = [o["id"] for o in first.kept + second.kept]
    assert delivered == ["1", "2", "3", "4", "5"]
    assert second.dropped == 2
    assert second.walk_ended and second.checkpoint.walk is None
    assert (second.checkpoint.watermark, second.checkpoint.ids) == (T3, frozenset({"5"}))


def test_ids_at_the_watermark_accumulate_across_pages() -> None:
    cp = Checkpoint()
    a = take_page(cp, Walk(WalkMode.INCREMENTAL, T1, LT), ACTIVITIES, [act("1", T2)], "c", 0)
    b = take_page(a.checkpoint, a.checkpoint.walk, ACTIVITIES, [act("2", T2)], None, 0)  # type: ignore[arg-type]

    assert b.checkpoint.watermark == T2
    assert b.checkpoint.ids == frozenset({"1", "2"})


def test_the_next_walk_starts_at_the_watermark_and_drops_what_was_delivered_there() -> None:
    cp = Checkpoint(watermark=T2, ids=frozenset({"2"}))
    walk = cp.start_walk(ACTIVITIES, now=1.8e9, settle_lag=60, backfill=86400, snapshot_every=1)

    result = take_page(cp, walk, ACTIVITIES, [act("2", T2), act("9", T2)], None, 2)

    assert walk.gte == T2
    assert [o["id"] for o in result.kept] == ["9"]


def test_a_first_walk_reaches_back_the_backfill_and_stops_at_the_settle_lag() -> None:
    walk = Checkpoint().start_walk(
        ACTIVITIES, now=86400.0 * 2, settle_lag=60, backfill=86400, snapshot_every=1
    )

    assert walk.gte == "1970-01-02T00:00:00.000000Z"
    assert walk.lt == "1970-01-02T23:59:00.000000Z"


def test_a_changed_threat_is_a_new_version_delivered_again() -> None:
    def threat(id_: str, updated: str) -> dict[str, object]:
        return {"id": id_, "threatInfo": {"updatedAt": updated, "classification": "Malware"}}

    cp = Checkpoint(watermark=T1, ids=frozenset({"t1"}))
    result = take_page(cp, walk_from(cp), THREATS, [threat("t1", T1), threat("t1", T3)], None, 1)

    assert [o["threatInfo"]["updatedAt"] for o in result.kept] == [T3]  # type: ignore[index]
    assert result.checkpoint.watermark == T3


def test_agents_start_with_a_full_snapshot_and_repeat_it_when_due() -> None:
    first = Checkpoint().start_walk(AGENTS, now=1000, settle_lag=0, backfill=1, snapshot_every=500)
    done = Checkpoint(watermark=T1, last_snapshot=1000)
    too_soon = done.start_walk(AGENTS, now=1400, settle_lag=0, backfill=1, snapshot_every=500)
    due = done.start_walk(AGENTS, now=1500, settle_lag=0, backfill=1, snapshot_every=500)

    assert (first.mode, first.gte) == (WalkMode.SNAPSHOT, None)
    assert too_soon.mode is WalkMode.INCREMENTAL
    assert due.mode is WalkMode.SNAPSHOT


def test_a_snapshot_moves_the_watermark_only_when_it_ends() -> None:
    def agent(id_: str, updated: str) -> dict[str, object]:
        return {"id": id_, "updatedAt": updated}

    cp = Checkpoint(watermark=T2, ids=frozenset({"b"}))
    snap = Walk(WalkMode.SNAPSHOT, None, LT, started_at=77.0)
    mid = take_page(cp, snap, AGENTS, [agent("a", T1), agent("b", T2)], "c", 3)
    end = take_page(mid.checkpoint, mid.checkpoint.walk, AGENTS, [agent("c", T3)], None, 3)  # type: ignore[arg-type]

    assert [o["id"] for o in mid.kept] == ["a", "b"]  # a snapshot re-delivers everything
    assert mid.checkpoint.watermark == T2
    assert (end.checkpoint.watermark, end.checkpoint.last_snapshot) == (T3, 77.0)


def test_timestamps_without_a_fraction_are_compared_in_canonical_form() -> None:
    cp = Checkpoint()
    result = take_page(
        cp,
        Walk(WalkMode.INCREMENTAL, None, LT),
        ACTIVITIES,
        [act("1", "2026-01-01T00:00:00Z"), act("2", "2026-01-01T00:00:00.506Z")],
        None,
        2,
    )

    assert result.checkpoint.watermark == "2026-01-01T00:00:00.506000Z"


def test_storage_round_trip() -> None:
    walk = Walk(
        WalkMode.SNAPSHOT,
        None,
        LT,
        cursor="abc",
        pos=T2,
        pos_ids=frozenset({"x", "y"}),
        started_at=12.5,
        done=10,
        total=99,
    )
    cp = Checkpoint(watermark=T1, ids=frozenset({"1"}), walk=walk, last_snapshot=3.0)

    assert from_fields(to_fields(cp)) == cp
    assert from_fields({}) == Checkpoint()
