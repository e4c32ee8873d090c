"""Authentication, roles, token expiry and revocation, introspection and system endpoints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from simtest_support import auth, get, make_config

from simulator import ManualClock, Simulator, TokenSpec

SAMPLES = Path(__file__).parent / "samples"


def _sample(name: str) -> object:
    return json.loads((SAMPLES / name).read_text())


@pytest.mark.parametrize(
    "header",
    [None, "ApiToken nope", "ApiToken expired-token", "Bearer demo-token", "ApiToken", ""],
)
def test_bad_missing_or_expired_token_is_401(shared_sim: Simulator, header: str | None) -> None:
    # When calling with a bad, missing or expired token
    headers = {} if header is None else {"Authorization": header}
    response = requests.get(f"{shared_sim.api_url}/activities", headers=headers, timeout=10)
    # Then the answer is the console's 401 body
    assert response.status_code == 401
    assert response.json() == _sample("401_auth_failed.json")


@pytest.mark.parametrize("scheme", ["ApiToken", "apitoken", "APITOKEN", "apiToken"])
def test_scheme_is_case_insensitive(shared_sim: Simulator, scheme: str) -> None:
    # When the scheme is spelled in any case
    response = requests.get(f"{shared_sim.api_url}/system/info",
                            headers={"Authorization": f"{scheme} demo-token"}, timeout=10)
    # Then the token is accepted
    assert response.status_code == 200
    assert "version" in response.json()["data"]


def test_role_without_threats_gets_403_on_threats_only(shared_sim: Simulator) -> None:
    # When the no-threats token reads each list endpoint
    threats = get(shared_sim, "threats", token="no-threats-token")
    # Then threats are forbidden with the console's 403 body, the rest allowed
    assert threats.status_code == 403
    assert threats.json() == _sample("403_insufficient_permissions.json")
    assert get(shared_sim, "activities", token="no-threats-token").status_code == 200
    assert get(shared_sim, "agents", token="no-threats-token").status_code == 200


def test_system_status_needs_no_token_and_system_info_does(shared_sim: Simulator) -> None:
    # When calling the health endpoint without a token
    status = requests.get(f"{shared_sim.api_url}/system/status", timeout=10)
    # Then it is healthy
    assert status.status_code == 200
    assert status.json() == {"data": {"health": "ok"}}
    # And system/info needs a token
    assert requests.get(f"{shared_sim.api_url}/system/info", timeout=10).status_code == 401


def test_activity_types_catalogue(shared_sim: Simulator) -> None:
    # When listing activity types
    body = get(shared_sim, "activities/types").json()
    # Then each has an id, action and description template, without pagination
    assert "pagination" not in body
    ids = {t["id"] for t in body["data"]}
    assert {27, 52, 53, 5040} <= ids
    assert all(set(t) == {"id", "action", "descriptionTemplate"} for t in body["data"])


def _details(sim: Simulator, token: str, caller: str = "demo-token") -> requests.Response:
    return requests.post(f"{sim.api_url}/users/api-token-details", headers=auth(caller),
                         json={"data": {"apiToken": token}}, timeout=10)


def test_api_token_details_give_creation_and_expiry(shared_sim: Simulator) -> None:
    # When introspecting the demo and the expiring token
    demo = _details(shared_sim, "demo-token").json()["data"]
    expiring = _details(shared_sim, "expiring-token").json()["data"]
    # Then expiry is 90 and 3 days after the start
    assert demo == {"createdAt": "2024-04-01T12:00:00.000000Z",
                    "expiresAt": "2024-07-30T12:00:00.000000Z"}
    assert expiring["expiresAt"] == "2024-05-04T12:00:00.000000Z"


def test_api_token_details_fail_for_tokens_without_expiry(shared_sim: Simulator) -> None:
    # When introspecting a service token, an unknown token or sending no token in the body
    service = _details(shared_sim, "service-token", caller="service-token")
    unknown = _details(shared_sim, "who-knows")
    empty = requests.post(f"{shared_sim.api_url}/users/api-token-details", headers=auth(),
                          json={"data": {}}, timeout=10)
    # Then each fails in the error envelope (a peer must read this as "expiry unknown")
    assert service.status_code == 403
    assert unknown.status_code == 400
    assert empty.status_code == 400
    for response in (service, unknown, empty):
        assert "errors" in response.json()
    # And the service token itself is valid for the API
    assert get(shared_sim, "activities", token="service-token").status_code == 200


def test_expiring_token_stops_working_when_it_expires() -> None:
    # Given the expiring token, valid for three days
    clock = ManualClock(make_config().anchor)
    with Simulator(make_config(clock=clock, activities=10)) as sim:
        assert get(sim, "agents", token="expiring-token").status_code == 200
        # When three days pass
        clock.advance(3 * 86400)
        # Then it is rejected as expired
        assert get(sim, "agents", token="expiring-token").status_code == 401


def test_revoked_token_is_401_from_then_on(sim: Simulator) -> None:
    # Given a working token
    assert get(sim, "activities").status_code == 200
    # When it is revoked through the Python API
    sim.revoke_token("demo-token")
    # Then it gets 401
    assert get(sim, "activities").status_code == 401
    # When another is revoked through the admin endpoint
    response = requests.post(f"{sim.url}/_admin/tokens/expiring-token/revoke", timeout=10)
    assert response.status_code == 200
    assert get(sim, "activities", token="expiring-token").status_code == 401
    # And revoking an unknown token is a 404 of the admin API
    assert requests.post(f"{sim.url}/_admin/tokens/nope/revoke", timeout=10).status_code == 404


def test_added_tokens_have_their_role() -> None:
    # Given a configuration with an extra token without agents permission and no expiry info
    tokens = (TokenSpec.parse("ops:no-agents:none"), TokenSpec.parse("old:admin:-2"))
    with Simulator(make_config(activities=10, tokens=tokens)) as sim:
        # When using them
        # Then the role and expiry apply, and the default tokens are gone
        assert get(sim, "agents", token="ops").status_code == 403
        assert get(sim, "threats", token="ops").status_code == 200
        assert get(sim, "threats", token="old").status_code == 401
        assert get(sim, "threats").status_code == 401
        # When a token is added at runtime, then it works with its role
        sim.add_token(TokenSpec("late", "no-activities"))
        assert get(sim, "activities", token="late").status_code == 403
        assert get(sim, "agents", token="late").status_code == 200


def test_unknown_path_and_wrong_method(shared_sim: Simulator) -> None:
    # When calling an unknown endpoint or with the wrong method
    missing = get(shared_sim, "nothing/here")
    wrong = requests.post(f"{shared_sim.api_url}/activities", headers=auth(), timeout=10)
    # Then the answers are 404 and 405 in the error envelope
    assert missing.status_code == 404
    assert wrong.status_code == 405
    assert missing.json()["errors"][0]["code"] == 4040010
