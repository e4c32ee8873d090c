"""One exception tree, named by what the caller does next.

::

    CollectorError
    ├── ThirdPartyConfigError      stop that API until the source is updated or restarted
    │   ├── AuthenticationFailed   401 from the console
    │   └── PermissionDenied       403 from the console
    ├── ThirdPartyGenericError     retry with backoff for up to the retry window
    │   ├── RateLimited            429 (carries the server's Retry-After, when it sent one)
    │   └── InvalidCursor          400 "Invalid cursor": restart the walk from the checkpoint
    ├── FirstPartyGenericError     our side failed (Redis, sink, bug): retry like ThirdPartyGeneric
    │   └── SinkError              the output sink refused or could not be reached
    ├── LeaseLost                  another worker owns (source, api) now: commit nothing
    ├── InvalidSource              a source document was refused (user input, shown to the user)
    └── SourceNotFound             no source with that id or name

Every exception keeps its constructor arguments in ``.args`` so it survives being pickled or
serialised by a task queue. Messages never contain tokens or authorised URLs.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorType(StrEnum):
    """The specification's three error types; their health-event tracker ids end in ``Error``."""

    THIRD_PARTY_CONFIG = "ThirdPartyConfig"
    THIRD_PARTY_GENERIC = "ThirdPartyGeneric"
    FIRST_PARTY_GENERIC = "FirstPartyGeneric"

    @property
    def tracker_id(self) -> str:
        return f"{self.value}Error"

    @property
    def retries(self) -> bool:
        return self is not ErrorType.THIRD_PARTY_CONFIG


class CollectorError(Exception):
    """Root of every error the collector raises on purpose."""

    error_type: ErrorType = ErrorType.FIRST_PARTY_GENERIC


class ThirdPartyConfigError(CollectorError):
    """The console refused the configuration: no retry until the source changes."""

    error_type = ErrorType.THIRD_PARTY_CONFIG


class AuthenticationFailed(ThirdPartyConfigError):
    """The console answered 401: the API token is wrong, revoked or expired."""


class PermissionDenied(ThirdPartyConfigError):
    """The console answered 403: the token may not read this endpoint."""


class ThirdPartyGenericError(CollectorError):
    """Talking to the console failed in a way that may pass: retry with backoff."""

    error_type = ErrorType.THIRD_PARTY_GENERIC

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message, retry_after)
        self.retry_after = retry_after

    def __str__(self) -> str:
        return str(self.args[0])


class RateLimited(ThirdPartyGenericError):
    """The console answered 429."""


class InvalidCursor(ThirdPartyGenericError):
    """The console refused a page cursor as invalid or stale."""


class FirstPartyGenericError(CollectorError):
    """Our own side failed: Redis, the sink or an internal error."""


class SinkError(FirstPartyGenericError):
    """The output sink did not accept a batch."""


class LeaseLost(CollectorError):
    """This worker no longer owns the (source, api) lease; its work must not be committed."""


class InvalidSource(CollectorError):
    """A source document was refused; ``.messages`` maps fields to what is wrong with them."""

    def __init__(self, messages: dict[str, object]) -> None:
        super().__init__(messages)
        self.messages = messages

    def __str__(self) -> str:
        return "; ".join(
            f"{field}: {_flatten(problem)}" for field, problem in self.messages.items()
        )


class SourceNotFound(CollectorError):
    """No source has that id or name."""


def _flatten(problem: object) -> str:
    if isinstance(problem, dict):
        return ", ".join(f"{k}: {_flatten(v)}" for k, v in problem.items())
    if isinstance(problem, list | tuple):
        return " ".join(_flatten(p) for p in problem)
    return str(problem)
