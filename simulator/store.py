"""Row stores: where object versions live. A row is one immutable version of one object."""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import Any, Protocol

Getter = Callable[[int], Any]


class RowStore(Protocol):
    """What a collection needs from the rows it indexes."""

    served: array[int]
    """How many times each row was included in a list response."""

    def getter(self, name: str) -> Getter:
        """Return a function reading attribute ``name`` (id, timestamps, scope ids) of a row."""
        ...

    def body(self, row: int) -> bytes:
        """Return the exact JSON bytes served for a row."""
        ...

    def version_us(self, row: int) -> int:
        """Return the version timestamp of a row (the time the ledger records)."""
        ...


class VersionStore:
    """Rows of mutable objects (agents, threats): serialised once per version."""

    def __init__(self, version_field: str) -> None:
        self._version_field = version_field
        self._bodies: list[bytes] = []
        self._attrs: list[dict[str, Any]] = []
        self.served: array[int] = array("Q")

    def append(self, body: bytes, attrs: dict[str, Any]) -> int:
        """Store a new version; ``attrs`` must hold ``id`` and the version field."""
        self._bodies.append(body)
        self._attrs.append(attrs)
        self.served.append(0)
        return len(self._bodies) - 1

    def getter(self, name: str) -> Getter:
        """Return a function reading attribute ``name`` of a row."""
        attrs = self._attrs
        return lambda row: attrs[row].get(name)

    def body(self, row: int) -> bytes:
        """Return the serialised version."""
        return self._bodies[row]

    def version_us(self, row: int) -> int:
        """Return the version timestamp (``updatedAt``) of a row."""
        value: int = self._attrs[row][self._version_field]
        return value
