"""Error reporting (Sentry), with secrets scrubbed before anything leaves the process."""

from __future__ import annotations

import re
from typing import Any

from collector.settings import Settings

_TOKEN = re.compile(r"(ApiToken\s+)\S+", re.IGNORECASE)
_SECRET_KEYS = ("api_secret", "apitoken", "authorization", "secret", "token")


def init_sentry(settings: Settings) -> None:
    if not settings.sentry_dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration

    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        integrations=[CeleryIntegration()],
        send_default_pii=False,
        before_send=scrub,  # type: ignore[arg-type]
    )


def scrub(event: dict[str, Any], _hint: object = None) -> dict[str, Any]:
    """Mask every value under a secret-looking key and every ``ApiToken`` header value."""
    return _scrub(event)  # type: ignore[no-any-return]


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: "********" if any(s in str(k).lower() for s in _SECRET_KEYS) else _scrub(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, str):
        return _TOKEN.sub(r"\1********", value)
    return value
