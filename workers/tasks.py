"""The fetch and forward tasks. Thin: parse arguments, call ``collector``, enqueue what follows."""

from __future__ import annotations

from celery import Task

from collector import dispatch, runtime
from collector.fetch import Progress
from workers.app import app


@app.task(name="collector.fetch", bind=True)
def fetch(self: Task, source_id: str, api: str) -> dict[str, object]:
    rt = runtime.current()

    def publish(progress: Progress) -> None:
        # A custom task event: Flower shows the task in state PROGRESS with these fields.
        self.send_event(
            "task-progress",
            source_id=source_id,
            api=progress.api,
            done=progress.done,
            total=progress.total,
            rate=round(progress.rate, 1),
            eta_seconds=progress.eta_seconds,
        )

    outcome = rt.fetcher.run(source_id, api, on_progress=publish)
    if outcome.more:
        fetch.apply_async((source_id, api))  # continue the walk, behind other sources' work
    if outcome.events and dispatch.request_forward(rt.redis, source_id, rt.settings.claim_ttl):
        forward.apply_async((source_id,))
    return {
        "pages": outcome.pages,
        "events": outcome.events,
        "more": outcome.more,
        "skipped": outcome.skipped,
    }


@app.task(name="collector.forward")
def forward(source_id: str) -> dict[str, object]:
    rt = runtime.current()
    dispatch.forward_started(rt.redis, source_id)
    outcome = rt.delivery.run(source_id)
    if outcome.more and dispatch.request_forward(rt.redis, source_id, rt.settings.claim_ttl):
        forward.apply_async((source_id,))
    return {"batches": outcome.batches, "events": outcome.events, "failed": outcome.failed}
