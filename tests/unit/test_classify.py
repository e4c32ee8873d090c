"""The classification table: every answer and failure maps to one error type."""

from __future__ import annotations

import socket
import ssl

import pytest
import requests

from collector.classify import classify_exception, classify_status
from collector.errors import (
    AuthenticationFailed,
    ErrorType,
    InvalidCursor,
    PermissionDenied,
    RateLimited,
    ThirdPartyConfigError,
    ThirdPartyGenericError,
)


@pytest.mark.parametrize(
    ("status", "code", "detail", "expected", "error_type"),
    [
        (200, None, None, None, None),
        (
            400,
            4000010,
            "Invalid cursor value received",
            InvalidCursor,
            ErrorType.THIRD_PARTY_GENERIC,
        ),
        (
            400,
            4000010,
            "limit must be <= 1000",
            ThirdPartyConfigError,
            ErrorType.THIRD_PARTY_CONFIG,
        ),
        (400, None, None, ThirdPartyConfigError, ErrorType.THIRD_PARTY_CONFIG),
        (401, 4010010, "Authentication Failed", AuthenticationFailed, ErrorType.THIRD_PARTY_CONFIG),
        (403, 4030010, "Insufficient permissions", PermissionDenied, ErrorType.THIRD_PARTY_CONFIG),
        (404, None, None, ThirdPartyConfigError, ErrorType.THIRD_PARTY_CONFIG),
        (408, None, None, ThirdPartyGenericError, ErrorType.THIRD_PARTY_GENERIC),
        (429, None, None, RateLimited, ErrorType.THIRD_PARTY_GENERIC),
        (
            500,
            5000010,
            "Server could not process",
            ThirdPartyGenericError,
            ErrorType.THIRD_PARTY_GENERIC,
        ),
        (502, None, None, ThirdPartyGenericError, ErrorType.THIRD_PARTY_GENERIC),
        (503, None, None, ThirdPartyGenericError, ErrorType.THIRD_PARTY_GENERIC),
    ],
)
def test_http_answers(status, code, detail, expected, error_type) -> None:  # type: ignore[no-untyped-def]
    error = classify_status(status, code, detail, None)

    if expected is None:
        assert error is None
    else:
        assert type(error) is expected
        assert error is not None and error.error_type is error_type


def test_retry_after_travels_with_a_429() -> None:
    error = classify_status(429, None, None, 12.0)

    assert isinstance(error, RateLimited) and error.retry_after == 12.0


def _wrapped(inner: BaseException) -> requests.ConnectionError:
    try:
        try:
            raise inner
        except BaseException as exc:
            raise requests.ConnectionError("failed") from exc
    except requests.ConnectionError as outer:
        return outer


@pytest.mark.parametrize(
    ("failure", "error_type"),
    [
        (_wrapped(socket.gaierror(-2, "Name or service not known")), ErrorType.THIRD_PARTY_CONFIG),
        (_wrapped(ssl.SSLCertVerificationError("hostname mismatch")), ErrorType.THIRD_PARTY_CONFIG),
        (requests.ReadTimeout("slow"), ErrorType.THIRD_PARTY_GENERIC),
        (requests.ConnectTimeout("slow"), ErrorType.THIRD_PARTY_GENERIC),
        (requests.ConnectionError("reset"), ErrorType.THIRD_PARTY_GENERIC),
        (ValueError("not json"), ErrorType.THIRD_PARTY_GENERIC),
    ],
)
def test_transport_failures(failure: BaseException, error_type: ErrorType) -> None:
    assert classify_exception(failure).error_type is error_type


def test_errors_survive_serialisation_by_their_args() -> None:
    error = RateLimited("HTTP 429", 3.0)

    copy = type(error)(*error.args)

    assert (str(copy), copy.retry_after) == ("HTTP 429", 3.0)
