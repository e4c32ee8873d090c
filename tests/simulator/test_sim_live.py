"""Live changes: new activities (some indexed late), threat changes and agent updates."""

from __future__ import annotations

from simtest_expectations import timestamp
from simtest_support import get, ledger_objects, make_config, walk

from simulator import ManualClock, Simulator
from simulator.timefmt import format_us


def test_mutated_threat_is_seen_once_in_its_new_version_by_an_updated_at_walk() -> None:
    # Given a collector that checkpointed threats by updatedAt, and then walks in pages
    clock = ManualClock(make_config().anchor)
    with Simulator(make_config(clock=clock)) as sim:
        before = {o["id"]: o for o in ledger_objects(sim, "threats")}
        watermark = format_us(clock.now_us())
        first = get(sim, "threats", limit=5, sortBy="updatedAt", sortOrder="asc").json()
        # When a threat not yet reached changes
        clock.advance(1)
        untouched_ids = {o["id"] for o in first["data"]}
        changed = sim.mutate_threats(25)
        target = next(i for i in changed if i not in untouched_ids)
        rest, _ = walk(sim, "threats", limit=5, sortBy="updatedAt", sortOrder="asc",
                       cursor=first["pagination"]["nextCursor"])
        # Then the walk meets it exactly once, in its new version
        hits = [o for o in rest if o["id"] == target]
        assert len(hits) == 1
        new = hits[0]["threatInfo"]
        assert new["updatedAt"] == format_us(clock.now_us())
        old = before[target]["threatInfo"]
        assert new != old
        assert "updatedAt" not in hits[0] and "createdAt" not in hits[0]
        # And an incremental poll from the old watermark returns every changed threat once
        polled, _ = walk(sim, "threats", limit=4, sortBy="updatedAt", sortOrder="asc",
                         updatedAt__gt=watermark)
        assert sorted(o["id"] for o in polled) == sorted(changed)
        # And the ledger holds both versions of the changed threat
        versions = [e for e in sim.ledger("threats") if e.id == target]
        assert len(versions) == 2
        assert versions[0].version_us < versions[1].version_us


def test_repeated_mutation_at_one_instant_still_moves_updated_at(sim: Simulator) -> None:
    # When the same threats change twice without the clock moving
    first = set(sim.mutate_threats(25))
    second = set(sim.mutate_threats(25))
    # Then each version has its own, later updatedAt
    assert first == second
    entries = [e for e in sim.ledger("threats") if e.id in first]
    per_id: dict[str, list[int]] = {}
    for entry in entries:
        per_id.setdefault(entry.id, []).append(entry.version_us)
    assert all(len(v) == 3 and v == sorted(set(v)) for v in per_id.values())


def test_agent_updates_and_new_activities_are_visible_now(sim: Simulator) -> None:
    # When agents are updated and activities added
    clock = sim.clock
    assert isinstance(clock, ManualClock)
    clock.advance(5)
    updated = sim.update_agents(3)
    added = sim.add_activities(4)
    now = format_us(clock.now_us())
    # Then they are listed with the current time
    agents = get(sim, "agents", updatedAt__gte=now, sortBy="updatedAt").json()["data"]
    assert sorted(a["id"] for a in agents) == sorted(updated)
    assert all(a["updatedAt"] == now for a in agents)
    activities = get(sim, "activities", createdAt__gte=now, sortBy="createdAt").json()["data"]
    assert sorted(a["id"] for a in activities) == sorted(added)
    assert get(sim, "agents", countOnly="true").json()["pagination"]["totalItems"] == 40


def test_live_rates_follow_the_clock() -> None:
    # Given live activities at 5/s, threat changes at 1/s and agent updates at 2/s
    clock = ManualClock(make_config().anchor)
    config = make_config(clock=clock, live_activities_per_sec=5, live_threat_updates_per_sec=1,
                         live_agent_updates_per_sec=2)
    with Simulator(config) as sim:
        start = format_us(clock.now_us())
        # When ten seconds pass
        clock.advance(10)
        # Then 50 new activities, 10 threat versions and 20 agent versions appeared since start
        new = get(sim, "activities", createdAt__gt=start, countOnly="true").json()
        assert new["pagination"]["totalItems"] == 50
        counts = {api: len([e for e in sim.ledger(api) if e.version > start])
                  for api in ("threats", "agents")}
        assert counts == {"threats": 10, "agents": 20}
        assert sim.counts() == {"activities": 2550, "agents": 40, "threats": 25}


def test_late_activities_become_visible_after_their_delay() -> None:
    # Given every live activity is indexed 30 seconds late
    clock = ManualClock(make_config().anchor)
    config = make_config(clock=clock, live_activities_per_sec=2, late_share=1.0, late_delay=30)
    with Simulator(config) as sim:
        start = format_us(clock.now_us())
        # When ten seconds pass, then none of the 20 created is visible
        clock.advance(10)
        assert get(sim, "activities", createdAt__gt=start, countOnly="true").json()[
            "pagination"]["totalItems"] == 0
        # When their delay has passed, then those 20 are visible with their original
        # createdAt, while the 60 created since are still being indexed
        clock.advance(30)
        visible, _ = walk(sim, "activities", limit=100, sortBy="createdAt", sortOrder="asc",
                          createdAt__gt=start)
        assert len(visible) == 20
        cutoff = clock.now_us() - 30_000_000
        assert all(timestamp("activities", o, "createdAt") <= cutoff for o in visible)
        assert sim.counts()["activities"] == 2520
