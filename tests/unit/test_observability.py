"""What leaves a worker for Sentry carries no token."""

from __future__ import annotations

import json

from workers.observability import scrub


def test_tokens_are_masked_in_headers_variables_and_messages() -> None:
    event = {
        "message": "request failed with Authorization: ApiToken abc.def-123",
        "request": {"headers": {"Authorization": "ApiToken abc.def-123", "Accept": "json"}},
        "exception": {
            "values": [
                {
                    "stacktrace": {
                        "frames": [
                            {"vars": {"api_secret": "abc.def-123", "source_id": "s1"}},
                            {"vars": {"self": {"_token": "abc.def-123"}}},
                        ]
                    }
                }
            ]
        },
    }

    cleaned = scrub(event)

    assert "abc.def-123" not in json.dumps(cleaned)
    assert cleaned["request"]["headers"]["Accept"] == "json"
    assert cleaned["exception"]["values"][0]["stacktrace"]["frames"][0]["vars"]["source_id"] == "s1"
