"""The dispatcher task: turn due (source, api) pairs and waiting outboxes into tasks."""

from __future__ import annotations

import time

from collector import dispatch, runtime
from workers.app import app
from workers.tasks import fetch, forward


@app.task(name="collector.dispatch")
def dispatch_due() -> dict[str, int]:
    rt = runtime.current()
    plan = dispatch.plan(rt.redis, rt.status, time.time(), rt.settings.claim_ttl)
    for source_id, api in plan.fetches:
        fetch.apply_async((source_id, api))
    for source_id in plan.forwards:
        forward.apply_async((source_id,))
    return {"fetches": len(plan.fetches), "forwards": len(plan.forwards)}
