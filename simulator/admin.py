"""The ``/_admin`` endpoints: faults, tokens, ledger, stats and manual changes."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Request, Response

from simulator.engine import Engine
from simulator.responses import json_response
from simulator.timefmt import format_us

PREFIX = "/_admin/"


def _body(request: Request) -> dict[str, Any]:
    payload = json.loads(request.get_data() or b"{}")
    if not isinstance(payload, dict):
        raise ValueError("expected a JSON object")
    return payload


def _faults(engine: Engine, request: Request) -> Response:
    if request.method == "POST":
        engine.set_faults(_body(request))
    elif request.method == "DELETE":
        engine.reset_faults()
    return json_response(engine.faults.settings.as_dict())


def _ledger(engine: Engine, request: Request) -> Response:
    api = request.args.get("api") or None
    if api is not None and api not in engine.console.collections:
        raise ValueError(f"unknown api {api!r}")
    with_body = request.args.get("body", "0").lower() in ("1", "true")
    entries = engine.ledger(api, with_body)
    body = b"".join(entry.to_json() + b"\n" for entry in entries)
    return Response(body, 200, content_type="application/x-ndjson")


def _stats(engine: Engine, request: Request) -> Response:
    if request.method == "DELETE":
        engine.stats.reset()
    return json_response(engine.stats.snapshot())


def _mutate(engine: Engine, request: Request) -> Response:
    wanted = _body(request)
    unknown = set(wanted) - {"activities", "threats", "agents"}
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
    return json_response(
        {
            "activities": engine.add_activities(int(wanted.get("activities", 0))),
            "threats": engine.mutate_threats(int(wanted.get("threats", 0))),
            "agents": engine.update_agents(int(wanted.get("agents", 0))),
        }
    )


def _info(engine: Engine, _request: Request) -> Response:
    return json_response(
        {
            "seed": engine.config.seed,
            "now": format_us(engine.now_us()),
            "start": format_us(engine.start_us),
            "anchor": format_us(engine.console.anchor_us),
            "generationSeconds": round(engine.generation_seconds, 3),
            "counts": engine.counts(),
        }
    )


_ROUTES = {
    "faults": (("GET", "POST", "DELETE"), _faults),
    "ledger": (("GET",), _ledger),
    "stats": (("GET", "DELETE"), _stats),
    "requests": (("GET",), lambda engine, _r: json_response(engine.stats.recent())),
    "mutate": (("POST",), _mutate),
    "info": (("GET",), _info),
}


def handle_admin(engine: Engine, request: Request) -> Response:
    """Answer a request under ``/_admin/``."""
    name = request.path[len(PREFIX) :].strip("/")
    try:
        if name.startswith("tokens/") and name.endswith("/revoke"):
            if request.method != "POST":
                return json_response({"error": "use POST"}, 405)
            token = name[len("tokens/") : -len("/revoke")]
            engine.tokens.revoke(token)
            return json_response({"revoked": token})
        route = _ROUTES.get(name)
        if route is None:
            return json_response({"error": f"unknown admin endpoint {name!r}"}, 404)
        methods, handler = route
        if request.method not in methods:
            return json_response({"error": f"use one of {', '.join(methods)}"}, 405)
        return handler(engine, request)
    except KeyError as exc:
        return json_response({"error": f"unknown: {exc}"}, 404)
    except (ValueError, TypeError) as exc:
        return json_response({"error": str(exc)}, 400)
