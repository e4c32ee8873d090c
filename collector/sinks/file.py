"""The file sink (the embedded default): NDJSON appended, flushed and fsynced before acknowledging.

Several worker processes may append to one file: each batch is written under an exclusive
``flock`` in a single ``write`` to a descriptor opened with ``O_APPEND``.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from collector.errors import SinkError
from collector.sinks.base import Batch, ndjson_lines


class FileSink:
    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, batch: Batch) -> None:
        data = ndjson_lines(batch).encode()
        if not data:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)  # closing releases the lock
        except OSError as exc:
            raise SinkError(f"cannot append to {self.path}: {exc.strerror}") from None

    def close(self) -> None:
        """Nothing is held open between batches."""
