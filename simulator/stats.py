"""Request counters and a log of recent requests, for tests to assert on."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any


class RequestStats:
    """Counts API requests by endpoint and status, and keeps the most recent ones."""

    def __init__(self, log_size: int) -> None:
        self._lock = threading.Lock()
        self._endpoints: dict[str, dict[str, Any]] = {}
        self._total = 0
        self._log: deque[dict[str, Any]] = deque(maxlen=log_size)

    def record(
        self,
        endpoint: str,
        method: str,
        query: str,
        status: int,
        *,
        with_cursor: bool,
        items: int,
        at: str,
    ) -> None:
        """Count one answered request."""
        with self._lock:
            self._total += 1
            entry = self._endpoints.setdefault(
                endpoint, {"requests": 0, "status": {}, "with_cursor": 0, "items": 0}
            )
            entry["requests"] += 1
            entry["status"][str(status)] = entry["status"].get(str(status), 0) + 1
            entry["with_cursor"] += int(with_cursor)
            entry["items"] += items
            self._log.append(
                {"at": at, "method": method, "endpoint": endpoint, "query": query,
                 "status": status}
            )

    def snapshot(self) -> dict[str, Any]:
        """Return ``{"total": n, "endpoints": {name: {requests, status, with_cursor, items}}}``.

        ``with_cursor`` counts requests that carried a cursor; ``items`` counts objects served.
        """
        with self._lock:
            return {
                "total": self._total,
                "endpoints": {
                    name: {**entry, "status": dict(entry["status"])}
                    for name, entry in self._endpoints.items()
                },
            }

    def recent(self) -> list[dict[str, Any]]:
        """Return the logged requests, oldest first."""
        with self._lock:
            return list(self._log)

    def reset(self) -> None:
        """Forget all counts and logged requests."""
        with self._lock:
            self._endpoints.clear()
            self._total = 0
            self._log.clear()
