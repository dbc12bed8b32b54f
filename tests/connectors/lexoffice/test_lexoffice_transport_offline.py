"""Retry decisions that need network failures a sandbox cannot produce (httpx.MockTransport)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from connectors.lexoffice.errors import (
    ConnectionFailedError,
    CredentialsError,
    NotFoundError,
    OutcomeUnknownError,
)
from connectors.lexoffice.pacing import FileSlotStore, Pacer, SlotPlan
from connectors.lexoffice.settings import LexofficeSettings
from connectors.lexoffice.transport import Transport

KEY = "test-key-9f8e7d6c5b4a"
Handler = Callable[[httpx.Request], httpx.Response]


class Script:
    """Answers requests in order; an exception class in the script is raised instead."""

    def __init__(self, *steps: int | type[httpx.TransportError]) -> None:
        self.steps = list(steps)
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        step = self.steps.pop(0)
        if isinstance(step, int):
            return httpx.Response(step, json={"id": "x"} if step < 300 else {"message": None})
        raise step("simulated", request=request)


def transport_for(handler: Handler, tmp_path: Path, sleeps: list[float]) -> Transport:
    settings = LexofficeSettings(
        api_key=SecretStr(KEY), base_url="https://lexoffice.test", pacing_dir=tmp_path,
        max_attempts=4, backoff_base_seconds=1.0, backoff_cap_seconds=3.0,
    )  # fmt: skip
    pacer = Pacer(FileSlotStore(tmp_path), "k", SlotPlan(1000.0, 0.0))
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return Transport(settings, http, pacer, sleep=sleeps.append)


def test_sends_bearer_auth_accept_and_json_content_type(tmp_path: Path) -> None:
    script = Script(201)
    transport_for(script, tmp_path, []).request("POST", "/v1/contacts", body={"a": 1})
    [request] = script.seen
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {"a": 1}


def test_get_has_no_content_type(tmp_path: Path) -> None:
    script = Script(200)
    transport_for(script, tmp_path, []).request("GET", "/v1/profile")
    assert "content-type" not in script.seen[0].headers


def test_post_is_retried_when_the_connection_was_never_made(tmp_path: Path) -> None:
    script = Script(httpx.ConnectError, httpx.ConnectTimeout, 201)
    transport_for(script, tmp_path, []).request("POST", "/v1/invoices", body={})
    assert len(script.seen) == 3


@pytest.mark.parametrize("failure", [httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError])
def test_post_that_may_have_arrived_is_outcome_unknown(
    tmp_path: Path, failure: type[httpx.TransportError]
) -> None:
    script = Script(failure)
    with pytest.raises(OutcomeUnknownError) as caught:
        transport_for(script, tmp_path, []).request("POST", "/v1/invoices", body={"x": 1})
    assert caught.value.sent_body == {"x": 1} and caught.value.status is None
    assert len(script.seen) == 1


def test_post_502_is_outcome_unknown(tmp_path: Path) -> None:
    script = Script(502)
    with pytest.raises(OutcomeUnknownError):
        transport_for(script, tmp_path, []).request("POST", "/v1/invoices", body={})
    assert len(script.seen) == 1


def test_get_is_retried_after_a_read_timeout(tmp_path: Path) -> None:
    script = Script(httpx.ReadTimeout, 200)
    transport_for(script, tmp_path, []).request("GET", "/v1/profile")
    assert len(script.seen) == 2


def test_delete_repeated_after_an_unknown_outcome_treats_404_as_done(tmp_path: Path) -> None:
    script = Script(httpx.ReadTimeout, 404)
    response = transport_for(script, tmp_path, []).request("DELETE", "/v1/articles/a")
    assert response.status_code == 404 and len(script.seen) == 2


def test_a_first_delete_404_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        transport_for(Script(404), tmp_path, []).request("DELETE", "/v1/articles/a")


def test_network_failures_that_last_raise_connection_failed(tmp_path: Path) -> None:
    script = Script(*[httpx.ConnectError] * 4)
    with pytest.raises(ConnectionFailedError):
        transport_for(script, tmp_path, []).request("GET", "/v1/profile")
    assert len(script.seen) == 4


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap(tmp_path: Path) -> None:
    sleeps: list[float] = []
    with pytest.raises(ConnectionFailedError):
        transport_for(Script(*[httpx.ConnectError] * 4), tmp_path, sleeps).request("GET", "/v")
    assert len(sleeps) == 3
    for delay, ceiling in zip(sleeps, [1.0, 2.0, 3.0], strict=True):
        assert ceiling / 2 <= delay <= ceiling


def test_a_key_echoed_by_the_server_is_redacted(tmp_path: Path) -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            403, json={"message": f"bad header {request.headers['authorization']}"}
        )

    with pytest.raises(CredentialsError) as caught:
        transport_for(echo, tmp_path, []).request("GET", "/v1/profile")
    assert KEY not in str(caught.value) and KEY not in caught.value.body_text
    assert "[redacted]" in str(caught.value)
