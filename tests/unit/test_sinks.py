"""Sinks and batching: raw objects reach the output byte for byte, with their metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collector.errors import SinkError
from collector.forward import to_batch
from collector.sinks import FileSink, StdoutSink, open_sink
from collector.sinks.base import Batch, EventGroup

BIG = '{"id":"1","data":{"n":123456789012345678901234567890,"f":1.5e300}}'


def test_sink_urls() -> None:
    assert isinstance(open_sink("stdout:"), StdoutSink)
    assert open_sink("file:///tmp/x.ndjson").path == Path("/tmp/x.ndjson")  # type: ignore[attr-defined]
    assert open_sink("var/e.ndjson").path == Path("var/e.ndjson")  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="scheme"):
        open_sink("gopher://x")


def test_the_file_sink_appends_one_line_per_event_with_the_raw_bytes(tmp_path: Path) -> None:
    sink = FileSink(tmp_path / "out" / "events.ndjson")
    batch = Batch([EventGroup("activities", '{"_source":"S"}', [BIG, '{"id":"2"}'])])

    sink.send(batch)
    sink.send(batch)

    lines = (tmp_path / "out" / "events.ndjson").read_text().splitlines()
    assert len(lines) == 4
    assert json.loads(lines[0]) == {
        "api": "activities",
        "metadata": {"_source": "S"},
        "event": json.loads(BIG),
    }
    assert BIG in lines[0]  # unchanged, not re-serialised through floats


def test_a_file_sink_that_cannot_write_raises_a_sink_error(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    with pytest.raises(SinkError):
        FileSink(tmp_path / "dir").send(Batch([EventGroup("agents", "{}", ["{}"])]))


def test_batches_group_events_by_their_whole_metadata_set() -> None:
    entries = [
        (
            "1-0",
            {
                "api": "activities",
                "n": "3",
                "meta": '{"_source":"S"}',
                "kinds": "activities - 27\nactivities - 5\nactivities - 27",
                "events": '{"id":"a"}\n{"id":"b"}\n{"id":"c"}',
            },
        ),
        (
            "2-0",
            {
                "api": "agents",
                "n": "1",
                "meta": '{"_source":"S"}',
                "kinds": "",
                "events": '{"id":"x"}',
            },
        ),
    ]

    batch = to_batch(entries)

    shapes = [(g.api, json.loads(g.metadata).get("_siemEventID"), g.events) for g in batch.groups]
    assert shapes == [
        ("activities", "activities - 27", ['{"id":"a"}', '{"id":"c"}']),
        ("activities", "activities - 5", ['{"id":"b"}']),
        ("agents", None, ['{"id":"x"}']),
    ]
    assert batch.size == 4
