"""The forward use case: outbox entries to the sink, acknowledged only once the sink accepted them.

Entries are read through the outbox's consumer group, so concurrent forwarders never take the
same entry. An entry whose consumer died mid-batch stays pending and is reclaimed after
``forward_reclaim_idle`` seconds; an entry whose send or acknowledgement failed stays pending for
its own consumer. Either may have reached the sink already, so when such an entry is sent again
its events are counted as ``redelivered`` (the one possible duplicate the design allows).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from collector import keys
from collector.metadata import dumps, merged
from collector.redisconn import RedisClient
from collector.sinks import Batch, EventGroup, Sink

log = logging.getLogger(__name__)
Entry = tuple[str, dict[str, str]]


@dataclass(frozen=True)
class ForwardOutcome:
    batches: int = 0
    events: int = 0
    more: bool = False  # entries are still waiting: forward again now
    failed: bool = False  # the sink refused; entries stay in the outbox


class Forwarder:
    def __init__(
        self,
        redis: RedisClient,
        sink: Sink,
        consumer: str,
        batch_entries: int = 20,
        reclaim_idle: float = 300.0,
        max_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis
        self._sink = sink
        self._consumer = consumer
        self._batch_entries = batch_entries
        self._reclaim_idle_ms = int(reclaim_idle * 1000)
        self._max_seconds = max_seconds
        self._clock = clock

    def run(self, source_id: str) -> ForwardOutcome:
        """Forward until the outbox is empty or the run's time is up; raises ``SinkError``."""
        started = self._clock()
        batches = events = 0
        stream = keys.outbox(source_id)
        self._reclaim(source_id, stream)
        while True:
            entries = self._read(source_id, stream)
            if not entries:
                return ForwardOutcome(batches, events, more=False)
            batch = to_batch(entries)
            self._sink.send(batch)
            self._ack(source_id, stream, entries, batch.size)
            batches, events = batches + 1, events + batch.size
            if self._clock() - started >= self._max_seconds:
                return ForwardOutcome(batches, events, more=True)

    def _read(self, source_id: str, stream: str) -> list[Entry]:
        """This consumer's own pending entries first, then new ones."""
        for start in ("0", ">"):
            reply = self._redis.xreadgroup(
                keys.OUTBOX_GROUP, self._consumer, {stream: start}, count=self._batch_entries
            )
            entries: list[Entry] = [e for e in (reply[0][1] if reply else []) if e[1]]
            if entries:
                if start == "0":
                    # An earlier run of this consumer read them and failed, maybe after the
                    # sink took them: sending them again may repeat them.
                    self._count_redelivered(source_id, entries)
                return entries
        return []

    def _count_redelivered(self, source_id: str, entries: list[Entry]) -> None:
        n = sum(int(fields.get("n", 0)) for _, fields in entries if fields)
        log.warning("sending %d outbox entries (%d events) of %s again", len(entries), n, source_id)
        self._redis.hincrby(keys.status(source_id), "redelivered", n)

    def _reclaim(self, source_id: str, stream: str) -> None:
        """Take over entries a dead forwarder left pending; ``_read`` sends (and counts) them."""
        _, claimed, *_ = self._redis.xautoclaim(
            stream,
            keys.OUTBOX_GROUP,
            self._consumer,
            self._reclaim_idle_ms,
            "0-0",
            count=self._batch_entries,
        )
        if claimed:
            log.warning(
                "took over %d outbox entries of a dead forwarder of %s", len(claimed), source_id
            )

    def _ack(self, source_id: str, stream: str, entries: list[Entry], count: int) -> None:
        ids = [entry_id for entry_id, _ in entries]
        pipe = self._redis.pipeline(transaction=True)
        pipe.xack(stream, keys.OUTBOX_GROUP, *ids)
        pipe.xdel(stream, *ids)
        pipe.hincrby(keys.status(source_id), "forwarded", count)
        pipe.execute()


def to_batch(entries: list[Entry]) -> Batch:
    """Group the entries' events by metadata set, keeping their order within each set."""
    groups: dict[tuple[str, str], list[str]] = {}
    for _, fields in entries:
        if not fields or not fields.get("events"):
            continue
        api, meta = fields["api"], fields["meta"]
        events = fields["events"].split("\n")
        if not fields.get("kinds"):  # one metadata set for the whole page
            groups.setdefault((api, meta), []).extend(events)
            continue
        shared = json.loads(meta)
        per_kind: dict[str, str] = {}
        for kind, event in zip(fields["kinds"].split("\n"), events, strict=True):
            if kind not in per_kind:
                per_kind[kind] = dumps(merged(shared, kind))
            groups.setdefault((api, per_kind[kind]), []).append(event)
    return Batch([EventGroup(api, meta, events) for (api, meta), events in groups.items()])
