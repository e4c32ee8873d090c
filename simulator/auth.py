"""API tokens: authentication, roles, expiry, revocation and introspection."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from simulator.config import ROLES, TokenSpec
from simulator.errors import ApiError, auth_failed, forbidden, validation_error

_DAY_US = 86_400 * 1_000_000
SCHEME = "apitoken"


@dataclass(slots=True)
class TokenState:
    """A known token and what happened to it."""

    spec: TokenSpec
    created_us: int
    expires_us: int | None
    revoked: bool = False

    def valid_at(self, now_us: int) -> bool:
        """Whether the token authenticates at ``now_us``."""
        expired = self.expires_us is not None and self.expires_us <= now_us
        return not self.revoked and not expired


class TokenRegistry:
    """The tokens the console knows, keyed by the token string."""

    def __init__(self, specs: tuple[TokenSpec, ...], start_us: int) -> None:
        self._start_us = start_us
        self._tokens: dict[str, TokenState] = {}
        self._lock = threading.Lock()
        for spec in specs:
            self.add(spec)

    def add(self, spec: TokenSpec) -> None:
        """Register (or replace) a token, dated relative to the start time."""
        expires = (
            None
            if spec.expires_in_days is None
            else self._start_us + round(spec.expires_in_days * _DAY_US)
        )
        created = self._start_us - round(spec.created_days_ago * _DAY_US)
        with self._lock:
            self._tokens[spec.token] = TokenState(spec, created, expires)

    def revoke(self, token: str) -> None:
        """Revoke a token; later requests with it get 401. Unknown tokens raise ``KeyError``."""
        with self._lock:
            self._tokens[token].revoked = True

    def authenticate(self, header: str | None, now_us: int) -> TokenState:
        """Check an ``Authorization: ApiToken <token>`` header (scheme case-insensitive)."""
        scheme, _, token = (header or "").strip().partition(" ")
        state = self._tokens.get(token.strip()) if scheme.lower() == SCHEME else None
        if state is None or not state.valid_at(now_us):
            raise auth_failed()
        return state

    @staticmethod
    def authorize(state: TokenState, api: str) -> None:
        """Raise 403 unless the token's role may read list endpoint ``api``."""
        if api not in ROLES[state.spec.role]:
            raise forbidden()

    def details(self, token: str, now_us: int) -> tuple[int, int]:
        """Answer ``users/api-token-details``: (createdAt, expiresAt) of a token.

        Tokens without expiry information (service users) cannot be introspected: 403.
        """
        state = self._tokens.get(token)
        if state is None or not state.valid_at(now_us):
            raise ApiError(400, 4000010, "Validation Error", "Invalid API token")
        if state.expires_us is None:
            raise forbidden()
        return state.created_us, state.expires_us


def token_from_body(body: object) -> str:
    """Extract ``data.apiToken`` from an ``api-token-details`` request body."""
    data = body.get("data") if isinstance(body, dict) else None
    token = data.get("apiToken") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token:
        raise validation_error("data.apiToken: Missing data for required field.")
    return token
