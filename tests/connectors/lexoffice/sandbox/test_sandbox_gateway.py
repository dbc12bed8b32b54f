"""The gateway rules: bearer auth, 415, the per-key token bucket, 404/405, request log."""

from __future__ import annotations

import httpx

from connectors.lexoffice.sandbox import SandboxConfig, SandboxServer
from tests.support.sandbox import company, wait_until


def test_missing_or_unknown_key_is_401_with_lexoffice_body(sandbox: SandboxServer) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": sandbox.api_key}):
        response = httpx.get(f"{sandbox.base_url}/v1/profile", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"message": "Unauthorized"}


def test_profile_describes_the_organization_of_the_key(api: httpx.Client) -> None:
    profile = api.get("/v1/profile").json()
    assert {"organizationId", "companyName", "created", "connectionId"} <= profile.keys()
    assert profile["taxType"] == "net"
    assert profile["smallBusiness"] is False
    assert "INVOICING" in profile["businessFeatures"]


def test_post_and_put_without_json_content_type_are_415(api: httpx.Client) -> None:
    assert api.post("/v1/contacts", content=b"{}").status_code == 415
    headers = {"Content-Type": "text/plain"}
    assert api.post("/v1/articles", content=b"{}", headers=headers).status_code == 415
    assert api.put("/v1/contacts/x", content=b"{}").status_code == 415
    assert api.get("/v1/contacts").json()["content"] == []


def test_unknown_path_is_404_and_wrong_method_405_in_regular_format(api: httpx.Client) -> None:
    missing = api.get("/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["status"] == 404
    for response in (api.get("/v1/invoices"), api.delete("/v1/contacts/any-id")):
        assert response.status_code == 405
        assert response.json()["error"] == "Method Not Allowed"


def test_empty_bucket_answers_429_and_does_not_perform_the_call() -> None:
    with SandboxServer(SandboxConfig(rps=2.0, burst=2)) as sandbox, sandbox.client() as api:
        statuses: dict[str, int] = {}
        # A full bucket lets the first two through; sending on empties it (a slow machine
        # may see a token come back in between, so the count of 201s before a 429 may vary).
        for n in range(20):
            name = f"Firma {n}"
            statuses[name] = api.post("/v1/contacts", json=company(name)).status_code
            if statuses[name] == 429:
                break
        assert list(statuses.values())[:2] == [201, 201]
        assert list(statuses.values())[-1] == 429
        assert set(statuses.values()) == {201, 429}
        posts = [r for r in sandbox.control.get("/requests").json() if r["method"] == "POST"]
        assert [r["status"] for r in posts] == list(statuses.values())  # 429s are logged too
        # Wait for a token to come back (a refused GET spends none), then list.
        listed = wait_until(lambda: (r := api.get("/v1/contacts")).status_code == 200 and r)
        created = [name for name, status in statuses.items() if status == 201]
        assert sorted(c["company"]["name"] for c in listed.json()["content"]) == sorted(created)


def test_bucket_is_per_api_key_and_control_api_is_not_limited() -> None:
    with SandboxServer(SandboxConfig(rps=1.0, burst=1)) as sandbox:
        second = sandbox.control.post("/organizations", json={"companyName": "Zweite"}).json()
        for key in (sandbox.api_key, second["apiKey"]):
            with sandbox.client(api_key=key) as api:
                assert api.get("/v1/profile").status_code == 200
                assert api.get("/v1/profile").status_code == 429
        assert all(sandbox.control.get("/requests").status_code == 200 for _ in range(5))


def test_organizations_are_isolated_by_key(sandbox: SandboxServer, api: httpx.Client) -> None:
    other = sandbox.control.post("/organizations", json={"companyName": "Andere AG"}).json()
    api.post("/v1/contacts", json=company("Nur Erste")).raise_for_status()
    with sandbox.client(api_key=other["apiKey"]) as other_api:
        assert other_api.get("/v1/contacts").json()["content"] == []
        assert other_api.get("/v1/profile").json()["companyName"] == "Andere AG"


def test_request_log_records_calls_without_the_key(sandbox: SandboxServer) -> None:
    with sandbox.client() as api:
        api.get("/v1/contacts", params={"name": "Muster"})
    httpx.get(f"{sandbox.base_url}/v1/profile")
    log = sandbox.control.get("/requests").json()
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("GET", "/v1/contacts", 200),
        ("GET", "/v1/profile", 401),
    ]
    assert log[0]["query"] == "name=Muster"
    assert isinstance(log[0]["time"], float)
    assert log[0]["organizationId"] and log[1]["organizationId"] is None
    assert sandbox.api_key not in str(log)
    assert sandbox.control.delete("/requests").status_code == 204
    assert sandbox.control.get("/requests").json() == []
