"""Fixtures for the simulator tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from simtest_support import make_config

from simulator import Simulator


@pytest.fixture(scope="module")
def shared_sim() -> Iterator[Simulator]:
    """One read-only simulator per test module (tests must not change its state)."""
    with Simulator(make_config()) as sim:
        yield sim


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """A fresh simulator a test may change."""
    with Simulator(make_config()) as simulator:
        yield simulator
