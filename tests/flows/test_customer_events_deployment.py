"""The Prefect path: with a Prefect API, a batch becomes a run of the customer-events
deployment (created at once, run by a worker; here no worker picks it up)."""

from __future__ import annotations

import uuid
from typing import cast

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.deployments.runner import RunnerDeployment

from deployments.webhooks.config import DEPLOYMENT
from deployments.webhooks.dispatcher import prefect_starter
from deployments.webhooks.runtime import prefect_api_configured
from deployments.webhooks.store import Batch
from flows.customer_events import sync_contacts


def test_batch_starts_one_deployment_run_even_when_started_twice() -> None:
    deployment = cast(RunnerDeployment, sync_contacts.to_deployment(name="customer-events"))
    deployment_id = deployment.apply()
    batch = Batch(uuid.uuid4().hex, [str(uuid.uuid4())], [str(uuid.uuid4())], event_count=2)
    start = prefect_starter("werkstatt", DEPLOYMENT)

    first, again = start(batch), start(batch)  # e.g. a dispatcher restarted mid-batch

    assert prefect_api_configured()  # the harness's server: the receiver would pick Prefect
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id]))
        )
    assert [run.id for run in runs] == [first.id] == [again.id]  # type: ignore[attr-defined]
    assert runs[0].parameters == {
        "contact_ids": batch.contact_ids,
        "connection": "werkstatt",
        "deleted_ids": batch.deleted_ids,
        "article_ids": [],
        "invoice_ids": [],
        "order_confirmation_ids": [],
        "delivery_note_ids": [],
        "batch_id": batch.batch_id,
    }
