"""Output sinks, chosen by URL scheme. A sink is a small class; adding one is one file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from collector.sinks.base import Batch, EventGroup, Sink
from collector.sinks.file import FileSink
from collector.sinks.stdout import StdoutSink

__all__ = ["Batch", "EventGroup", "FileSink", "Sink", "StdoutSink", "open_sink"]


def open_sink(url: str) -> Sink:
    """``file:///abs/path``, ``file:relative/path``, a bare path, or ``stdout:``."""
    parts = urlsplit(url)
    if parts.scheme == "stdout":
        return StdoutSink()
    if parts.scheme == "file":
        return FileSink(Path(unquote(parts.netloc + parts.path)))
    if parts.scheme == "":
        return FileSink(Path(url))
    raise ValueError(f"COLLECTOR_SINK: unsupported sink scheme {parts.scheme!r}")
