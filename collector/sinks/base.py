"""What a sink receives: events grouped by their metadata set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class EventGroup:
    """Raw events (compact JSON text, unchanged) that share one metadata set."""

    api: str
    metadata: str  # a JSON object
    events: list[str]


@dataclass(frozen=True)
class Batch:
    groups: list[EventGroup]

    @property
    def size(self) -> int:
        return sum(len(g.events) for g in self.groups)


class Sink(Protocol):
    def send(self, batch: Batch) -> None:
        """Deliver the batch durably, or raise :class:`collector.errors.SinkError`."""

    def close(self) -> None: ...


def ndjson_lines(batch: Batch) -> str:
    """One JSON object per event: its api and metadata beside the raw object, byte for byte."""
    parts: list[str] = []
    for group in batch.groups:
        head = f'{{"api":"{group.api}","metadata":{group.metadata},"event":'
        parts.extend(f"{head}{event}}}\n" for event in group.events)
    return "".join(parts)
