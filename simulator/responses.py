"""Small helpers to build werkzeug responses."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Response

from simulator.errors import ApiError

JSON = "application/json"


def json_response(payload: Any, status: int = 200) -> Response:
    """Serialise ``payload`` compactly."""
    return Response(json.dumps(payload, separators=(",", ":")), status, content_type=JSON)


def raw_json_response(body: bytes, status: int = 200) -> Response:
    """Send already serialised JSON bytes."""
    return Response(body, status, content_type=JSON)


def error_response(error: ApiError) -> Response:
    """The console's error envelope."""
    response = raw_json_response(error.body(), error.status)
    for name, value in error.headers:
        response.headers[name] = value
    return response
