"""``collector run``: everything on one machine, with embedded defaults.

Starts, as child processes: the embedded Redis (unless ``REDIS_URL`` names one), one Celery
worker, Celery beat and, while no source of the user's own is registered, the SentinelOne
simulator plus a demo source pointing at it. Prints progress until Ctrl-C, then stops every child
in order (beat, worker, simulator, Redis last).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from collector import keys, timefmt
from collector.children import Child, wait_for_line
from collector.embedded import EmbeddedRedis
from collector.redisconn import RedisClient, connect
from collector.registry import Registry
from collector.secrets import SecretBox
from collector.settings import Settings

DEMO_NAME = "demo (simulator)"
DEMO_FILE = "demo.json"
DEMO_CONSOLE = ["--seed", "7", "--activities", "5000", "--agents", "200", "--threats", "100",
                "--days", "1", "--live-activities-per-sec", "2"]  # fmt: skip
Echo = Callable[[str], None]


class Runner:
    def __init__(self, settings: Settings, echo: Echo, workers: int = 2) -> None:
        self.settings = settings
        self.echo = echo
        self.workers = workers
        self.home = settings.home.absolute()
        self.children: list[Child] = []
        self.redis_server: EmbeddedRedis | None = None
        self._stopping = False

    def run(self, progress_every: float = 5.0) -> None:
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            registry, redis = self._start()
            self.echo("collecting; press Ctrl-C to stop")
            self._watch(registry, redis, progress_every)
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._stopping = True

    def _start(self) -> tuple[Registry, RedisClient]:
        env = dict(os.environ)
        env["COLLECTOR_HOME"] = str(self.home)
        env["COLLECTOR_SINK"] = self.settings.sink_url
        env.setdefault("PYTHONUNBUFFERED", "1")
        url = self.settings.redis_url
        if url is None:
            self.redis_server = EmbeddedRedis(self.home)
            url = self.redis_server.start()
            how = "started" if self.redis_server.owned else "reusing"
            self.echo(f"redis     {how} embedded server at {self.redis_server.socket}")
        env["REDIS_URL"] = url
        redis = connect(url)
        registry = Registry(redis, SecretBox.from_settings(self.settings.secret_key, self.home))
        self._start_demo_if_needed(registry, env)
        logs = self.home / "log"
        celery = [sys.executable, "-m", "celery", "-A", "workers.app"]
        worker = Child.start(
            "worker",
            [
                *celery,
                "worker",
                "-Q",
                "fetch,forward,manage",
                "-c",
                str(self.workers),
                "-n",
                f"collector-{os.getpid()}@%h",
                "--loglevel",
                "INFO",
            ],
            env,
            logs,
            stop_timeout=60.0,
        )
        self.children.append(worker)
        wait_for_line(worker.log_path, "ready.", worker, 60)
        self.echo(f"worker    pid {worker.pid}, {self.workers} processes, log {worker.log_path}")
        beat = Child.start("beat", [*celery, "beat", "--loglevel", "INFO"], env, logs)
        self.children.append(beat)
        self.echo(f"beat      pid {beat.pid}, log {beat.log_path}")
        self.echo(f"sink      {self.settings.sink_url}")
        return registry, redis

    def _start_demo_if_needed(self, registry: Registry, env: dict[str, str]) -> None:
        """The simulator runs while the demo source exists, or while no source does."""
        names = {s.config.name for s in registry.all()}
        if names and DEMO_NAME not in names:
            return  # the user's own sources only: no demo
        demo = _demo_settings(self.home / DEMO_FILE)
        argv = [sys.executable, "-m", "simulator", "--port", str(demo["port"]),
                "--anchor", str(demo["anchor"]), *DEMO_CONSOLE]  # fmt: skip
        simulator = Child.start("simulator", argv, env, self.home / "log", stop_timeout=10.0)
        self.children.append(simulator)
        wait_for_line(simulator.log_path, "listening on", simulator, 120)
        self.echo(f"simulator pid {simulator.pid}, http://127.0.0.1:{demo['port']} (demo console)")
        if DEMO_NAME not in names:
            source = registry.create(_demo_document(int(demo["port"])))
            self.echo(f"source    {DEMO_NAME!r} registered (id {source.id})")

    def _watch(self, registry: Registry, redis: RedisClient, every: float) -> None:
        last = ""
        last_print = 0.0
        while not self._stopping:
            for child in self.children:
                if not child.alive():
                    self.echo(f"{child.name} exited unexpectedly; see {child.log_path}")
                    return
            line = progress_line(registry, redis)
            if line != last or time.monotonic() - last_print > 60:
                self.echo(time.strftime("%H:%M:%S ") + line)
                last, last_print = line, time.monotonic()
            _sleep_unless(lambda: self._stopping, every)

    def stop(self) -> None:
        for child in reversed(self.children):  # beat first, then worker, then simulator
            child.stop()
            self.echo(f"stopped   {child.name}")
        self.children.clear()
        if self.redis_server is not None and self.redis_server.owned:
            self.redis_server.stop()
            self.echo("stopped   redis")
        self.redis_server = None


def progress_line(registry: Registry, redis: RedisClient) -> str:
    """One line per source: state, events collected (per API), forwarded, waiting pages."""
    parts = []
    for source in registry.all():
        source_id = source.id
        status = redis.hgetall(keys.status(source_id))
        pending = redis.xlen(keys.outbox(source_id))
        per_api = ", ".join(
            f"{k.split(':')[1]} {int(v):,}"
            for k, v in sorted(status.items())
            if k.startswith("collected:")
        )
        parts.append(
            f"{source.config.name} {status.get('state', '?')}: "
            f"collected {int(status.get('collected', 0)):,}"
            + (f" ({per_api})" if per_api else "")
            + f", forwarded {int(status.get('forwarded', 0)):,}, outbox {pending} pages"
        )
    return "; ".join(parts) or "no sources registered"


def _sleep_unless(stop: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not stop() and time.monotonic() < deadline:
        time.sleep(min(0.2, seconds))


def _demo_settings(path: Path) -> dict[str, str | int]:
    """The demo console's port and history, kept so a restarted demo serves the same data."""
    try:
        saved: dict[str, str | int] = json.loads(path.read_text())
        if {"port", "anchor"} <= set(saved):
            return saved
    except (FileNotFoundError, ValueError):
        pass
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    demo: dict[str, str | int] = {"port": port, "anchor": timefmt.from_unix(time.time())}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(demo))
    return demo


def _demo_document(port: int) -> dict[str, object]:
    return {
        "api.version": "v1",
        "source": {
            "config": {
                "name": DEMO_NAME,
                "category": "demo/sentinelone",
                "base_url": f"http://127.0.0.1:{port}",
                "api_secret": "demo-token",
                "supported_apis": ["activities", "agents", "threats"],
                "fields": {"_siemForward": True},
            },
            "schemaRef": {"type": "SentinelOne Mgmt API"},
            "sourceType": "Universal",
        },
    }
