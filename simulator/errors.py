"""The console's error envelope and the errors the simulator answers with."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ApiError(Exception):
    """An error answered as ``{"errors":[{"code":..,"detail":..,"title":..}]}``."""

    status: int
    code: int
    title: str
    detail: str | None = None
    has_detail: bool = True
    """The 403 body of the console carries no ``detail`` key at all."""
    headers: tuple[tuple[str, str], ...] = field(default=())

    def body(self) -> bytes:
        """Return the serialised error envelope."""
        error: dict[str, object] = {"code": self.code}
        if self.has_detail:
            error["detail"] = self.detail
        error["title"] = self.title
        return json.dumps({"errors": [error]}, separators=(",", ":")).encode()


def auth_failed() -> ApiError:
    """A 401 for a missing, unknown, revoked or expired token."""
    return ApiError(401, 4010010, "Authentication Failed")


def forbidden() -> ApiError:
    """A 403 for a token whose role does not cover the endpoint."""
    return ApiError(403, 4030010, "Insufficient permissions", has_detail=False)


def invalid_cursor() -> ApiError:
    """A 400 for a malformed, foreign or expired cursor."""
    return ApiError(400, 4000010, "Validation JSONError", "Invalid cursor value received")


def internal_error() -> ApiError:
    """A 500 as the console answers it."""
    return ApiError(500, 5000010, "Internal server error", "Server could not process the request.")


def validation_error(detail: str) -> ApiError:
    """A 400 for a request parameter the console rejects."""
    return ApiError(400, 4000010, "Validation Error", detail)


def rate_limited(retry_after_s: int | None) -> ApiError:
    """A 429, with a ``Retry-After`` header when ``retry_after_s`` is given."""
    headers = () if retry_after_s is None else (("Retry-After", str(retry_after_s)),)
    return ApiError(
        429, 4290010, "Too Many Requests", "Rate limit exceeded, try again later.", True, headers
    )


def not_found(path: str) -> ApiError:
    """A 404 for an unknown path."""
    return ApiError(404, 4040010, "Not Found", f"No route for {path}")


def method_not_allowed(method: str) -> ApiError:
    """A 405 for a known path called with the wrong method."""
    return ApiError(405, 4050010, "Method Not Allowed", f"Method {method} is not allowed")


GARBAGE_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n"
)
"""What a proxy in front of the console answers when the backend misbehaves."""
