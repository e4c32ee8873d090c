"""The metadata that travels with every event: the source's, and Cloud SIEM's when asked for."""

from __future__ import annotations

import json

from collector.source import SourceConfig
from collector.streams import Obj, Stream

SIEM_FIELDS = {"_siemVendor": "SentinelOne", "_siemProduct": "MGMT API", "_siemFormat": "JSON"}


def source_metadata(config: SourceConfig, stream: Stream) -> dict[str, object]:
    """Metadata shared by every event of one (source, api)."""
    meta: dict[str, object] = {"_source": config.name}
    if config.category:
        meta["_sourceCategory"] = config.category
    meta.update(config.fields)
    if config.siem_forward:
        meta.update(SIEM_FIELDS)
        if stream.siem_data_type:
            meta["_siemDataType"] = stream.siem_data_type
    return meta


def event_kinds(config: SourceConfig, stream: Stream, objects: list[Obj]) -> list[str]:
    """The per-event part of the metadata (``_siemEventID``), or nothing when SIEM is off."""
    if not config.siem_forward:
        return []
    return [stream.siem_event_id(obj) for obj in objects]


def merged(meta: dict[str, object], kind: str | None) -> dict[str, object]:
    """One event's whole metadata."""
    if kind is None:
        return meta
    return {**meta, "_siemEventID": kind}


def dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
