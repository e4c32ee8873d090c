"""Concurrent clients and changes: every walk stays exact."""

from __future__ import annotations

import threading

from simtest_support import walk

from simulator import Simulator


def test_parallel_walks_during_changes_each_see_every_object_once(sim: Simulator) -> None:
    # Given four clients walking activities by createdAt while objects keep changing
    original = {e.id for e in sim.ledger("activities")}
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def client() -> None:
        try:
            seen, _ = walk(sim, "activities", limit=250, sortBy="createdAt", sortOrder="desc")
            results.append([o["id"] for o in seen])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(20):
        sim.add_activities(3)
        sim.mutate_threats(2)
        sim.update_agents(2)
    for thread in threads:
        thread.join()
    # Then no client failed, and each saw the 2500 original activities exactly once
    assert not errors
    assert len(results) == 4
    for ids in results:
        assert len(ids) == len(set(ids))
        assert original <= set(ids)
