"""Rate limits per token and endpoint, on a manual clock."""

from __future__ import annotations

from simtest_support import get, make_config

from simulator import ManualClock, Simulator


def _statuses(sim: Simulator, endpoint: str, count: int, token: str = "demo-token") -> list[int]:
    return [get(sim, endpoint, token=token, limit=1).status_code for _ in range(count)]


def test_activities_allow_a_burst_of_30_then_429_with_retry_after() -> None:
    # Given rate limits on and a clock that does not move
    clock = ManualClock(make_config().anchor)
    with Simulator(make_config(clock=clock, rate_limits=True, activities=100)) as sim:
        # When sending 31 activity requests at once
        statuses = _statuses(sim, "activities", 31)
        # Then the burst of 30 passes and the next is refused
        assert statuses == [200] * 30 + [429]
        response = get(sim, "activities")
        assert response.status_code == 429
        error = response.json()["errors"][0]
        assert error["code"] == 4290010
        assert set(error) == {"code", "detail", "title"}
        assert response.headers["Retry-After"] == "1"
        # And other endpoints and tokens have their own buckets
        assert get(sim, "agents").status_code == 200
        assert get(sim, "activities", token="expiring-token").status_code == 200
        # When a tenth of a second passes, one more request is allowed (10 per second)
        clock.advance(0.1)
        assert _statuses(sim, "activities", 2) == [200, 429]
        # When three seconds pass, the burst is back
        clock.advance(3)
        assert _statuses(sim, "activities", 31) == [200] * 30 + [429]


def test_threat_burst_is_50_and_agents_25() -> None:
    # Given rate limits on
    clock = ManualClock(make_config().anchor)
    with Simulator(make_config(clock=clock, rate_limits=True, activities=10)) as sim:
        # When exhausting the threats and agents buckets
        # Then their bursts are 50 and 25
        assert _statuses(sim, "threats", 51) == [200] * 50 + [429]
        assert _statuses(sim, "agents", 26) == [200] * 25 + [429]


def test_retry_after_can_be_left_out_and_limits_scaled() -> None:
    # Given no Retry-After and limits scaled to a tenth
    clock = ManualClock(make_config().anchor)
    config = make_config(clock=clock, rate_limits=True, retry_after=False, rate_limit_scale=0.1,
                         activities=10)
    with Simulator(config) as sim:
        # When exceeding the (scaled) burst of 3
        statuses = _statuses(sim, "activities", 4)
        response = get(sim, "activities")
        # Then 429 comes without Retry-After
        assert statuses == [200, 200, 200, 429]
        assert response.status_code == 429
        assert "Retry-After" not in response.headers


def test_rate_limits_can_be_turned_off() -> None:
    # Given rate limits off
    with Simulator(make_config(activities=10)) as sim:
        # When sending many requests at once
        # Then none is refused
        assert set(_statuses(sim, "activities", 60)) == {200}
