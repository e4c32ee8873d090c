"""Helpers shared by the simulator tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import requests

from simulator import ManualClock, Simulator, SimulatorConfig

ANCHOR = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
TOKEN = "demo-token"


def auth(token: str = TOKEN) -> dict[str, str]:
    """The Authorization header for ``token``."""
    return {"Authorization": f"ApiToken {token}"}


def make_config(**overrides: Any) -> SimulatorConfig:
    """A small, fast configuration on a manual clock, without rate limits unless asked."""
    settings: dict[str, Any] = {
        "seed": 7,
        "activities": 2500,
        "agents": 40,
        "threats": 25,
        "rate_limits": False,
        "anchor": ANCHOR,
        "clock": ManualClock(ANCHOR),
    }
    settings.update(overrides)
    return SimulatorConfig(**settings)


def get(sim: Simulator, endpoint: str, token: str = TOKEN, **params: Any) -> requests.Response:
    """GET ``/web/api/v2.1/<endpoint>`` with ``params``."""
    return requests.get(f"{sim.api_url}/{endpoint}", params=params, headers=auth(token), timeout=10)


def walk(
    sim: Simulator, endpoint: str, token: str = TOKEN, **params: Any
) -> tuple[list[dict[str, Any]], list[requests.Response]]:
    """Follow cursors to the end; return every object and every response."""
    objects: list[dict[str, Any]] = []
    responses = []
    cursor = None
    while True:
        query = dict(params, cursor=cursor) if cursor else params
        response = get(sim, endpoint, token, **query)
        assert response.status_code == 200, response.text
        responses.append(response)
        body = response.json()
        objects.extend(body["data"])
        cursor = body["pagination"].get("nextCursor")
        if not cursor or cursor == "null":
            return objects, responses


def ledger_objects(sim: Simulator, api: str) -> list[dict[str, Any]]:
    """The current version of every object of ``api``, from the ledger."""
    latest: dict[str, dict[str, Any]] = {}
    for entry in sim.ledger(api, body=True):
        assert entry.body is not None
        latest[entry.id] = json.loads(entry.body)
    return list(latest.values())
