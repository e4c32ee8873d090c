"""The outbox side on a real Redis: acknowledged only after the sink took a batch; whatever may
have been sent twice is counted."""

from __future__ import annotations

import pytest

from collector import dispatch, keys
from collector import lease as leases
from collector.checkpoint import Checkpoint
from collector.commit import OutboxPage, commit_page
from collector.delivery import Delivery
from collector.errors import SinkError
from collector.forward import Forwarder
from collector.health import recent
from collector.redisconn import RedisClient
from collector.registry import Registry
from collector.retry import RetryPolicy
from collector.secrets import SecretBox
from collector.sinks import Batch
from collector.state import State
from collector.status import StatusBook
from tests.integration.helpers import source_doc


class ListSink:
    """Keeps what it was sent; can refuse, or accept and then fail (a lost acknowledgement)."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.refuse = False
        self.fail_after_accepting = False

    def send(self, batch: Batch) -> None:
        if self.refuse:
            raise SinkError("unavailable")
        self.events += [event for group in batch.groups for event in group.events]
        if self.fail_after_accepting:
            self.fail_after_accepting = False
            raise SinkError("connection reset before the answer")

    def close(self) -> None:
        pass


@pytest.fixture
def source_id(redis: RedisClient) -> str:
    source = Registry(redis, SecretBox("k")).create(source_doc("https://c.example.net"))
    lease = leases.acquire(redis, source.id, "activities", ttl=60)
    assert lease is not None
    for page in range(3):
        events = [f'{{"id":"{page}-{n}"}}' for n in range(4)]
        commit_page(
            redis,
            lease,
            source.id,
            "activities",
            OutboxPage("activities", '{"_source":"S1"}', [], events),
            Checkpoint(),
        )
    return source.id


def forwarder(redis: RedisClient, sink: ListSink) -> Forwarder:
    return Forwarder(redis, sink, "c1", batch_entries=1, reclaim_idle=300.0)


def status(redis: RedisClient, source_id: str, field: str) -> int:
    return int(redis.hget(keys.status(source_id), field) or 0)


def test_a_refusing_sink_keeps_everything_in_the_outbox(redis: RedisClient, source_id: str) -> None:
    sink = ListSink()
    sink.refuse = True

    with pytest.raises(SinkError):
        forwarder(redis, sink).run(source_id)
    sink.refuse = False
    forwarder(redis, sink).run(source_id)

    assert len(sink.events) == 12 and len(set(sink.events)) == 12
    assert redis.xlen(keys.outbox(source_id)) == 0
    assert status(redis, source_id, "forwarded") == 12
    assert status(redis, source_id, "redelivered") == 4  # the refused batch, sent again


def test_a_batch_whose_acknowledgement_was_lost_is_sent_again_and_counted(
    redis: RedisClient, source_id: str
) -> None:
    sink = ListSink()
    sink.fail_after_accepting = True

    with pytest.raises(SinkError):
        forwarder(redis, sink).run(source_id)
    forwarder(redis, sink).run(source_id)

    repeats = len(sink.events) - len(set(sink.events))
    assert repeats == 4 == status(redis, source_id, "redelivered")
    assert len(set(sink.events)) == 12


def test_a_dead_forwarders_entries_are_taken_over_and_counted(
    redis: RedisClient, source_id: str
) -> None:
    # Given a forwarder that read an entry and died before acknowledging it
    redis.xreadgroup(keys.OUTBOX_GROUP, "dead", {keys.outbox(source_id): ">"}, count=1)
    # When another forwarder runs (every pending entry counts as idle long enough here)
    sink = ListSink()
    Forwarder(redis, sink, "alive", batch_entries=1, reclaim_idle=0.0).run(source_id)
    # Then all 12 events were sent, the 4 the dead one held counted as possibly repeated
    assert len(sink.events) == 12
    assert status(redis, source_id, "redelivered") == 4
    assert redis.xpending(keys.outbox(source_id), keys.OUTBOX_GROUP)["pending"] == 0


def test_a_sink_outage_is_a_first_party_error_with_backoff_and_recovers(
    redis: RedisClient, source_id: str
) -> None:
    # Given a collecting source whose sink goes down
    book = StatusBook(redis, RetryPolicy(base=30, cap=900, window=5400))
    book.advance(source_id, State.COLLECTING)
    sink = ListSink()
    sink.refuse = True
    delivery = Delivery(
        redis,
        forwarder(redis, sink),
        Registry(redis, SecretBox("k")),
        book,
        longest_hold=900,
        clock=lambda: 1000.0,
    )
    # When a forward fails
    outcome = delivery.run(source_id)
    # Then nothing left the outbox, the source is in Error with a FirstPartyGenericError event,
    # and no forward can be asked for until the backoff has passed
    assert outcome.failed and redis.xlen(keys.outbox(source_id)) == 3
    assert book.state(source_id) is State.ERROR
    assert recent(redis, source_id)[0]["details"]["trackerId"] == "FirstPartyGenericError"
    assert 15 <= redis.ttl(keys.forward_queued(source_id)) <= 30
    assert not dispatch.request_forward(redis, source_id, ttl=600)
    # When the sink is back and the hold has passed
    sink.refuse = False
    redis.delete(keys.forward_queued(source_id))
    delivery.run(source_id)
    # Then everything is delivered and the source is Collecting again, with a Healthy event
    assert redis.xlen(keys.outbox(source_id)) == 0 and len(sink.events) == 12
    assert book.state(source_id) is State.COLLECTING
    assert recent(redis, source_id)[0]["status"] == "Healthy"
