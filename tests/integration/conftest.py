"""Fixtures for tests that run real worker and beat processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.helpers import Service


@pytest.fixture
def services() -> Iterator[list[Service]]:
    """Services a test starts; stopped (and their process groups killed) afterwards."""
    started: list[Service] = []
    yield started
    for service in reversed(started):
        service.stop()
