"""One small declarative stream per SentinelOne API; the paging they share lives in ``walk.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from collector.apis import Api

Obj = dict[str, Any]


@dataclass(frozen=True)
class Stream:
    """How one API is listed, ordered, checkpointed, deduplicated and labelled."""

    api: Api
    path: str
    sort_by: str  # the console's sortBy value
    filter_field: str  # the time filter that matches sort_by: <field>__gte / <field>__lt
    version: Callable[[Obj], str]  # the object's version timestamp (what sort_by orders by)
    siem_event_id: Callable[[Obj], str]
    siem_data_type: str | None = None
    snapshots: bool = False  # a full listing on the first run and again every snapshot interval
    supports_activity_types: bool = False


def _activity_event_id(obj: Obj) -> str:
    return f"activities - {obj.get('activityType')}"


def _threat_event_id(obj: Obj) -> str:
    info = obj.get("threatInfo") or {}
    return f"threats - {info.get('classification') or 'unknown'}"


def _threat_updated(obj: Obj) -> str:
    return str((obj.get("threatInfo") or {}).get("updatedAt"))


ACTIVITIES = Stream(
    api=Api.ACTIVITIES,
    path="/activities",
    sort_by="createdAt",
    filter_field="createdAt",
    version=lambda obj: str(obj.get("createdAt")),
    siem_event_id=_activity_event_id,
    supports_activity_types=True,
)

THREATS = Stream(
    api=Api.THREATS,
    path="/threats",
    sort_by="updatedAt",  # applies to threatInfo.updatedAt: every change is seen once
    filter_field="updatedAt",
    version=_threat_updated,
    siem_event_id=_threat_event_id,
)

AGENTS = Stream(
    api=Api.AGENTS,
    path="/agents",
    sort_by="updatedAt",
    filter_field="updatedAt",
    version=lambda obj: str(obj.get("updatedAt")),
    siem_event_id=lambda _obj: "agents",
    siem_data_type="Inventory",
    snapshots=True,
)

STREAMS: dict[Api, Stream] = {s.api: s for s in (ACTIVITIES, THREATS, AGENTS)}
