"""The stdout sink: NDJSON on the worker's standard output (for piping into another shipper)."""

from __future__ import annotations

import sys

from collector.errors import SinkError
from collector.sinks.base import Batch, ndjson_lines


class StdoutSink:
    def send(self, batch: Batch) -> None:
        try:
            sys.stdout.write(ndjson_lines(batch))
            sys.stdout.flush()
        except OSError as exc:
            raise SinkError(f"cannot write to stdout: {exc.strerror}") from None

    def close(self) -> None:
        """stdout belongs to the process."""
