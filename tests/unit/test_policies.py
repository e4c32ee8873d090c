"""Retry policy, settings, secrets and health events: small pure pieces."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from collector.health import event
from collector.retry import RetryPolicy
from collector.secrets import MASK, Secret, SecretBox
from collector.settings import Settings, SettingsError


def test_backoff_grows_exponentially_within_jitter_and_is_capped() -> None:
    policy = RetryPolicy(base=10, cap=100, window=5400)
    rng = random.Random(1)

    delays = [policy.delay(n, None, rng) for n in range(1, 8)]

    for n, delay in enumerate(delays, start=1):
        ceiling = min(100, 10 * 2 ** (n - 1))
        assert ceiling / 2 <= delay <= ceiling


def test_retry_after_is_honoured_but_capped() -> None:
    policy = RetryPolicy(base=10, cap=100, window=5400)

    assert policy.delay(1, 42.0, random.Random(1)) == 42.0
    assert policy.delay(1, 4000.0, random.Random(1)) == 100


def test_the_retry_window_ends_a_streak_after_90_minutes() -> None:
    policy = RetryPolicy()

    assert not policy.exhausted(streak_started=0, now=5399)
    assert policy.exhausted(streak_started=0, now=5400)


def test_settings_defaults_and_overrides() -> None:
    default = Settings.from_env({})
    custom = Settings.from_env(
        {"COLLECTOR_POLL_INTERVAL": "60", "REDIS_URL": "redis://x:1/0", "COLLECTOR_SINK": "stdout:"}
    )

    assert (default.poll_interval, default.retry_window, default.embedded) == (300, 5400, True)
    assert default.sink_url.endswith("var/events.ndjson")
    assert (custom.poll_interval, custom.embedded, custom.sink_url) == (60, False, "stdout:")


@pytest.mark.parametrize("value", ["abc", "-1", "0"])
def test_bad_settings_are_refused_by_name(value: str) -> None:
    with pytest.raises(SettingsError, match="COLLECTOR_POLL_INTERVAL"):
        Settings.from_env({"COLLECTOR_POLL_INTERVAL": value})


def test_secrets_never_print_and_settings_never_show_the_key() -> None:
    secret = Secret("tok-123")

    assert str(secret) == MASK and "tok-123" not in repr(secret)
    assert "k3y" not in repr(Settings.from_env({"COLLECTOR_SECRET_KEY": "k3y"}))


def test_sealed_secrets_open_only_with_the_same_key(tmp_path: Path) -> None:
    sealed = SecretBox("key-a").seal(Secret("tok-123"))

    assert "tok-123" not in sealed
    assert SecretBox("key-a").open(sealed).reveal() == "tok-123"
    with pytest.raises(ValueError, match="COLLECTOR_SECRET_KEY"):
        SecretBox("key-b").open(sealed)


def test_the_embedded_key_file_is_made_once_and_private(tmp_path: Path) -> None:
    first = SecretBox.from_settings(None, tmp_path).seal(Secret("t"))

    assert SecretBox.from_settings(None, tmp_path).open(first).reveal() == "t"
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0


def test_health_events_have_the_hosted_collectors_shape() -> None:
    record = event("src1", "S1", "ThirdPartyConfigError", "HTTP 401", "Error", now=0)

    assert record["eventType"] == "Health-Change" and record["status"] == "UnHealthy"
    assert record["eventTime"] == "1970-01-01T00:00:00.000Z"
    assert record["resourceIdentity"] == {"id": "src1", "name": "S1", "type": "Source"}
