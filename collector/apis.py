"""The SentinelOne APIs a source can collect."""

from __future__ import annotations

from enum import StrEnum


class Api(StrEnum):
    ACTIVITIES = "activities"
    AGENTS = "agents"
    THREATS = "threats"


ALL_APIS: tuple[Api, ...] = tuple(Api)
