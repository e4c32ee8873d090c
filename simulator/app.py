"""The WSGI application: routing, faults, authentication, rate limits and statistics."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from simulator.admin import PREFIX as ADMIN_PREFIX
from simulator.admin import handle_admin
from simulator.auth import TokenRegistry, TokenState, token_from_body
from simulator.engine import Engine
from simulator.errors import (
    GARBAGE_PAGE,
    ApiError,
    internal_error,
    method_not_allowed,
    not_found,
    rate_limited,
    validation_error,
)
from simulator.ratelimit import retry_after_seconds
from simulator.responses import error_response, json_response, raw_json_response
from simulator.specs import SPECS
from simulator.timefmt import format_us

API_PREFIX = "/web/api/v2.1/"

_METHODS = {
    "activities": "GET",
    "agents": "GET",
    "threats": "GET",
    "activities/types": "GET",
    "system/status": "GET",
    "system/info": "GET",
    "users/api-token-details": "POST",
}
_SYSTEM_INFO = {
    "build": "42",
    "latestAgentVersion": "24.1.2.6",
    "patch": "1",
    "release": "Z SP1",
    "version": "Z",
}

StartResponse = Callable[..., Any]


class Application:
    """Answers the Management API under ``/web/api/v2.1`` and the admin API under ``/_admin``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        path = request.path
        if path.startswith(ADMIN_PREFIX):
            response = handle_admin(self._engine, request)
        elif path.startswith(API_PREFIX):
            response = self._api(request, path[len(API_PREFIX) :].rstrip("/"))
        else:
            response = error_response(not_found(path))
        return response(environ, start_response)

    def _api(self, request: Request, endpoint: str) -> Response:
        engine = self._engine
        items = 0
        if endpoint not in _METHODS:
            response = error_response(not_found(request.path))
            endpoint = "other"
        else:
            plan = engine.faults.plan()
            if plan.latency_s:
                engine.stopping.wait(plan.latency_s)
            if plan.hang_s:
                engine.stopping.wait(plan.hang_s)
            if plan.error:
                response = error_response(internal_error())
            elif plan.garbage:
                status = engine.faults.settings.garbage_status
                response = Response(GARBAGE_PAGE, status, content_type="text/html")
            else:
                try:
                    response, items = self._answer(request, endpoint)
                except ApiError as error:
                    response = error_response(error)
                except Exception:
                    traceback.print_exc(file=sys.stderr)
                    response = error_response(internal_error())
        engine.stats.record(
            endpoint,
            request.method,
            request.query_string.decode("latin-1"),
            response.status_code,
            with_cursor=bool(request.args.get("cursor")),
            items=items,
            at=format_us(engine.now_us()),
        )
        return response

    def _answer(self, request: Request, endpoint: str) -> tuple[Response, int]:
        engine = self._engine
        if request.method != _METHODS[endpoint]:
            raise method_not_allowed(request.method)
        state: TokenState | None = None
        if endpoint == "system/status":
            caller = request.remote_addr or "unknown"
        else:
            state = engine.authenticate(request.headers.get("Authorization"))
            caller = state.spec.token
        wait = engine.limiter.acquire(caller, endpoint, engine.now_us())
        if wait is not None:
            retry = retry_after_seconds(wait) if engine.config.retry_after else None
            raise rate_limited(retry)
        if endpoint in SPECS:
            assert state is not None
            TokenRegistry.authorize(state, endpoint)
            body, items = engine.list_page(endpoint, request.args.to_dict(flat=False))
            return raw_json_response(body), items
        if endpoint == "system/status":
            return json_response({"data": {"health": "ok"}}), 0
        if endpoint == "system/info":
            return json_response({"data": _SYSTEM_INFO}), 0
        if endpoint == "activities/types":
            return json_response({"data": engine.activity_types()}), 0
        try:
            payload = json.loads(request.get_data() or b"null")
        except ValueError:
            raise validation_error("Invalid JSON body.") from None
        return json_response({"data": engine.token_details(token_from_body(payload))}), 0
