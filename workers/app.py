"""The Celery app, configured for production on a Redis broker.

Start a worker with ``celery -A workers.app worker -Q fetch,forward,manage``.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import worker_process_init
from kombu import Queue

from beat.schedule import beat_schedule
from collector import runtime
from collector.redisconn import broker_url
from collector.settings import Settings
from workers.observability import init_sentry

settings = Settings.from_env()
FETCH_SOFT_LIMIT = 240  # seconds; a fetch run is bounded far below this (run_max_seconds)
FETCH_HARD_LIMIT = 300
VISIBILITY_TIMEOUT = 3600  # 12x the hard limit: redelivery only once a worker is surely gone

app = Celery("collector", include=["workers.tasks", "beat.dispatcher"])
app.conf.update(
    # The broker: CELERY_BROKER_URL, else the collector's Redis (embedded when REDIS_URL is unset).
    broker_url=settings.broker_url or broker_url(runtime.redis_url(settings)),
    # Retry connecting to the broker at start-up instead of failing when Redis starts second.
    broker_connection_retry_on_startup=True,
    # Unacked messages come back only after this long; far above every task's hard time limit.
    broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
    # Acknowledge after the task ran, so a task whose worker dies is delivered again.
    task_acks_late=True,
    # A pool child killed mid-task gives its message back instead of acknowledging it.
    task_reject_on_worker_lost=True,
    # Each worker process reserves one message at a time: no hoarding while busy.
    worker_prefetch_multiplier=1,
    # Soft limit raises inside the task so it can stop cleanly; the hard limit kills the child.
    task_soft_time_limit=FETCH_SOFT_LIMIT,
    task_time_limit=FETCH_HARD_LIMIT,
    # JSON only: task messages carry ids and api names, never pickled objects or secrets.
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    # Outcomes live in Redis under the collector's own keys; Celery results are not kept.
    task_ignore_result=True,
    result_backend=None,
    # Task events for Flower (and a "sent" event so queued tasks show up too).
    worker_send_task_events=True,
    task_send_sent_event=True,
    # Three queues so a forward backlog never waits behind fetches, nor management behind both.
    task_queues=[Queue("fetch"), Queue("forward"), Queue("manage")],
    task_default_queue="manage",
    task_routes={
        "collector.fetch": {"queue": "fetch"},
        "collector.forward": {"queue": "forward"},
        "collector.dispatch": {"queue": "manage"},
    },
    # Beat's schedule and its state file (kept under the collector's home, not the cwd).
    beat_schedule=beat_schedule(settings),
    beat_schedule_filename=str(settings.home.absolute() / "celerybeat-schedule"),
    # Keep our log format; a restarted worker process must not inherit a stale client.
    worker_hijack_root_logger=False,
    timezone="UTC",
)


@worker_process_init.connect
def _fresh_clients(**_: Any) -> None:
    """A forked pool child makes its own Redis pool and HTTP session."""
    runtime.reset()
    init_sentry(settings)
