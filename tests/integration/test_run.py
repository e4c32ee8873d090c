"""``collector run`` as a user runs it: embedded Redis, worker, beat, demo console; Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.helpers import ROOT, read_sink, wait_until

pytestmark = pytest.mark.integration


def processes_with_home(home: Path) -> list[int]:
    """Processes whose environment names this home: everything ``collector run`` started."""
    marker = f"COLLECTOR_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        if marker in environ and state != "Z":
            found.append(int(entry.name))
    return found


def test_run_collects_the_demo_source_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    # Given a fresh directory, no Redis named and no source registered
    home = tmp_path / "var"
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("COLLECTOR_", "CELERY_", "REDIS_"))
    }
    env.update(
        {"COLLECTOR_HOME": str(home), "COLLECTOR_DISPATCH_INTERVAL": "2", "PYTHONUNBUFFERED": "1"}
    )
    out = tmp_path / "run.out"
    with open(out, "wb") as stdout:
        run = subprocess.Popen(
            [sys.executable, "-m", "collector.cli", "run"],
            cwd=ROOT,
            env=env,
            stdout=stdout,
            stderr=subprocess.STDOUT,
        )
    try:
        # When it runs for a while
        sink = home / "events.ndjson"
        wait_until(
            lambda: any(line["api"] == "activities" for line in read_sink(sink)),
            90,
            "demo activities in var/events.ndjson",
        )
        started = processes_with_home(home)
        assert len(started) >= 4  # redis, worker (+ pool), beat, simulator
        # and the user presses Ctrl-C
        run.send_signal(signal.SIGINT)
        assert run.wait(120) == 0
    finally:
        if run.poll() is None:
            run.kill()
    # Then it said what it started and stopped, and no process is left behind
    text = out.read_text()
    for line in (
        "redis     started",
        "worker    pid",
        "beat      pid",
        "simulator pid",
        "registered",
        "collected",
        "stopped   worker",
        "stopped   redis",
    ):
        assert line in text, text
    assert processes_with_home(home) == []
    assert (home / "redis" / "appendonlydir").is_dir()
