"""Opaque keyset cursors: the last row's (sort value, id), bound to the query's filters."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from simulator.errors import invalid_cursor
from simulator.index import SortValue


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a walk stopped, and for which query."""

    value: SortValue
    id: int
    fingerprint: str
    issued_us: int

    def encode(self) -> str:
        """Return the opaque base64 form sent as ``nextCursor``."""
        raw = json.dumps(
            {"v": self.value, "i": self.id, "f": self.fingerprint, "t": self.issued_us},
            separators=(",", ":"),
        )
        return base64.b64encode(raw.encode()).decode()


def decode_cursor(
    text: str, fingerprint: str, now_us: int, ttl_s: float | None, numeric: bool
) -> Cursor:
    """Decode and check a cursor; raise the console's 400 ``Invalid cursor`` otherwise."""
    try:
        payload = json.loads(base64.b64decode(text.encode(), validate=True))
        value, oid = payload["v"], payload["i"]
        cursor = Cursor(value, oid, payload["f"], payload["t"])
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeError):
        raise invalid_cursor() from None
    value_ok = isinstance(value, int) if numeric else isinstance(value, str)
    if not value_ok or not isinstance(oid, int) or not isinstance(cursor.issued_us, int):
        raise invalid_cursor()
    if cursor.fingerprint != fingerprint:
        raise invalid_cursor()
    if ttl_s is not None and now_us - cursor.issued_us > ttl_s * 1_000_000:
        raise invalid_cursor()
    return cursor
