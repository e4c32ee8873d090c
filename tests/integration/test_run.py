"""``collector run`` as a user runs it: embedded Redis, worker, beat, demo console; Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis import RedisError

from collector import keys
from collector.redisconn import connect
from tests.integration.helpers import ROOT, delivered, read_sink, wait_until

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


def polled_since(home: Path, moment: float) -> int:
    """How many of the demo source's APIs completed a run after ``moment``."""
    socket_path = home / "redis" / "redis.sock"
    if not socket_path.exists():
        return 0
    try:
        redis = connect(f"unix://{socket_path}")
        polled = 0
        for source_id in redis.smembers(keys.SOURCES):
            status = redis.hgetall(keys.status(source_id))
            polled += sum(
                1
                for k, v in status.items()
                if k.endswith(":last_run") and float(v) > moment and not k.startswith("api:sink")
            )
        return polled
    except RedisError:
        return 0


def start_run(home: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("COLLECTOR_", "CELERY_", "REDIS_"))
    }
    env.update({"COLLECTOR_HOME": str(home), "COLLECTOR_DISPATCH_INTERVAL": "2",
                "COLLECTOR_POLL_INTERVAL": "5", "PYTHONUNBUFFERED": "1"})  # fmt: skip
    with open(out, "wb") as stdout:
        return subprocess.Popen([sys.executable, "-m", "collector.cli", "run"], cwd=ROOT, env=env,
                                stdout=stdout, stderr=subprocess.STDOUT)  # fmt: skip


def ctrl_c(run: subprocess.Popen[bytes]) -> int:
    run.send_signal(signal.SIGINT)
    try:
        return run.wait(120)
    finally:
        if run.poll() is None:
            run.kill()


def test_run_collects_the_demo_source_stops_cleanly_and_resumes_where_it_stopped(
    tmp_path: Path,
) -> None:
    # Given a fresh directory, no Redis named and no source registered
    home = tmp_path / "var"
    sink = home / "events.ndjson"
    out = tmp_path / "run.out"
    # When `collector run` runs for a while
    run = start_run(home, out)
    try:
        wait_until(lambda: any(line["api"] == "activities" for line in read_sink(sink)), 90,
                   "demo activities in var/events.ndjson")  # fmt: skip
        assert len(processes_with_home(home)) >= 4  # redis, worker (+ pool), beat, simulator
    finally:
        # and the user presses Ctrl-C
        assert ctrl_c(run) == 0
    # Then it said what it started and stopped, and no process is left behind
    text = out.read_text()
    for line in ("redis     started", "worker    pid", "beat      pid", "simulator pid",
                 "registered", "collected", "stopped   worker", "stopped   redis"):  # fmt: skip
        assert line in text, text
    assert processes_with_home(home) == []
    assert (home / "redis" / "appendonlydir").is_dir()
    first = len(read_sink(sink))
    # When it is started again in the same directory
    again = tmp_path / "again.out"
    restarted = time.time()
    run = start_run(home, again)
    try:
        wait_until(lambda: polled_since(home, restarted) == 3, 90, "every API polled again")
    finally:
        assert ctrl_c(run) == 0
    # Then it reuses its data: the same demo source and console, nothing collected twice
    assert "registered" not in again.read_text()
    assert processes_with_home(home) == []
    counts = delivered(sink)
    assert sum(counts.values()) >= first and max(counts.values()) == 1
    activity_ids = [line["event"]["id"] for line in read_sink(sink) if line["api"] == "activities"]
    assert len(activity_ids) == len(set(activity_ids))  # the same console history, not a new one
