"""A source's live status: its state, each API's own status, error streaks, counters.

Status hash fields (``keys.status``)::

    state                     the source's state (worst of its APIs once collecting)
    api:<api>                 ok | retrying | error
    api:<api>:error           the last error's type and message (never a secret)
    api:<api>:streak          unix time of the first failure of the current streak
    api:<api>:failures        failures in the current streak
    api:<api>:last_run        unix time the last successful run of that API ended
    collected[:<api>]         events committed to the outbox
    forwarded                 events the sink accepted
    redelivered               events sent again after a forwarder died mid-batch (possible dups)
    token_expires_at          unix time the API token expires ("" when the console won't say)
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from collector import health, keys, schedule
from collector.errors import CollectorError
from collector.redisconn import RedisClient
from collector.retry import RetryPolicy
from collector.state import ADVANCE_SCRIPT, State, predecessors

OK, RETRYING, ERROR = "ok", "retrying", "error"


@dataclass(frozen=True)
class Verdict:
    """What happens after a failure: retry at ``retry_at``, or stop until the source changes."""

    retry_at: float | None
    status: str


class StatusBook:
    def __init__(self, redis: RedisClient, policy: RetryPolicy, rng: random.Random | None = None):
        self._redis = redis
        self._policy = policy
        self._rng = rng or random.Random()  # noqa: S311 (jitter, not cryptography)

    def advance(self, source_id: str, target: State) -> bool:
        """Move forward on the start-up path (Pending -> ... -> Collecting); never backwards."""
        allowed = [s.value for s in predecessors(target)]
        return bool(self._redis.eval(ADVANCE_SCRIPT, 1, keys.status(source_id), target, *allowed))

    def state(self, source_id: str) -> State | None:
        raw = self._redis.hget(keys.status(source_id), "state")
        return State(raw) if raw else None

    def snapshot(self, source_id: str) -> dict[str, str]:
        return dict(self._redis.hgetall(keys.status(source_id)))

    def set_token_expiry(self, source_id: str, expires_at: float | None) -> None:
        value = "" if expires_at is None else repr(expires_at)
        self._redis.hset(keys.status(source_id), "token_expires_at", value)

    def succeeded(self, source_id: str, source_name: str, api: str, now: float) -> None:
        """A run of ``api`` worked: clear its streak; a recovery is a Healthy event."""
        key = keys.status(source_id)
        previous = self._redis.hget(key, f"api:{api}")
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(key, mapping={f"api:{api}": OK, f"api:{api}:last_run": repr(now)})
        pipe.hdel(key, f"api:{api}:error", f"api:{api}:streak", f"api:{api}:failures")
        pipe.execute()
        if previous in (RETRYING, ERROR):
            tracker = "Collection"
            health.record(
                self._redis,
                source_id,
                health.event(
                    source_id, source_name, tracker, f"{api} recovered", "Info", now, True
                ),
            )
        self._settle_state(source_id)

    def failed(
        self, source_id: str, source_name: str, api: str, error: CollectorError, now: float
    ) -> Verdict:
        """Record a failure and decide, by the error type table, whether and when to retry."""
        key = keys.status(source_id)
        kind = error.error_type
        message = f"{kind.value}: {error}"
        pipe = self._redis.pipeline(transaction=True)
        pipe.hsetnx(key, f"api:{api}:streak", repr(now))
        pipe.hincrby(key, f"api:{api}:failures", 1)
        pipe.hget(key, f"api:{api}:streak")
        _, failures, streak = pipe.execute()
        retry_after = getattr(error, "retry_after", None)
        if kind.retries and not self._policy.exhausted(float(streak), now):
            status = RETRYING
            retry_at: float | None = now + self._policy.delay(int(failures), retry_after, self._rng)
            severity = "Warning"
        else:
            status, retry_at, severity = ERROR, None, "Error"
            if kind.retries:
                message += f" (gave up after retrying for {self._policy.window:.0f} s)"
            schedule.park(self._redis, source_id, api)
        self._redis.hset(key, mapping={f"api:{api}": status, f"api:{api}:error": message})
        health.record(
            self._redis,
            source_id,
            health.event(source_id, source_name, kind.tracker_id, message, severity, now),
        )
        self._settle_state(source_id)
        return Verdict(retry_at, status)

    def _settle_state(self, source_id: str) -> None:
        """The source's state is the worst of its APIs once it has started collecting."""
        key = keys.status(source_id)
        fields = self._redis.hgetall(key)
        if fields.get("state") == State.STOPPING:
            return
        statuses = [v for k, v in fields.items() if k.startswith("api:") and k.count(":") == 1]
        if ERROR in statuses or RETRYING in statuses:
            self._redis.hset(key, "state", State.ERROR)
        elif fields.get("state") == State.ERROR:
            self._redis.hset(key, "state", State.COLLECTING)
