"""The ledger: every object version made visible, its exact bytes' hash and serve count."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from simulator.collection import Collection
from simulator.timefmt import format_us


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One object version.

    ``version`` is the version timestamp: ``createdAt`` for activities, ``updatedAt`` for
    agents, ``threatInfo.updatedAt`` for threats.
    """

    api: str
    id: str
    version: str
    version_us: int
    sha256: str
    served: int
    body: bytes | None = None

    def to_json(self) -> bytes:
        """One NDJSON line (without newline); the body, if any, is spliced in verbatim."""
        head = json.dumps(
            {
                "api": self.api,
                "id": self.id,
                "version": self.version,
                "sha256": self.sha256,
                "served": self.served,
            },
            separators=(",", ":"),
        ).encode()
        if self.body is None:
            return head
        return head[:-1] + b',"body":' + self.body + b"}"


def ledger_entries(collection: Collection, with_body: bool) -> Iterator[LedgerEntry]:
    """Yield the ledger of one collection, in the order versions became visible."""
    store = collection.store
    oid = store.getter("id")
    for row in list(collection.shown):
        body = store.body(row)
        version_us = store.version_us(row)
        yield LedgerEntry(
            api=collection.api,
            id=str(oid(row)),
            version=format_us(version_us),
            version_us=version_us,
            sha256=hashlib.sha256(body).hexdigest(),
            served=store.served[row],
            body=body if with_body else None,
        )
