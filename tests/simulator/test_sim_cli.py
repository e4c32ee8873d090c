"""The command line: help, the start line, serving, and a clean exit on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import requests
from click.testing import CliRunner

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_help_documents_every_option() -> None:
    # When asking for help
    result = CliRunner().invoke(main, ["--help"])
    # Then every option is listed
    assert result.exit_code == 0
    for option in ("--port", "--host", "--seed", "--activities", "--agents", "--threats",
                   "--days", "--anchor", "--live-activities-per-sec", "--late-share",
                   "--late-delay", "--live-threat-updates-per-sec",
                   "--live-agent-updates-per-sec", "--rate-limits", "--rate-limit-scale",
                   "--retry-after", "--reject-offset-timestamps", "--token", "--error-rate",
                   "--latency-ms", "--hang-rate", "--hang-seconds", "--garbage-rate",
                   "--garbage-status", "--last-page-cursor", "--cursor-ttl", "--tie-share"):
        assert option in result.output


def test_bad_token_option_is_a_usage_error() -> None:
    # When passing a token with an unknown role
    result = CliRunner().invoke(main, ["--token", "x:superuser"])
    # Then the command refuses to start
    assert result.exit_code == 2
    assert "unknown role" in result.output


def test_serves_prints_the_start_line_and_exits_cleanly_on_sigterm() -> None:
    # Given the simulator started as a process on a free port
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--port", "0", "--activities", "300",
         "--agents", "5", "--threats", "3", "--token", "extra:no-threats", "--last-page-cursor",
         "missing"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        # Then it announces where it listens and what it holds
        assert line.startswith("simulator listening on http://127.0.0.1:")
        assert line.rstrip().endswith("(activities=300, agents=5, threats=3)")
        url = line.split()[3]
        # And it serves, with the options applied
        headers = {"Authorization": "ApiToken extra"}
        body = requests.get(f"{url}/web/api/v2.1/agents", params={"limit": 10}, headers=headers,
                            timeout=10).json()
        assert len(body["data"]) == 5
        assert "nextCursor" not in body["pagination"]
        forbidden = requests.get(f"{url}/web/api/v2.1/threats", headers=headers, timeout=10)
        assert forbidden.status_code == 403
        # When sent SIGTERM
        process.send_signal(signal.SIGTERM)
        # Then it exits cleanly
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
