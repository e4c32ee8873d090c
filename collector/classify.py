"""One table: what a SentinelOne answer or a transport failure means for the collector.

``classify_status`` maps an HTTP status (and the console's error code) to the exception to raise;
``classify_exception`` does the same for failures below HTTP. Both are tested as one table.
"""

from __future__ import annotations

import socket
import ssl
from typing import TypeVar

import requests

from collector.errors import (
    AuthenticationFailed,
    CollectorError,
    InvalidCursor,
    PermissionDenied,
    RateLimited,
    ThirdPartyConfigError,
    ThirdPartyGenericError,
)

INVALID_CURSOR_CODE = 4000010
E = TypeVar("E", bound=BaseException)


def classify_status(
    status: int, code: int | None, detail: str | None, retry_after: float | None
) -> CollectorError | None:
    """The error an HTTP answer stands for, or ``None`` when it is a success."""
    if 200 <= status < 300:
        return None
    text = (
        f"HTTP {status}" + (f" (code {code})" if code else "") + (f": {detail}" if detail else "")
    )
    if status == 400 and _is_cursor_error(code, detail):
        return InvalidCursor(text)
    if status == 401:
        return AuthenticationFailed(f"{text}: the API token is invalid, revoked or expired")
    if status == 403:
        return PermissionDenied(f"{text}: the API token may not read this endpoint")
    if status == 404:
        return ThirdPartyConfigError(f"{text}: no SentinelOne API at this base_url")
    if status == 429:
        return RateLimited(text, retry_after)
    if status in (408, 425) or status >= 500:
        return ThirdPartyGenericError(text, retry_after)
    return ThirdPartyConfigError(text)


def _is_cursor_error(code: int | None, detail: str | None) -> bool:
    return code == INVALID_CURSOR_CODE and "cursor" in (detail or "cursor").lower()


def classify_exception(exc: BaseException) -> CollectorError:
    """The error a failure of the transport stands for (never echoes the request URL)."""
    if _caused_by(exc, socket.gaierror):
        return ThirdPartyConfigError("the host in base_url cannot be resolved")
    cert_error = _caused_by(exc, ssl.SSLCertVerificationError)
    if cert_error is not None:
        return ThirdPartyConfigError(
            f"TLS certificate verification failed: {getattr(cert_error, 'verify_message', '')}"
        )
    if isinstance(exc, requests.Timeout):
        return ThirdPartyGenericError("the console did not answer in time")
    if isinstance(exc, requests.ConnectionError):
        return ThirdPartyGenericError("the connection to the console failed")
    if isinstance(exc, ValueError):
        return ThirdPartyGenericError("the console's answer is not the expected JSON")
    return ThirdPartyGenericError(f"request failed: {type(exc).__name__}")


def _caused_by(exc: BaseException, kind: type[E]) -> E | None:
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kind):
            return current
        todo.extend([current.__cause__, current.__context__, *_args_exceptions(current)])
    return None


def _args_exceptions(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    for arg in exc.args:
        if isinstance(arg, BaseException):
            found.append(arg)
        reason = getattr(arg, "reason", None)
        if isinstance(reason, BaseException):
            found.append(reason)
    return found
