"""Source documents: what is accepted, what is refused and why."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from collector.apis import Api
from collector.errors import InvalidSource
from collector.schema import load_document
from collector.secrets import MASK, Secret

SPEC_EXAMPLE: dict[str, Any] = {
    "api.version": "v1",
    "source": {
        "config": {
            "name": "SentinelOne",
            "supported_apis": ["activities", "agents", "threats"],
            "api_secret": "s3cr3t-token",
            "base_url": "https://usea1-partners.sentinelone.net/",
            "fields": {"_siemForward": False},
        },
        "schemaRef": {"type": "SentinelOne Mgmt API"},
        "state": {"state": "Collecting"},
        "sourceType": "Universal",
    },
}


def doc(**config: Any) -> dict[str, Any]:
    document = copy.deepcopy(SPEC_EXAMPLE)
    for key, value in config.items():
        if value is None:
            document["source"]["config"].pop(key, None)
        else:
            document["source"]["config"][key] = value
    return document


def test_the_specifications_example_is_accepted() -> None:
    config = load_document(json.dumps(SPEC_EXAMPLE))

    assert config.name == "SentinelOne"
    assert config.base_url == "https://usea1-partners.sentinelone.net"
    assert config.supported_apis == (Api.ACTIVITIES, Api.AGENTS, Api.THREATS)
    assert config.api_secret.reveal() == "s3cr3t-token"
    assert config.siem_forward is False
    assert config.backfill_days == 1.0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"base_url": None}, "base_url"),
        ({"base_url": "ftp://console.example"}, "base_url"),
        ({"base_url": "http://console.example.net"}, "base_url"),
        ({"base_url": "https://user:pw@console.example.net"}, "base_url"),
        ({"base_url": "https://console.example.net/?x=1"}, "base_url"),
        ({"api_secret": None}, "api_secret"),
        ({"api_secret": ""}, "api_secret"),
        ({"supported_apis": []}, "supported_apis"),
        ({"supported_apis": ["alerts"]}, "supported_apis"),
        ({"fields": {"_siemForward": "yes"}}, "_siemForward"),
        ({"fields": {"k": {"nested": 1}}}, "fields"),
        ({"backfill_days": 32}, "backfill_days"),
        ({"site_ids": ["abc"]}, "site_ids"),
        ({"unknown_key": 1}, "unknown_key"),
    ],
)
def test_bad_configs_are_refused_naming_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidSource) as refused:
        load_document(doc(**change))

    assert field in str(refused.value)
    assert "s3cr3t-token" not in str(refused.value)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ({"source": {**SPEC_EXAMPLE["source"], "schemaRef": {"type": "Okta"}}}, "schemaRef"),
        ({"source": {**SPEC_EXAMPLE["source"], "sourceType": "HTTP"}}, "sourceType"),
        ({**SPEC_EXAMPLE, "api.version": "v2"}, "api.version"),
        ({"api.version": "v1"}, "source"),
    ],
)
def test_bad_documents_are_refused(document: Any, problem: str) -> None:
    with pytest.raises(InvalidSource, match=problem.replace(".", r"\.")):
        load_document(document)


def test_plain_http_is_accepted_for_loopback_hosts_only() -> None:
    for url in ("http://127.0.0.1:8089", "http://localhost:8089", "http://[::1]:8089"):
        assert load_document(doc(base_url=url)).base_url == url


def test_a_pasted_api_path_and_trailing_slash_are_removed() -> None:
    config = load_document(doc(base_url="https://console.example.net/web/api/v2.1/"))

    assert config.base_url == "https://console.example.net"


def test_siem_forward_may_be_given_as_a_string() -> None:
    assert load_document(doc(fields={"_siemForward": "true"})).siem_forward is True


def test_a_masked_secret_keeps_the_stored_one_and_is_refused_without_one() -> None:
    masked = doc(api_secret=MASK)

    assert load_document(masked, keep=Secret("old")).api_secret.reveal() == "old"
    with pytest.raises(InvalidSource, match="api_secret"):
        load_document(masked)


def test_the_document_shown_back_masks_the_secret_and_round_trips() -> None:
    config = load_document(doc(site_ids=["1234567890123456789"], backfill_days=7))

    shown = config.document("abc", "Pending")

    assert shown["source"]["config"]["api_secret"] == MASK  # type: ignore[index]
    assert "s3cr3t-token" not in json.dumps(shown)
    assert load_document(shown, keep=config.api_secret) == config


def test_plain_http_hosts_can_be_allowed_by_name() -> None:
    document = doc(base_url="http://simulator:8089")

    with pytest.raises(InvalidSource, match="COLLECTOR_HTTP_HOSTS"):
        load_document(document, plain_http_hosts=frozenset({"other"}))
    assert load_document(document, plain_http_hosts=frozenset({"simulator"})).base_url == (
        "http://simulator:8089"
    )
    assert load_document(document, plain_http_hosts=None).base_url == "http://simulator:8089"
