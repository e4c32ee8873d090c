"""Helpers for integration tests: source documents, sink reading, condition waits, workers."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from collector import keys
from collector.checkpoint import from_fields
from collector.redisconn import RedisClient
from collector.registry import Registry
from collector.secrets import SecretBox

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "integration-test-key"  # shared by the test process and the services it starts


def source_doc(
    base_url: str,
    name: str = "S1",
    token: str = "demo-token",
    apis: tuple[str, ...] = ("activities",),
    **config: Any,
) -> dict[str, Any]:
    return {
        "api.version": "v1",
        "source": {
            "config": {
                "name": name,
                "base_url": base_url,
                "api_secret": token,
                "supported_apis": list(apis),
                **config,
            },
            "schemaRef": {"type": "SentinelOne Mgmt API"},
            "sourceType": "Universal",
        },
    }


def read_sink(path: Path) -> list[dict[str, Any]]:
    """The complete lines of the file sink (a worker may be appending the last one right now)."""
    if not path.exists():
        return []
    complete = path.read_text().split("\n")[:-1]
    return [json.loads(line) for line in complete if line]


def version_of(api: str, obj: dict[str, Any]) -> str:
    if api == "threats":
        return str(obj["threatInfo"]["updatedAt"])
    if api == "agents":
        return str(obj["updatedAt"])
    return str(obj["createdAt"])


def delivered(path: Path) -> Counter[tuple[str, str, str]]:
    """How many times each (api, id, version) reached the sink."""
    return Counter(
        (line["api"], line["event"]["id"], version_of(line["api"], line["event"]))
        for line in read_sink(path)
    )


def wait_until(
    condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.1
) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` when the deadline passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def service_env(redis_url: str, home: Path, sink: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COLLECTOR_", "CELERY_"))}
    env.update(
        {
            "REDIS_URL": redis_url,
            "COLLECTOR_HOME": str(home),
            "COLLECTOR_SINK": f"file://{sink}",
            "COLLECTOR_SECRET_KEY": SECRET_KEY,
            "COLLECTOR_SETTLE_LAG": "0",
            "PYTHONUNBUFFERED": "1",
            **settings,
        }
    )
    return env


class Service:
    """A real Celery worker or beat process, in its own process group so it can be killed whole."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.log = log_dir / f"{name}.log"
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                argv,
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @classmethod
    def worker(cls, name: str, env: dict[str, str], log_dir: Path, concurrency: int = 1) -> Service:
        return cls(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workers.app",
                "worker",
                "-Q",
                "fetch,forward,manage",
                "-c",
                str(concurrency),
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
            ],
            env,
            log_dir,
        )

    @classmethod
    def beat(cls, env: dict[str, str], log_dir: Path) -> Service:
        return cls(
            "beat",
            [sys.executable, "-m", "celery", "-A", "workers.app", "beat", "--loglevel", "INFO"],
            env,
            log_dir,
        )

    def wait_ready(self, timeout: float = 60) -> Service:
        wait_until(
            lambda: "ready." in self.log.read_text(errors="replace") or not self.alive(),
            timeout,
            f"{self.name} to be ready",
        )
        assert self.alive(), self.log.read_text()
        return self

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """A crash: SIGKILL to the worker and its pool children at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(30)
        self.kill()


def ledger_versions(sim: Any, api: str | None = None) -> set[tuple[str, str, str]]:
    """Every object version the console must have delivered, as (api, id, version): each one it
    served, and each object's latest version (a version replaced before any poll saw it is
    invisible to every client, so it is not expected)."""
    entries = sim.ledger(api)
    latest: dict[tuple[str, str], tuple[str, str, str]] = {}
    for e in entries:  # in the order versions became visible
        latest[(e.api, e.id)] = (e.api, e.id, e.version)
    return {(e.api, e.id, e.version) for e in entries if e.served} | set(latest.values())


def registry_for(redis: RedisClient) -> Registry:
    """The registry as the worker processes see it (same secret key as ``service_env``)."""
    return Registry(redis, SecretBox(SECRET_KEY))


def walk_done(redis: RedisClient, source_id: str, api: str = "activities") -> int:
    """Objects committed so far by the walk in progress (0 when none is)."""
    walk = from_fields(redis.hgetall(keys.checkpoint(source_id, api))).walk
    return walk.done if walk else 0
