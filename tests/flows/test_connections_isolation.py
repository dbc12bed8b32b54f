"""Two companies on one installation: a sync of one never touches the other's database,
lexoffice account or reports; disabled connections never run; the fan-out starts one run per
active company; two syncs of one company never overlap."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    FlowRunFilter,
    FlowRunFilterParentFlowRunId,
    FlowRunFilterTags,
)
from prefect.concurrency.sync import concurrency
from pydantic import SecretStr

from connectors.fieldservice.db import migrate
from connectors.fieldservice.models import Customer
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.all_connections import connection_tag, sync_all_connections
from flows.full_sync import full_sync
from flows.master_data import sync_master_data
from tasks.company_lock import ensure_limit, limit_name
from tasks.connection import ConnectionDisabledError, LexsyncConnection
from tasks.connection_registry import set_active
from tasks.resources import dispose_engines, system_sessions
from tests.support.builders import add_customer, lex_person


class Company:
    """One company: its own lexoffice organization (API key) and its own SQLite database."""

    def __init__(self, sandbox: SandboxServer, tmp_path: Path, label: str) -> None:
        created = sandbox.control.post("/organizations", json={"companyName": f"{label} GmbH"})
        created.raise_for_status()
        self.sandbox, self.api_key = sandbox, created.json()["apiKey"]
        self.organization_id = created.json()["organizationId"]
        self.database_url = f"sqlite:///{tmp_path / f'{label}.db'}"
        migrate(self.database_url)
        self.sessions = system_sessions(self.database_url)
        self.name = f"{label.lower()}-{uuid.uuid4().hex[:8]}"
        self.block = LexsyncConnection(
            database_url=self.database_url,
            lexoffice_base_url=sandbox.base_url,
            lexoffice_api_key=SecretStr(self.api_key),
            lexoffice_rate_per_second=90.0,
        )
        self.block.save(self.name)

    def control(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"X-Sandbox-Api-Key": self.api_key}
        response = self.sandbox.control.request(method, path, headers=headers, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def requests(self) -> list[dict[str, Any]]:
        """The API requests this company's lexoffice account received."""
        log = self.control("GET", "/requests")
        return [entry for entry in log if entry["organizationId"] == self.organization_id]

    def contacts(self) -> list[dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"}
        url = f"{self.sandbox.base_url}/v1/contacts"
        body = httpx.get(url, params={"size": 250}, headers=headers).json()
        return list(body["content"])

    def customer_names(self) -> set[str]:
        with self.sessions.begin() as session:
            return set(session.scalars(sa.select(Customer.last_name)))

    def table_counts(self) -> dict[str, int]:
        engine = sa.create_engine(self.database_url)
        with engine.connect() as db:
            tables = sa.inspect(db).get_table_names()
            counts = {t: db.scalar(sa.text(f'SELECT COUNT(*) FROM "{t}"')) or 0 for t in tables}
        engine.dispose()
        return counts


@pytest.fixture
def two_companies(sandbox: SandboxServer, tmp_path: Path) -> Any:
    a, b = Company(sandbox, tmp_path, "Alpha"), Company(sandbox, tmp_path, "Beta")
    for company, label in ((a, "Alpha"), (b, "Beta")):
        add_customer(company.sessions, last_name=f"{label}kunde", billing_city="Ulm")
        company.control("POST", "/seed/contacts", json=[lex_person(f"{label}kontakt")])
    yield a, b
    dispose_engines()


def test_sync_of_one_company_never_touches_the_other(two_companies: Any) -> None:
    a, b = two_companies
    b_before, b_contacts_before = b.table_counts(), b.contacts()
    b.control("DELETE", "/requests")

    state = full_sync(connection=a.name, return_state=True)

    assert state.is_completed()
    assert b.requests() == []  # B's account was never even asked
    assert a.requests()
    assert a.customer_names() == {"Alphakunde", "Alphakontakt"}
    assert {c["person"]["lastName"] for c in a.contacts()} == {"Alphakunde", "Alphakontakt"}
    assert b.table_counts() == b_before  # not one row written in B's database
    assert b.contacts() == b_contacts_before  # nor in B's lexoffice account
    artifacts = artifacts_of(state.state_details.flow_run_id)
    assert artifacts and all(a.name in key for key in artifacts)
    assert not any("Beta" in text for text in artifacts.values())
    assert not any(a.api_key in text for text in artifacts.values())


def test_disabled_connection_refuses_to_run(two_companies: Any) -> None:
    a, _ = two_companies
    set_active(a.name, False)

    with pytest.raises(ConnectionDisabledError, match="ausgeschaltet"):
        sync_master_data(connection=a.name)

    assert a.requests() == []
    assert a.customer_names() == {"Alphakunde"}


def test_fan_out_starts_one_run_per_active_company_and_skips_unfinished(
    two_companies: Any, full_sync_deployment: str
) -> None:
    a, b = two_companies
    set_active(b.name, False)

    first = {s.connection: s for s in sync_all_connections(deployment=full_sync_deployment)}
    again = {s.connection: s for s in sync_all_connections(deployment=full_sync_deployment)}

    assert first[a.name].flow_run_id is not None and b.name not in first
    [run] = runs_tagged(connection_tag(a.name))  # no worker here: the run waits, scheduled
    assert str(run.id) == first[a.name].flow_run_id
    assert run.parameters["connection"] == a.name
    assert again[a.name].flow_run_id is None and "not finished" in again[a.name].note
    assert len(runs_tagged(connection_tag(a.name))) == 1


def test_a_second_sync_of_the_same_company_waits_for_the_first(two_companies: Any) -> None:
    a, _ = two_companies
    name = limit_name(a.name)
    ensure_limit(name)
    finished = threading.Event()

    def second_sync() -> None:
        sync_master_data(connection=a.name)
        finished.set()

    with concurrency(name, occupy=1, strict=True):  # "the first sync" holds the slot
        thread = threading.Thread(target=second_sync, daemon=True)
        thread.start()
        waited = not finished.wait(3.0)
        assert a.requests() == []  # it has not started working
    thread.join(timeout=60)
    assert waited and finished.is_set()
    assert "Alphakontakt" in a.customer_names()


@pytest.fixture
def full_sync_deployment() -> str:
    """full-sync registered as a deployment (no worker picks its runs up in this test)."""
    name = f"full-sync-{uuid.uuid4().hex[:8]}"
    with get_client(sync_client=True) as client:
        flow_id = client.create_flow_from_name("full-sync")
        client.create_deployment(flow_id=flow_id, name=name, entrypoint="flows/full_sync.py")
    return f"full-sync/{name}"


def runs_tagged(tag: str) -> list[Any]:
    with get_client(sync_client=True) as client:
        return list(
            client.read_flow_runs(flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[tag])))
        )


def artifacts_of(flow_run_id: uuid.UUID | None) -> dict[str, str]:
    """Every artifact of the run and its subflows, by key."""
    assert flow_run_id is not None
    children = FlowRunFilter(parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[flow_run_id]))
    with get_client(sync_client=True) as client:
        run_ids = [
            flow_run_id,
            *(run.id for run in client.read_flow_runs(flow_run_filter=children)),
        ]
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=run_ids))
        )
    return {artifact.key: str(artifact.data) for artifact in found if artifact.key}
