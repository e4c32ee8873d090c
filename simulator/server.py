"""The :class:`Simulator`: a threaded HTTP server around the engine, with a Python API."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from simulator.app import Application
from simulator.clock import Clock
from simulator.config import SimulatorConfig, TokenSpec
from simulator.engine import Engine
from simulator.faults import FaultSettings
from simulator.ledger import LedgerEntry

API_PATH = "/web/api/v2.1"


class _QuietHandler(WSGIRequestHandler):
    """Does not log every request (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Skip the access log."""


class Simulator:
    """A simulated SentinelOne console.

    ``start()`` serves it on a background thread; everything else can be called from tests
    at any time, also before ``start()``.
    """

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig()
        self.engine = Engine(self.config)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Simulator:
        if self._server is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> Simulator:
        """Listen on the configured host and port; returns once the socket is listening."""
        if self._server is not None:
            raise RuntimeError("simulator already started")
        self.engine.stopping.clear()
        server = make_server(
            self.config.host,
            self.config.port,
            Application(self.engine),
            threaded=True,
            request_handler=_QuietHandler,
        )
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="simulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (ending injected hangs) and close the socket."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self.engine.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    @property
    def port(self) -> int:
        """The TCP port being listened on."""
        if self._server is None:
            raise RuntimeError("simulator not started")
        port: int = self._server.socket.getsockname()[1]
        return port

    @property
    def url(self) -> str:
        """``http://HOST:PORT`` without a trailing slash."""
        return f"http://{self.config.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """The API base, ``url + "/web/api/v2.1"``."""
        return self.url + API_PATH

    @property
    def clock(self) -> Clock:
        """The simulator's time source."""
        return self.engine.clock

    @property
    def generation_seconds(self) -> float:
        """How long generating the initial data took."""
        return self.engine.generation_seconds

    @property
    def faults(self) -> FaultSettings:
        """The fault settings in force."""
        return self.engine.faults.settings

    def set_faults(self, **changes: Any) -> FaultSettings:
        """Change fault settings (same names as ``POST /_admin/faults``)."""
        return self.engine.set_faults(changes)

    def reset_faults(self) -> FaultSettings:
        """Restore the fault settings given at start."""
        return self.engine.reset_faults()

    def revoke_token(self, token: str) -> None:
        """Revoke a token: later requests with it get 401."""
        self.engine.tokens.revoke(token)

    def add_token(self, spec: TokenSpec) -> None:
        """Register another token."""
        self.engine.tokens.add(spec)

    def ledger(self, api: str | None = None, *, body: bool = False) -> list[LedgerEntry]:
        """Every object version made visible so far, in the order it became visible."""
        return self.engine.ledger(api, body)

    def stats(self) -> dict[str, Any]:
        """Request counts: ``{"total": n, "endpoints": {name: {...}}}``."""
        return self.engine.stats.snapshot()

    def reset_stats(self) -> None:
        """Forget request counts and the request log."""
        self.engine.stats.reset()

    def requests(self) -> list[dict[str, Any]]:
        """The most recent API requests (at, method, endpoint, query, status)."""
        return self.engine.stats.recent()

    def counts(self) -> dict[str, int]:
        """How many objects each list endpoint has now."""
        return self.engine.counts()

    def add_activities(self, n: int) -> list[str]:
        """Make ``n`` new activities visible now; returns their ids."""
        return self.engine.add_activities(n)

    def mutate_threats(self, n: int) -> list[str]:
        """Give ``n`` distinct threats a new version now; returns their ids."""
        return self.engine.mutate_threats(n)

    def update_agents(self, n: int) -> list[str]:
        """Give ``n`` distinct agents a new version now; returns their ids."""
        return self.engine.update_agents(n)
