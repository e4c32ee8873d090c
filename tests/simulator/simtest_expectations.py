"""Brute-force expectations computed from plain objects, independent of the simulator's indexes."""

from __future__ import annotations

from typing import Any

from simulator.timefmt import parse_timestamp

AGENT_TIMES = {"createdAt", "updatedAt", "registeredAt", "lastActiveDate"}


def sort_value(api: str, obj: dict[str, Any], field: str) -> int | str:
    """The value an object is sorted by for ``sortBy=field``."""
    if field == "id":
        return int(obj["id"])
    if api == "activities":
        return parse_timestamp(obj[field]) if field == "createdAt" else int(obj[field])
    if api == "threats":
        if field in ("createdAt", "updatedAt"):
            return parse_timestamp(obj["threatInfo"][field])
        if field == "agentComputerName":
            return str(obj["agentRealtimeInfo"][field])
        return str(obj["threatInfo"][field] or "")
    value = obj[field]
    if field in AGENT_TIMES:
        return parse_timestamp(value)
    if isinstance(value, bool | int):
        return int(value)
    return str(value or "")


def expected_order(
    api: str, objects: list[dict[str, Any]], field: str, descending: bool
) -> list[str]:
    """Ids in the order the console must list them: by value, ties by id."""
    ordered = sorted(objects, key=lambda o: (sort_value(api, o, field), int(o["id"])))
    if descending:
        ordered.reverse()
    return [o["id"] for o in ordered]


def timestamp(api: str, obj: dict[str, Any], field: str) -> int:
    """A time attribute of an object in microseconds."""
    source = obj["threatInfo"] if api == "threats" else obj
    return parse_timestamp(source[field])


def scope(api: str, obj: dict[str, Any], name: str) -> str | None:
    """siteId, accountId, groupId or agentId of an object."""
    source = obj["agentRealtimeInfo"] if api == "threats" else obj
    value = source.get(name)
    return None if value is None else str(value)
