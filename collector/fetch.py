"""The fetch use case: page through one API of one source, committing page by page.

A run holds the (source, api) lease, resumes the walk saved in the checkpoint (or starts a new
one), and for every page commits the new events and the moved checkpoint atomically. It stops
after ``run_max_pages`` pages or ``run_max_seconds``; a walk that has more pages is continued by
the next run straight away (:attr:`FetchOutcome.more`), not at the next poll.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis import RedisError

from collector import lease as leases
from collector import schedule
from collector.apis import Api
from collector.checkpoint import Checkpoint, Walk, from_fields, take_page
from collector.commit import OutboxPage, commit_page
from collector.errors import (
    CollectorError,
    FirstPartyGenericError,
    InvalidCursor,
    LeaseLost,
    RateLimited,
    SourceNotFound,
    ThirdPartyGenericError,
)
from collector.keys import checkpoint as checkpoint_key
from collector.metadata import dumps, event_kinds, source_metadata
from collector.redisconn import RedisClient
from collector.registry import Registry, Source
from collector.s1client import SentinelOneClient
from collector.settings import Settings
from collector.state import State
from collector.status import StatusBook
from collector.streams import STREAMS, Stream
from collector.token_expiry import check_token

log = logging.getLogger(__name__)
Clock = Callable[[], float]
POLL_SPREAD = 0.05
MAX_THROTTLED_TRIES = 5  # 429s in a row on one page before the run gives up (and backs off)
ClientFactory = Callable[[Source], SentinelOneClient]


@dataclass(frozen=True)
class FetchOutcome:
    pages: int = 0
    events: int = 0
    more: bool = False  # the walk has more pages: run again now
    skipped: str | None = None  # why nothing ran (busy, deleted, ...)


@dataclass(frozen=True)
class Progress:
    api: str
    done: int
    total: int
    rate: float  # objects per second over this walk

    @property
    def eta_seconds(self) -> float | None:
        if self.rate <= 0 or self.total <= self.done:
            return None
        return (self.total - self.done) / self.rate


class Fetcher:
    def __init__(
        self,
        redis: RedisClient,
        registry: Registry,
        status: StatusBook,
        client_for: ClientFactory,
        settings: Settings,
        clock: Clock = time.time,
    ) -> None:
        self._redis = redis
        self._registry = registry
        self._status = status
        self._client_for = client_for
        self._settings = settings
        self._clock = clock
        self._rng = random.Random()  # noqa: S311 (spreading load, not cryptography)

    def run(
        self, source_id: str, api: str, on_progress: Callable[[Progress], None] | None = None
    ) -> FetchOutcome:
        try:
            source = self._registry.get(source_id)
        except SourceNotFound:
            return FetchOutcome(skipped="deleted")
        if Api(api) not in source.config.supported_apis:
            schedule.park(self._redis, source_id, api)
            return FetchOutcome(skipped="not collected")
        lease = leases.acquire(self._redis, source_id, api, self._settings.lease_ttl)
        if lease is None:
            return FetchOutcome(skipped="busy")
        now = self._clock()
        try:
            self._status.advance(source_id, State.INITIALIZED)
            outcome = self._walk(source, STREAMS[Api(api)], lease, on_progress)
        except LeaseLost:
            log.warning("lease on %s/%s lost: another worker owns it now", source_id, api)
            return FetchOutcome(skipped="lease lost")
        except CollectorError as error:
            return self._failed(source, api, error, now)
        except RedisError:
            raise  # the store itself is gone: the expiring schedule claim retries this pair
        except Exception as exc:
            log.exception("fetch %s/%s failed unexpectedly", source_id, api)
            internal = FirstPartyGenericError(f"internal error ({type(exc).__name__})")
            return self._failed(source, api, internal, now)
        finally:
            leases.release(self._redis, lease)
        self._status.succeeded(source_id, source.config.name, api, self._clock())
        wait = self._settings.claim_ttl if outcome.more else self._next_poll_in()
        schedule.reschedule(self._redis, source_id, api, self._clock() + wait)
        return outcome

    def _next_poll_in(self) -> float:
        """The poll interval, up to 5% early: pairs created together drift apart instead of
        queueing up at the same instant every interval, and no poll comes later than due."""
        interval = self._settings.poll_interval
        return interval - self._rng.uniform(0, interval * POLL_SPREAD)

    def _failed(self, source: Source, api: str, error: CollectorError, now: float) -> FetchOutcome:
        """Record a failure; retry later by the error-type table, or stop that API."""
        verdict = self._status.failed(source.id, source.config.name, api, error, now)
        log.info("fetch %s/%s failed (%s): %s", source.id, api, error, verdict)
        if verdict.retry_at is not None:
            schedule.reschedule(self._redis, source.id, api, verdict.retry_at)
        return FetchOutcome()

    def _walk(
        self,
        source: Source,
        stream: Stream,
        lease: leases.Lease,
        on_progress: Callable[[Progress], None] | None,
    ) -> FetchOutcome:
        settings = self._settings
        config = source.config
        client = self._client_for(source)
        cp = from_fields(self._redis.hgetall(checkpoint_key(source.id, stream.api)))
        started = self._clock()
        walk = cp.walk or cp.start_walk(
            stream,
            started,
            settings.settle_lag,
            config.backfill.total_seconds(),
            settings.agents_snapshot_interval,
        )
        meta = dumps(source_metadata(config, stream))
        pages = events = throttled = 0
        while True:
            try:
                page = client.list_page(stream.path, self._params(source, stream, walk))
            except RateLimited:
                throttled += 1  # the limiter now holds every worker back; try this page again
                if throttled > MAX_THROTTLED_TRIES:
                    raise
                continue
            except InvalidCursor:
                if walk.cursor is None:
                    raise
                log.info(
                    "cursor refused for %s/%s: re-listing from the position", source.id, stream.api
                )
                walk = walk.restarted()
                continue
            if page.next_cursor is not None and page.next_cursor == walk.cursor:
                raise ThirdPartyGenericError("the console returned the same cursor twice")
            throttled = 0
            first_page = pages == 0  # state and token checks once per run, not per page
            if first_page:
                self._status.advance(source.id, State.AUTHENTICATED)
                check_token(
                    self._redis,
                    self._status,
                    source,
                    client,
                    self._clock(),
                    self._settings.token_check_interval,
                )
            result = take_page(cp, walk, stream, page.items, page.next_cursor, page.total)
            out = OutboxPage(
                stream.api.value,
                meta,
                event_kinds(config, stream, result.kept),
                [dumps(obj) for obj in result.kept],
            )
            commit_page(self._redis, lease, source.id, stream.api.value, out, result.checkpoint)
            if first_page:
                self._status.advance(source.id, State.COLLECTING)
            cp, pages, events = result.checkpoint, pages + 1, events + len(result.kept)
            if cp.walk is None:
                return FetchOutcome(pages, events, more=False)
            walk = cp.walk
            if on_progress is not None:
                on_progress(self._progress(stream, walk))
            if (
                pages >= settings.run_max_pages
                or self._clock() - started >= settings.run_max_seconds
            ):
                return FetchOutcome(pages, events, more=True)

    def _progress(self, stream: Stream, walk: Walk) -> Progress:
        elapsed = max(self._clock() - walk.started_at, 1e-6)
        return Progress(stream.api.value, walk.done, walk.total, walk.done / elapsed)

    def _params(self, source: Source, stream: Stream, walk: Walk) -> dict[str, str]:
        params = {
            "limit": str(self._settings.page_limit),
            "sortBy": stream.sort_by,
            "sortOrder": "asc",
            f"{stream.filter_field}__lt": walk.lt,
        }
        if walk.gte is not None:
            params[f"{stream.filter_field}__gte"] = walk.gte
        if walk.cursor is not None:
            params["cursor"] = walk.cursor
        if source.config.site_ids:
            params["siteIds"] = ",".join(source.config.site_ids)
        if source.config.account_ids:
            params["accountIds"] = ",".join(source.config.account_ids)
        return params


def describe(cp: Checkpoint, now: float) -> str:
    """A one-line summary of a checkpoint for ``collector status``: position or walk progress."""
    if cp.walk is None:
        return f"up to {cp.watermark or '-'}"
    walk = cp.walk
    rate = walk.done / max(now - walk.started_at, 1e-6)
    progress = Progress("", walk.done, walk.total, rate)
    line = f"{walk.mode.value} walk: {walk.done:,}"
    if walk.total:
        line += f" of {walk.total:,} ({100 * walk.done / walk.total:.0f}%)"
    line += f", {rate:,.0f}/s"
    if progress.eta_seconds is not None:
        line += f", about {progress.eta_seconds / 60:.0f} min left"
    return line
