"""The simulator's configuration: one frozen dataclass holding every option."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from simulator.clock import Clock
from simulator.faults import FaultSettings

ROLES: dict[str, frozenset[str]] = {
    "admin": frozenset({"activities", "agents", "threats"}),
    "no-threats": frozenset({"activities", "agents"}),
    "no-agents": frozenset({"activities", "threats"}),
    "no-activities": frozenset({"agents", "threats"}),
}
"""Which list endpoints each role may read; every valid token may use the system endpoints."""


@dataclass(frozen=True, slots=True)
class TokenSpec:
    """An API token the simulated console knows."""

    token: str
    role: str = "admin"
    expires_in_days: float | None = 90.0
    """Days from start until expiry (negative: already expired); ``None``: no expiry info."""
    created_days_ago: float = 30.0

    def __post_init__(self) -> None:
        if not self.token or any(c.isspace() for c in self.token):
            raise ValueError(f"invalid token {self.token!r}")
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; roles: {', '.join(ROLES)}")

    @classmethod
    def parse(cls, text: str) -> TokenSpec:
        """Parse ``TOKEN[:ROLE[:EXPIRES_IN_DAYS|none]]``."""
        parts = text.split(":")
        if len(parts) > 3:
            raise ValueError(f"expected TOKEN[:ROLE[:DAYS|none]], got {text!r}")
        role = parts[1] if len(parts) > 1 and parts[1] else "admin"
        expires: float | None = 90.0
        if len(parts) == 3:
            expires = None if parts[2].lower() == "none" else float(parts[2])
        return cls(token=parts[0], role=role, expires_in_days=expires)


DEFAULT_TOKENS: tuple[TokenSpec, ...] = (
    TokenSpec("demo-token", "admin", 90.0),
    TokenSpec("expired-token", "admin", -1.0, created_days_ago=91.0),
    TokenSpec("no-threats-token", "no-threats", 90.0),
    TokenSpec("expiring-token", "admin", 3.0, created_days_ago=87.0),
    TokenSpec("service-token", "admin", None),
)


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    """Every option of the simulator; the command line maps onto these fields."""

    host: str = "127.0.0.1"
    port: int = 0
    """TCP port; 0 picks a free one."""
    seed: int = 1
    activities: int = 2000
    agents: int = 50
    threats: int = 30
    days: float = 2.0
    """Activities and threats are spread over this many days before the anchor."""
    anchor: datetime | None = None
    """End of the generated history; defaults to the clock's time at construction."""
    tie_share: float = 0.05
    """Share of objects that share their exact microsecond timestamp with a neighbour."""
    max_tie_run: int = 8
    """Longest run of objects at one timestamp (runs across every 1000th position are forced)."""
    live_activities_per_sec: float = 0.0
    late_share: float = 0.0
    """Share of live activities that become visible only ``late_delay`` seconds after creation."""
    late_delay: float = 30.0
    live_threat_updates_per_sec: float = 0.0
    live_agent_updates_per_sec: float = 0.0
    rate_limits: bool = True
    rate_limit_scale: float = 1.0
    retry_after: bool = True
    """Send a ``Retry-After`` header with 429 answers."""
    reject_offset_timestamps: bool = False
    """Reject time filters with a numeric offset such as ``+00:00`` (only ``Z`` passes)."""
    tokens: tuple[TokenSpec, ...] = DEFAULT_TOKENS
    faults: FaultSettings = field(default_factory=FaultSettings)
    clock: Clock | None = None
    """Time source; ``None`` uses the wall clock."""
    request_log_size: int = 10_000
    """How many recent requests ``/_admin/requests`` keeps."""

    def __post_init__(self) -> None:
        for name in ("activities", "agents", "threats"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.threats and not self.agents:
            raise ValueError("threats need at least one agent")
        if self.days <= 0:
            raise ValueError("days must be positive")
        if not 0.0 <= self.tie_share <= 1.0 or not 0.0 <= self.late_share <= 1.0:
            raise ValueError("tie_share and late_share must be between 0 and 1")
        if self.max_tie_run < 2:
            raise ValueError("max_tie_run must be at least 2")
        if self.rate_limit_scale <= 0:
            raise ValueError("rate_limit_scale must be positive")
        rates = (
            self.live_activities_per_sec,
            self.live_threat_updates_per_sec,
            self.live_agent_updates_per_sec,
            self.late_delay,
        )
        if min(rates) < 0:
            raise ValueError("live rates and late_delay must not be negative")
        names = [spec.token for spec in self.tokens]
        if len(set(names)) != len(names):
            raise ValueError("token names must be unique")
