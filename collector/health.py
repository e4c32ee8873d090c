"""Health events, shaped like the hosted collector's Health-Change records."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from collector import keys
from collector.redisconn import RedisClient

KEEP = 200  # events kept per source, newest first
HEALTHY = "Healthy"
UNHEALTHY = "UnHealthy"


def event(
    source_id: str,
    source_name: str,
    tracker_id: str,
    description: str,
    severity: str,
    now: float,
    healthy: bool = False,
) -> dict[str, Any]:
    return {
        "status": HEALTHY if healthy else UNHEALTHY,
        "details": {"trackerId": tracker_id, "name": tracker_id, "description": description},
        "eventType": "Health-Change",
        "severityLevel": severity,
        "eventId": str(uuid.uuid4()),
        "eventName": "TrackerHealthy" if healthy else "TrackerUnHealthy",
        "eventTime": datetime.fromtimestamp(now, UTC).isoformat(timespec="milliseconds")[:-6] + "Z",
        "eventFormatVersion": "1.0",
        "subsystem": "Collection",
        "resourceIdentity": {"id": source_id, "name": source_name, "type": "Source"},
    }


def record(redis: RedisClient, source_id: str, health_event: dict[str, Any]) -> None:
    pipe = redis.pipeline(transaction=True)
    pipe.lpush(keys.health(source_id), json.dumps(health_event))
    pipe.ltrim(keys.health(source_id), 0, KEEP - 1)
    pipe.execute()


def recent(redis: RedisClient, source_id: str, count: int = 20) -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in redis.lrange(keys.health(source_id), 0, count - 1)]
