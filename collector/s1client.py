"""The SentinelOne Management API v2.1 client: one HTTP session, typed answers, classified errors.

Only :func:`_auth_header` reads the token. Neither URLs with queries nor headers ever reach a log
line or an exception message.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

from collector import timefmt
from collector.classify import classify_exception, classify_status
from collector.errors import CollectorError, RateLimited
from collector.ratelimit import RateLimiter
from collector.secrets import Secret

log = logging.getLogger(__name__)
API_PREFIX = "/web/api/v2.1"
END_OF_PAGES = (None, "", "null")
RATE_LIMIT_PAUSE = 1.0  # seconds every worker waits after a 429 that named no Retry-After


@dataclass(frozen=True)
class Page:
    """One page of a list endpoint."""

    items: list[dict[str, Any]]
    next_cursor: str | None
    total: int


@dataclass(frozen=True)
class Timeouts:
    connect: float = 10.0
    read: float = 60.0


def new_session() -> requests.Session:
    """One per worker process: connection pooling, TLS verification always on."""
    session = requests.Session()
    session.verify = True
    session.headers["User-Agent"] = "s1-collector/0.1"
    session.headers["Accept"] = "application/json"
    return session


class SentinelOneClient:
    """Talks to one console with one token."""

    def __init__(
        self,
        base_url: str,
        token: Secret,
        session: requests.Session,
        timeouts: Timeouts | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self._base = base_url.rstrip("/") + API_PREFIX
        self._token = token
        self._session = session
        self._timeouts = timeouts or Timeouts()
        self._limiter = limiter

    def list_page(self, path: str, params: dict[str, str]) -> Page:
        body = self._request("GET", path, params=params)
        data = body.get("data")
        pagination = body.get("pagination") or {}
        if not isinstance(data, list) or not isinstance(pagination, dict):
            raise classify_exception(ValueError("unexpected envelope"))
        cursor = pagination.get("nextCursor")
        next_cursor = None if cursor in END_OF_PAGES else str(cursor)
        total = pagination.get("totalItems")
        return Page(data, next_cursor, total if isinstance(total, int) else 0)

    def system_info(self) -> dict[str, Any]:
        """An authenticated call that reads nothing: proves the token works."""
        body = self._request("GET", "/system/info")
        data = body.get("data")
        return data if isinstance(data, dict) else {}

    def token_expiry(self) -> datetime | None:
        """When the token expires, or ``None`` when the console will not say."""
        try:
            body = self._request(
                "POST", "/users/api-token-details", json_body={"data": {"apiToken": "<token>"}}
            )
            expires = (body.get("data") or {}).get("expiresAt")
            return timefmt.parse(expires) if isinstance(expires, str) else None
        except (CollectorError, ValueError, AttributeError):
            return None

    def _request(
        self,
        method: str,
        path: str,
        params: dict[str, str] | None = None,
        json_body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        if json_body is not None:  # the token only ever leaves through this one substitution
            json_body = {"data": {"apiToken": self._token.reveal()}}
        if self._limiter is not None:
            self._limiter.acquire(self._token, path)
        try:
            response = self._session.request(
                method,
                self._base + path,
                params=params,
                json=json_body,
                headers=_auth_header(self._token),
                timeout=(self._timeouts.connect, self._timeouts.read),
            )
        except requests.RequestException as exc:
            raise classify_exception(exc) from None
        body = _json_or_none(response.content)
        code, detail = _first_error(body)
        error = classify_status(response.status_code, code, detail, _retry_after(response))
        if error is not None:
            log.info("console answered %s on %s %s", response.status_code, method, path)
            if isinstance(error, RateLimited) and self._limiter is not None:
                self._limiter.pause(self._token, path, error.retry_after or RATE_LIMIT_PAUSE)
            raise error
        if not isinstance(body, dict):
            raise classify_exception(ValueError("body is not a JSON object"))
        return body


def _auth_header(token: Secret) -> dict[str, str]:
    return {"Authorization": f"ApiToken {token.reveal()}"}


def _json_or_none(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return None


def _first_error(body: Any) -> tuple[int | None, str | None]:
    if not isinstance(body, dict):
        return None, None
    errors = body.get("errors")
    if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
        return None, None
    first = errors[0]
    code = first.get("code")
    detail = first.get("detail") or first.get("title")
    return (code if isinstance(code, int) else None), (str(detail) if detail else None)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
