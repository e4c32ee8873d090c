"""The simulator's state and the answers to API calls, independent of HTTP plumbing."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from simulator.activity_types import ACTIVITY_TYPES
from simulator.auth import TokenRegistry, TokenState
from simulator.clock import Clock, SystemClock
from simulator.config import SimulatorConfig
from simulator.console import Console
from simulator.cursor import Cursor
from simulator.faults import FaultInjector, FaultSettings
from simulator.ledger import LedgerEntry, ledger_entries
from simulator.live import LiveFeed
from simulator.query import parse_list_query
from simulator.ratelimit import RateLimiter
from simulator.specs import SPECS
from simulator.stats import RequestStats
from simulator.timefmt import datetime_to_us, format_us

_LAST_PAGE = {
    "null": b'"nextCursor":null,',
    "string": b'"nextCursor":"null",',
    "missing": b"",
    "empty": b'"nextCursor":"",',
}


class Engine:
    """Everything the simulated console knows; one lock guards the object data."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.clock: Clock = config.clock or SystemClock()
        self.start_us = self.clock.now_us()
        anchor_us = datetime_to_us(config.anchor) if config.anchor else self.start_us
        began = time.perf_counter()
        self.console = Console(config, anchor_us)
        self.generation_seconds = time.perf_counter() - began
        self.live = LiveFeed(config, self.console, self.start_us)
        self.tokens = TokenRegistry(config.tokens, self.start_us)
        self.limiter = RateLimiter(config.rate_limits, config.rate_limit_scale)
        self.faults = FaultInjector(config.faults, config.seed)
        self.stats = RequestStats(config.request_log_size)
        self.stopping = threading.Event()
        """Set on shutdown; ends injected hangs early."""
        self._lock = threading.RLock()

    def now_us(self) -> int:
        """The current simulated time."""
        return self.clock.now_us()

    def list_page(self, api: str, params: Mapping[str, list[str]]) -> tuple[bytes, int]:
        """Answer a list request: the body and how many objects it carries."""
        spec = SPECS[api]
        settings = self.faults.settings
        with self._lock:
            now = self.clock.now_us()
            self.live.advance(now)
            query = parse_list_query(
                spec,
                params,
                now_us=now,
                cursor_ttl_s=settings.cursor_ttl,
                allow_offset=not self.config.reject_offset_timestamps,
            )
            collection = self.console.collections[api]
            total = 0 if query.skip_count else collection.count(query)
            if query.count_only:
                return self._envelope([], None, total, settings.last_page_cursor), 0
            page = collection.page(query)
            store = collection.store
            bodies = [store.body(row) for row in page.rows]
            served = store.served
            for row in page.rows:
                served[row] += 1
        cursor = None
        if page.has_more and page.last_key is not None:
            value, oid = page.last_key
            cursor = Cursor(value, oid, query.fingerprint, now).encode()
        return self._envelope(bodies, cursor, total, settings.last_page_cursor), len(bodies)

    @staticmethod
    def _envelope(bodies: list[bytes], cursor: str | None, total: int, last_page: str) -> bytes:
        next_cursor = _LAST_PAGE[last_page] if cursor is None else b'"nextCursor":"%s",' % (
            cursor.encode()
        )
        return b"".join(
            (
                b'{"data":[',
                b",".join(bodies),
                b'],"pagination":{',
                next_cursor,
                b'"totalItems":%d},"errors":null}' % total,
            )
        )

    def activity_types(self) -> list[dict[str, Any]]:
        """The ``activities/types`` catalogue."""
        return [
            {"action": t.action, "descriptionTemplate": t.description_template, "id": t.id}
            for t in ACTIVITY_TYPES
        ]

    def authenticate(self, header: str | None) -> TokenState:
        """Check the Authorization header (401 unless valid)."""
        return self.tokens.authenticate(header, self.clock.now_us())

    def token_details(self, token: str) -> dict[str, str]:
        """Answer ``users/api-token-details`` for ``token``."""
        created, expires = self.tokens.details(token, self.clock.now_us())
        return {"createdAt": format_us(created), "expiresAt": format_us(expires)}

    def set_faults(self, changes: Mapping[str, Any]) -> FaultSettings:
        """Change some fault settings; returns the settings now in force."""
        settings = self.faults.settings.updated(dict(changes))
        self.faults.replace(settings)
        return settings

    def reset_faults(self) -> FaultSettings:
        """Restore the fault settings given at start."""
        self.faults.replace(self.config.faults)
        return self.config.faults

    def ledger(self, api: str | None = None, with_body: bool = False) -> list[LedgerEntry]:
        """Every version made visible so far (optionally of one API only)."""
        with self._lock:
            self.live.advance(self.clock.now_us())
            names = [api] if api else list(self.console.collections)
            return [
                entry
                for name in names
                for entry in ledger_entries(self.console.collections[name], with_body)
            ]

    def add_activities(self, count: int) -> list[str]:
        """Create ``count`` activities at the current time, visible at once."""
        with self._lock:
            now = self.clock.now_us()
            self.live.advance(now)
            return [self.console.add_activity(now, now) for _ in range(count)]

    def mutate_threats(self, count: int) -> list[str]:
        """Change ``count`` distinct threats now; returns their ids."""
        with self._lock:
            now = self.clock.now_us()
            self.live.advance(now)
            picked = self.console.pick(count, len(self.console.threat_refs))
            return [self.console.change_threat(index, now) for index in picked]

    def update_agents(self, count: int) -> list[str]:
        """Update ``count`` distinct agents now; returns their ids."""
        with self._lock:
            now = self.clock.now_us()
            self.live.advance(now)
            picked = self.console.pick(count, len(self.console.agent_refs))
            return [self.console.update_agent(index, now) for index in picked]

    def counts(self) -> dict[str, int]:
        """How many objects each list endpoint currently has."""
        with self._lock:
            self.live.advance(self.clock.now_us())
            return {name: len(c) for name, c in self.console.collections.items()}
