"""Delivery to the sink under the error-type table.

A sink that fails is a FirstPartyGeneric error: the events stay in the outbox, the source goes
to Error with a health event, and forwarding is held back with exponential backoff (the hold is
the forward-request flag itself, set with the delay as its time to live, so neither the
dispatcher nor a fetch can ask for a forward before then). Past the retry window the source
stays in Error and forwarding is tried at the longest backoff: giving up would only let the
outbox grow, and the first success brings the source back to Collecting.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from collector import keys
from collector.errors import SinkError, SourceNotFound
from collector.forward import Forwarder, ForwardOutcome
from collector.redisconn import RedisClient
from collector.registry import Registry
from collector.status import StatusBook

log = logging.getLogger(__name__)
SINK = "sink"  # the status component the sink's health is recorded under


class Delivery:
    def __init__(
        self,
        redis: RedisClient,
        forwarder: Forwarder,
        registry: Registry,
        status: StatusBook,
        longest_hold: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._forwarder = forwarder
        self._registry = registry
        self._status = status
        self._longest_hold = longest_hold
        self._clock = clock

    def run(self, source_id: str) -> ForwardOutcome:
        try:
            name = self._registry.get(source_id).config.name
        except SourceNotFound:
            name = source_id  # deleted: its outbox still drains
        try:
            outcome = self._forwarder.run(source_id)
        except SinkError as error:
            now = self._clock()
            verdict = self._status.failed(source_id, name, SINK, error, now)
            hold = verdict.retry_at - now if verdict.retry_at is not None else self._longest_hold
            log.warning(
                "sink refused a batch of %s (%s); next try in %.0f s", source_id, error, hold
            )
            self._redis.set(keys.forward_queued(source_id), "hold", ex=max(1, round(hold)))
            return ForwardOutcome(failed=True)
        if outcome.batches and self._status.snapshot(source_id).get(f"api:{SINK}") != "ok":
            self._status.succeeded(source_id, name, SINK, self._clock())
        return outcome
