"""The invoice button starts a real run of the create-invoice deployment through Prefect."""

from __future__ import annotations

import uuid
from typing import cast

from prefect.blocks.system import Secret
from prefect.client.orchestration import get_client
from prefect.deployments.runner import RunnerDeployment
from starlette.testclient import TestClient

from deployments.invoice_button import DEPLOYMENT, TOKEN_BLOCK_PREFIX, create_invoice_button_app
from flows.invoice import create_invoice


def test_a_click_creates_one_flow_run_of_the_deployment_per_idempotency_key() -> None:
    runner = cast(RunnerDeployment, create_invoice.to_deployment(name="create-invoice"))
    runner.apply()
    connection = f"button-{uuid.uuid4().hex[:8]}"
    Secret(value="tok-123").save(TOKEN_BLOCK_PREFIX + connection)
    button = TestClient(create_invoice_button_app())
    headers = {"Authorization": "Bearer tok-123", "Idempotency-Key": "click-1"}

    first = button.post(f"/invoices/{connection}/12", headers=headers, json={"finalize": True})
    again = button.post(f"/invoices/{connection}/12", headers=headers, json={"finalize": True})
    refused = button.post(f"/invoices/{connection}/12", headers={"Authorization": "Bearer no"})

    assert (first.status_code, again.status_code, refused.status_code) == (202, 202, 401)
    assert first.json()["flowRunId"] == again.json()["flowRunId"]
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(uuid.UUID(first.json()["flowRunId"]))
        deployment = client.read_deployment_by_name(DEPLOYMENT)
    assert run.deployment_id == deployment.id
    assert run.parameters == {
        "work_report_id": 12,
        "connection": connection,
        "finalize": True,
        "layout": None,
    }
