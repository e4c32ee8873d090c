"""Child processes of ``collector run``: started in their own session, stopped in order."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    stop_timeout: float

    @classmethod
    def start(
        cls,
        name: str,
        argv: list[str],
        env: dict[str, str],
        log_dir: Path,
        stop_timeout: float = 30.0,
    ) -> Child:
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"{name}.log"
        with open(log_path, "wb") as out:  # a fresh log per run
            process = subprocess.Popen(
                argv,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C goes to the runner, which stops children in order
            )
        return cls(name, process, log_path, stop_timeout)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM (Celery's warm shutdown), then SIGKILL to the whole group if it hangs."""
        if not self.alive():
            return
        self.process.terminate()
        try:
            self.process.wait(self.stop_timeout)
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop in %.0f s; killing it", self.name, self.stop_timeout)
            self._kill_group()
            self.process.wait()
        self._kill_group()  # pool children that outlived their parent, if any

    def _kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)


def wait_for_line(path: Path, needle: str, child: Child, timeout: float) -> str:
    """Wait until ``needle`` appears in the child's log; returns that line."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            for line in path.read_text(errors="replace").splitlines():
                if needle in line:
                    return line
        if not child.alive():
            raise RuntimeError(f"{child.name} exited early; see {path}")
        time.sleep(0.1)
    raise RuntimeError(f"{child.name} did not start in {timeout:.0f} s; see {path}")
