"""The Redis side of the domain, on a real Redis: registry, schedule, lease fencing, status."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from collector import dispatch, keys, schedule
from collector import lease as leases
from collector.checkpoint import Checkpoint
from collector.commit import OutboxPage, commit_page
from collector.errors import (
    AuthenticationFailed,
    InvalidSource,
    LeaseLost,
    SinkError,
    ThirdPartyGenericError,
)
from collector.redisconn import RedisClient
from collector.registry import Registry
from collector.retry import RetryPolicy
from collector.secrets import SecretBox
from collector.state import State
from collector.status import StatusBook
from tests.integration.helpers import source_doc


@pytest.fixture
def registry(redis: RedisClient, home: Path) -> Registry:
    return Registry(redis, SecretBox("test-key"))


@pytest.fixture
def book(redis: RedisClient) -> StatusBook:
    return StatusBook(redis, RetryPolicy(base=10, cap=100, window=5400))


def test_a_created_source_is_pending_scheduled_and_its_token_is_sealed(
    redis: RedisClient, registry: Registry
) -> None:
    source = registry.create(
        source_doc("https://c.example.net", apis=("activities", "threats")), now=1000.0
    )

    assert redis.hget(keys.status(source.id), "state") == State.PENDING
    assert schedule.due_at(redis, source.id, "activities") == 1000.0
    assert schedule.due_at(redis, source.id, "agents") is None
    stored = str(redis.hgetall(keys.config(source.id)))
    assert "demo-token" not in stored
    assert registry.get(source.id).config.api_secret.reveal() == "demo-token"


def test_names_are_unique(registry: Registry) -> None:
    registry.create(source_doc("https://c.example.net", name="one"))

    with pytest.raises(InvalidSource, match="exists"):
        registry.create(source_doc("https://d.example.net", name="one"))


def test_concurrent_dispatchers_claim_each_due_pair_once(
    redis: RedisClient, registry: Registry, book: StatusBook
) -> None:
    for n in range(20):
        registry.create(
            source_doc(
                "https://c.example.net", name=f"s{n}", apis=("activities", "agents", "threats")
            ),
            now=0.0,
        )
    claimed: list[tuple[str, str]] = []
    lock = threading.Lock()

    def run_dispatcher() -> None:
        plan = dispatch.plan(redis, book, now=10.0, claim_ttl=600)
        with lock:
            claimed.extend(plan.fetches)

    threads = [threading.Thread(target=run_dispatcher) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(claimed) == 60 and len(set(claimed)) == 60
    assert dispatch.plan(redis, book, now=11.0, claim_ttl=600).fetches == []
    assert len(dispatch.plan(redis, book, now=611.0, claim_ttl=600).fetches) == 60  # expired claims


def test_a_stale_lease_holder_cannot_commit(redis: RedisClient, registry: Registry) -> None:
    source = registry.create(source_doc("https://c.example.net"))
    stale = leases.acquire(redis, source.id, "activities", ttl=60)
    assert stale is not None
    redis.delete(stale.key)  # its lease expired while it was paused
    fresh = leases.acquire(redis, source.id, "activities", ttl=60)
    assert fresh is not None and int(fresh.token) > int(stale.token)
    page = OutboxPage("activities", "{}", [], ['{"id":"1"}'])

    with pytest.raises(LeaseLost):
        commit_page(redis, stale, source.id, "activities", page, Checkpoint(watermark="x"))
    assert redis.xlen(keys.outbox(source.id)) == 0
    assert not redis.exists(keys.checkpoint(source.id, "activities"))

    commit_page(redis, fresh, source.id, "activities", page, Checkpoint(watermark="x"))
    assert redis.xlen(keys.outbox(source.id)) == 1
    assert redis.hget(keys.checkpoint(source.id, "activities"), "watermark") == "x"


def test_a_second_worker_cannot_take_a_held_lease(redis: RedisClient) -> None:
    assert leases.acquire(redis, "s", "activities", ttl=60) is not None
    assert leases.acquire(redis, "s", "activities", ttl=60) is None


def test_states_only_move_forward_on_the_start_up_path(
    redis: RedisClient, registry: Registry, book: StatusBook
) -> None:
    source = registry.create(source_doc("https://c.example.net"))

    assert book.advance(source.id, State.STARTED)
    assert book.advance(source.id, State.COLLECTING)
    assert not book.advance(source.id, State.INITIALIZED)
    assert book.state(source.id) is State.COLLECTING


def test_a_config_error_stops_that_api_until_the_source_changes(
    redis: RedisClient, registry: Registry, book: StatusBook
) -> None:
    source = registry.create(source_doc("https://c.example.net", apis=("activities", "threats")))

    verdict = book.failed(source.id, "S1", "threats", AuthenticationFailed("HTTP 401"), now=5.0)

    assert verdict.retry_at is None
    assert schedule.due_at(redis, source.id, "threats") is None
    assert schedule.due_at(redis, source.id, "activities") is not None
    assert book.state(source.id) is State.ERROR
    event = book_events(redis, source.id)[0]
    assert (event["details"]["trackerId"], event["severityLevel"]) == (
        "ThirdPartyConfigError",
        "Error",
    )


def test_generic_errors_retry_with_backoff_for_the_window_then_quit(
    redis: RedisClient, registry: Registry, book: StatusBook
) -> None:
    source = registry.create(source_doc("https://c.example.net"))

    first = book.failed(source.id, "S1", "activities", ThirdPartyGenericError("HTTP 503"), 0.0)
    sink = book.failed(source.id, "S1", "activities", SinkError("refused"), 100.0)
    last = book.failed(source.id, "S1", "activities", ThirdPartyGenericError("HTTP 503"), 5400.0)

    assert first.retry_at is not None and 5.0 <= first.retry_at <= 10.0
    assert sink.retry_at is not None and 100.0 + 5.0 <= sink.retry_at <= 100.0 + 20.0
    assert last.retry_at is None and last.status == "error"
    assert schedule.due_at(redis, source.id, "activities") is None
    assert book_events(redis, source.id)[0]["details"]["trackerId"] == "ThirdPartyGenericError"


def test_a_success_after_failures_returns_to_collecting_with_a_healthy_event(
    redis: RedisClient, registry: Registry, book: StatusBook
) -> None:
    source = registry.create(source_doc("https://c.example.net"))
    book.advance(source.id, State.COLLECTING)
    book.failed(source.id, "S1", "activities", ThirdPartyGenericError("HTTP 503"), 0.0)
    assert book.state(source.id) is State.ERROR

    book.succeeded(source.id, "S1", "activities", 60.0)

    assert book.state(source.id) is State.COLLECTING
    assert book_events(redis, source.id)[0]["status"] == "Healthy"
    assert "api:activities:streak" not in book.snapshot(source.id)


def book_events(redis: RedisClient, source_id: str) -> list[dict[str, object]]:
    from collector.health import recent

    return recent(redis, source_id)
