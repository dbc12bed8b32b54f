"""The invoice button endpoint: only a connection's token starts a run, with checked options."""

from __future__ import annotations

from typing import Any

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings
from starlette.testclient import TestClient

from deployments.invoice_button import (
    DEPLOYMENT,
    PrefectNotConfiguredError,
    StartedRun,
    create_invoice_button_app,
    start_with_prefect,
)

TOKENS = {"default": "s3cret-default", "werkstatt": "s3cret-werkstatt"}


class RecordingStarter:
    """Stands in for Prefect: records what would be started."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], str]] = []

    def __call__(self, deployment: str, parameters: dict[str, Any], key: str) -> StartedRun:
        self.calls.append((deployment, parameters, key))
        return StartedRun(flow_run_id=f"run-{len(self.calls)}", state="Scheduled")


@pytest.fixture
def starter() -> RecordingStarter:
    return RecordingStarter()


@pytest.fixture
def button(starter: RecordingStarter) -> TestClient:
    return TestClient(create_invoice_button_app(tokens=TOKENS.get, start=starter))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_click_with_the_connections_token_starts_the_invoice_deployment(
    button: TestClient, starter: RecordingStarter
) -> None:
    response = button.post(
        "/invoices/werkstatt/12",
        headers=_bearer("s3cret-werkstatt"),
        json={"finalize": True, "layout": "grouped"},
    )
    assert response.status_code == 202
    assert response.json() == {
        "flowRunId": "run-1",
        "state": "Scheduled",
        "workReportId": 12,
        "connection": "werkstatt",
    }
    deployment, parameters, _ = starter.calls[0]
    assert deployment == DEPLOYMENT
    assert parameters == {
        "work_report_id": 12,
        "connection": "werkstatt",
        "finalize": True,
        "layout": "grouped",
    }


def test_a_click_without_body_starts_a_draft_in_the_default_layout(
    button: TestClient, starter: RecordingStarter
) -> None:
    assert button.post("/invoices/default/3", headers=_bearer("s3cret-default")).status_code == 202
    assert starter.calls[0][1] == {
        "work_report_id": 3,
        "connection": "default",
        "finalize": False,
        "layout": None,
    }


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Basic s3cret-default"},
        _bearer("s3cret-werkstatt"),  # another connection's token
    ],
)
def test_a_click_without_the_right_token_is_refused_and_starts_nothing(
    button: TestClient, starter: RecordingStarter, headers: dict[str, str]
) -> None:
    response = button.post("/invoices/default/3", headers=headers)
    assert response.status_code == 401
    assert starter.calls == []


def test_an_unknown_connection_looks_like_a_wrong_token(
    button: TestClient, starter: RecordingStarter
) -> None:
    response = button.post("/invoices/elsewhere/3", headers=_bearer("s3cret-default"))
    assert response.status_code == 401 and starter.calls == []


def test_a_bad_option_is_refused_before_anything_starts(
    button: TestClient, starter: RecordingStarter
) -> None:
    response = button.post(
        "/invoices/default/3", headers=_bearer("s3cret-default"), json={"layout": "fancy"}
    )
    assert response.status_code == 422 and starter.calls == []
    assert (
        button.post("/invoices/default/abc", headers=_bearer("s3cret-default")).status_code == 404
    )


def test_a_double_click_gives_the_same_idempotency_key_and_the_apps_key_wins(
    button: TestClient, starter: RecordingStarter
) -> None:
    headers = _bearer("s3cret-default")
    button.post("/invoices/default/3", headers=headers)
    button.post("/invoices/default/3", headers=headers)
    button.post("/invoices/default/3", headers=headers | {"Idempotency-Key": "click-77"})
    keys = [key for _, _, key in starter.calls]
    assert keys[0] == keys[1]
    assert keys[2] == "invoice-button:default:click-77"


def test_without_a_prefect_api_the_button_answers_503() -> None:
    app = create_invoice_button_app(tokens=TOKENS.get, start=start_with_prefect)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        response = TestClient(app).post("/invoices/default/3", headers=_bearer("s3cret-default"))
    assert response.status_code == 503
    assert "PREFECT_API_URL" in response.json()["error"]
    with (
        temporary_settings(restore_defaults={PREFECT_API_URL}),
        pytest.raises(PrefectNotConfiguredError),
    ):
        start_with_prefect(DEPLOYMENT, {}, "k")
