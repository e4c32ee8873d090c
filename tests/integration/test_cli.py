"""The ``collector`` command line against a real Redis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import cli
from collector.redisconn import RedisClient
from tests.integration.helpers import source_doc
from tests.redis_server import RedisServer


@pytest.fixture
def run_cli(redis: RedisClient, redis_server: RedisServer, home: Path):  # type: ignore[no-untyped-def]
    env = {
        "REDIS_URL": redis_server.url,
        "COLLECTOR_HOME": str(home),
        "COLLECTOR_SECRET_KEY": "cli-key",
    }

    def invoke(*args: str, stdin: str | None = None) -> tuple[int, str]:
        result = CliRunner().invoke(cli, list(args), env=env, input=stdin)
        return result.exit_code, result.output

    return invoke


def test_create_list_get_status_and_health(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = tmp_path / "source.json"
    document.write_text(
        json.dumps(
            source_doc(
                "https://console.example.net",
                name="prod",
                token="very-secret-token",
                apis=("activities", "threats"),
            )
        )
    )

    code, created = run_cli("sources", "create", "--file", str(document))
    assert code == 0, created
    source_id = json.loads(created)["source"]["id"]
    assert json.loads(created)["source"]["config"]["api_secret"] == "********"

    code, listing = run_cli("sources", "list")
    assert code == 0 and source_id in listing and "Pending" in listing and "prod" in listing

    code, shown = run_cli("sources", "get", "prod")
    assert code == 0 and json.loads(shown)["source"]["id"] == source_id

    code, status = run_cli("status")
    assert code == 0 and "activities" in status and "not run yet" in status

    code, _ = run_cli("health", "prod")
    assert code == 0
    everything = created + listing + shown + status
    assert "very-secret-token" not in everything


def test_a_bad_document_is_refused_with_the_reason(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = tmp_path / "source.json"
    document.write_text(json.dumps(source_doc("http://console.example.net", token="tok")))

    code, output = run_cli("sources", "create", "--file", str(document))

    assert code != 0
    assert "base_url" in output and "https" in output and "tok" not in output


def test_documents_can_come_from_stdin_and_unknown_sources_are_named(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, _ = run_cli(
        "sources", "create", "--file", "-", stdin=json.dumps(source_doc("https://c.example.net"))
    )
    assert code == 0

    code, output = run_cli("sources", "get", "nope")
    assert code != 0 and "nope" in output


def test_a_malformed_setting_is_refused_by_name(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["status"], env={"COLLECTOR_POLL_INTERVAL": "soon"})

    assert result.exit_code != 0
    assert "COLLECTOR_POLL_INTERVAL" in str(result.exception) + result.output
