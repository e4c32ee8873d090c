"""A faithful simulator of the SentinelOne Management API v2.1 for tests and benchmarks."""

from simulator.clock import Clock, ManualClock, SystemClock
from simulator.config import DEFAULT_TOKENS, ROLES, SimulatorConfig, TokenSpec
from simulator.faults import LAST_PAGE_CURSORS, FaultSettings
from simulator.ledger import LedgerEntry
from simulator.server import API_PATH, Simulator

__all__ = [
    "API_PATH",
    "DEFAULT_TOKENS",
    "LAST_PAGE_CURSORS",
    "ROLES",
    "Clock",
    "FaultSettings",
    "LedgerEntry",
    "ManualClock",
    "Simulator",
    "SimulatorConfig",
    "SystemClock",
    "TokenSpec",
]
