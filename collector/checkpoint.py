"""The checkpoint of one (source, api), and how a page moves it.

Two cursors are kept apart:

* the **watermark** (saved between runs): the greatest version timestamp delivered, plus the ids
  delivered at exactly that timestamp, so an inclusive ``__gte`` re-read drops them;
* the **walk** (one listing in progress): the filters it was started with, the console's page
  cursor, and its position (greatest version seen in this walk, with the ids at it).

Everything here is pure: :func:`take_page` says what a page delivers and what the checkpoint
becomes; the store commits both in one atomic step.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from collector import timefmt
from collector.streams import Obj, Stream


class WalkMode(StrEnum):
    INCREMENTAL = "incremental"  # version >= watermark
    SNAPSHOT = "snapshot"  # everything (agents' inventory)


@dataclass(frozen=True)
class Walk:
    """One listing in progress: the filters sent with every page, the cursor, the position."""

    mode: WalkMode
    gte: str | None  # lower bound sent with the current cursor chain (None: no lower bound)
    lt: str  # upper bound: "now - settle lag" when the walk started
    cursor: str | None = None
    pos: str | None = None  # greatest version seen by this walk
    pos_ids: frozenset[str] = frozenset()
    started_at: float = 0.0
    done: int = 0
    total: int = 0

    def restarted(self) -> Walk:
        """The same walk, re-listed from its position (after the console refused the cursor)."""
        return replace(self, cursor=None, gte=self.pos or self.gte)


@dataclass(frozen=True)
class Checkpoint:
    watermark: str | None = None
    ids: frozenset[str] = frozenset()
    walk: Walk | None = None
    last_snapshot: float = 0.0

    def start_walk(
        self, stream: Stream, now: float, settle_lag: float, backfill: float, snapshot_every: float
    ) -> Walk:
        """A new walk: a full snapshot when one is due for this stream, else from the watermark."""
        lt = timefmt.from_unix(now - settle_lag)
        if stream.snapshots and (
            self.watermark is None or now - self.last_snapshot >= snapshot_every
        ):
            return Walk(WalkMode.SNAPSHOT, None, lt, started_at=now)
        if self.watermark is None:
            return Walk(WalkMode.INCREMENTAL, timefmt.from_unix(now - backfill), lt, started_at=now)
        return Walk(
            WalkMode.INCREMENTAL,
            self.watermark,
            max(lt, self.watermark),
            pos=self.watermark,
            pos_ids=self.ids,
            started_at=now,
        )


@dataclass(frozen=True)
class PageResult:
    """What one page delivers, and the checkpoint once it is committed."""

    kept: list[Obj]
    dropped: int
    checkpoint: Checkpoint
    walk_ended: bool


def take_page(
    cp: Checkpoint,
    walk: Walk,
    stream: Stream,
    items: list[Obj],
    next_cursor: str | None,
    total: int,
) -> PageResult:
    """Drop what this walk already delivered, then advance the walk (and the watermark)."""
    kept: list[Obj] = []
    pos, pos_ids = walk.pos, set(walk.pos_ids)
    for obj in items:
        version = timefmt.canonical(stream.version(obj))
        key = str(obj.get("id"))
        if version == pos and key in pos_ids:
            continue
        kept.append(obj)
        if pos is None or version > pos:
            pos, pos_ids = version, {key}
        elif version == pos:
            pos_ids.add(key)
    moved = replace(
        walk,
        cursor=next_cursor,
        pos=pos,
        pos_ids=frozenset(pos_ids),
        done=walk.done + len(kept),
        total=total if walk.cursor is None and total else walk.total,
    )
    ended = next_cursor is None
    if moved.mode is WalkMode.INCREMENTAL or ended:
        watermark, ids = _merge(cp.watermark, cp.ids, moved.pos, moved.pos_ids)
    else:
        watermark, ids = cp.watermark, cp.ids
    snapshot_time = moved.started_at if ended and moved.mode is WalkMode.SNAPSHOT else None
    new_cp = replace(
        cp,
        watermark=watermark,
        ids=ids,
        walk=None if ended else moved,
        last_snapshot=snapshot_time if snapshot_time is not None else cp.last_snapshot,
    )
    return PageResult(kept, len(items) - len(kept), new_cp, ended)


def _merge(
    wm: str | None, ids: frozenset[str], pos: str | None, pos_ids: frozenset[str]
) -> tuple[str | None, frozenset[str]]:
    if pos is None or (wm is not None and pos < wm):
        return wm, ids
    if pos == wm:
        return wm, ids | pos_ids
    return pos, pos_ids


# ---- storage form: a flat Redis hash of strings ----------------------------------------------


def to_fields(cp: Checkpoint) -> dict[str, str]:
    walk = cp.walk
    fields = {
        "watermark": cp.watermark or "",
        "ids": _ids(cp.ids),
        "last_snapshot": repr(cp.last_snapshot),
        "walk": "",
    }
    if walk is not None:
        fields["walk"] = json.dumps(
            {
                "mode": walk.mode.value,
                "gte": walk.gte,
                "lt": walk.lt,
                "cursor": walk.cursor,
                "pos": walk.pos,
                "pos_ids": sorted(walk.pos_ids),
                "started_at": walk.started_at,
                "done": walk.done,
                "total": walk.total,
            }
        )
    return fields


def from_fields(raw: Mapping[str, str]) -> Checkpoint:
    walk = None
    if raw.get("walk"):
        w: dict[str, Any] = json.loads(raw["walk"])
        walk = Walk(
            mode=WalkMode(w["mode"]),
            gte=w["gte"],
            lt=w["lt"],
            cursor=w["cursor"],
            pos=w["pos"],
            pos_ids=frozenset(w["pos_ids"]),
            started_at=float(w["started_at"]),
            done=int(w["done"]),
            total=int(w["total"]),
        )
    return Checkpoint(
        watermark=raw.get("watermark") or None,
        ids=frozenset(json.loads(raw["ids"])) if raw.get("ids") else frozenset(),
        walk=walk,
        last_snapshot=float(raw.get("last_snapshot") or 0.0),
    )


def _ids(ids: Iterable[str]) -> str:
    return json.dumps(sorted(ids))
