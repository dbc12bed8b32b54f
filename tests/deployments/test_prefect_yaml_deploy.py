"""prefect.yaml deploys to a real Prefect server; a worker runs the full sync and an invoice.

One server start for everything (it is the slow part): the system database on PostgreSQL
with the demo business, the full-sync deployment first (it links customers and articles),
then the create-invoice deployment for a completed work report, both through the API.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from connectors.fieldservice import queries
from connectors.fieldservice.db import make_engine, migrate, session_factory
from connectors.fieldservice.demo import seed_demo
from connectors.fieldservice.models import (
    Customer,
    CustomerKind,
    SyncEntity,
    WorkReport,
    WorkReportStatus,
)
from connectors.lexoffice.sandbox.config import SandboxConfig
from connectors.lexoffice.sandbox.server import SandboxServer
from tests.support.databases import ThrowawayDatabases
from tests.support.prefect_server import (
    PREFECT,
    awaited,
    deployments,
    run_cli,
    start,
    stop,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def database_url(postgres_databases: ThrowawayDatabases) -> Iterator[str]:
    """A PostgreSQL system database with the demo business and one more customer."""
    url = postgres_databases.create()
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        seed_demo(session)
        session.add(Customer(kind=CustomerKind.PERSON, last_name="Deployt", billing_city="Ulm"))
    engine.dispose()
    yield url
    postgres_databases.drop(url)


def first_completed_work_report(url: str) -> int:
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        statement = sa.select(sa.func.min(WorkReport.id)).where(
            WorkReport.status == WorkReportStatus.COMPLETED
        )
        work_report_id = session.scalar(statement)
    engine.dispose()
    assert work_report_id is not None
    return int(work_report_id)


def test_full_sync_and_invoice_deployments_run_on_a_worker(
    prefect_server: str, prefect_env: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    work_report_id = first_completed_work_report(database_url)
    with SandboxServer(SandboxConfig(rps=50.0, burst=50)) as sandbox:
        env = prefect_env | {
            "LEXOFFICE_API_KEY": sandbox.api_key,
            "LEXOFFICE_BASE_URL": sandbox.base_url,
            "LEXOFFICE_RATE_PER_SECOND": "40",
            "LEXSYNC_DATABASE_URL": database_url,
        }
        run_cli(["work-pool", "create", "lexsync", "--type", "process"], env)
        run_cli(["--no-prompt", "deploy", "--all"], env)
        first = {(d.name, d.id) for d in deployments(prefect_server)}
        run_cli(["--no-prompt", "deploy", "--all"], env)
        assert {(d.name, d.id) for d in deployments(prefect_server)} == first  # idempotent
        log = tmp_path / "w.log"
        worker = start([PREFECT, "worker", "start", "--pool", "lexsync"], env, log)
        try:
            awaited(prefect_server, "full-sync/full-sync", log)
            awaited(
                prefect_server, "create-invoice/create-invoice", log, work_report_id=work_report_id
            )
        finally:
            stop(worker)
        contacts = lexoffice_list(sandbox, "contacts")
        invoice_ids = [v["id"] for v in lexoffice_list(sandbox, "voucherlist", invoice=True)]
        invoice = sandbox.control.get(f"/invoices/{invoice_ids[0]}").json()
    check_synced(database_url, contacts)
    check_invoiced(database_url, work_report_id, invoice_ids, invoice)
    names = {name for name, _ in first}
    assert {"full-sync", "master-data-sync", "document-import", "create-invoice"} <= names


def lexoffice_list(sandbox: SandboxServer, resource: str, invoice: bool = False) -> list[Any]:
    params: dict[str, Any] = {"size": 250}
    if invoice:
        params |= {"voucherType": "invoice", "voucherStatus": "any"}
    with sandbox.client() as api:
        body = api.get(f"/v1/{resource}", params=params).json()
    assert body.get("last", True), "more than one page"
    return list(body["content"])


def check_synced(database_url: str, contacts: list[Any]) -> None:
    """Every customer the full sync exported is linked, Deployt among them."""
    assert "Deployt" in {(c.get("person") or {}).get("lastName") for c in contacts}
    engine = make_engine(database_url)
    with session_factory(engine).begin() as session:
        links = queries.link_rows(session, SyncEntity.CUSTOMER)
        assert {str(link["lexoffice_id"]) for link in links} == {c["id"] for c in contacts}
        assert queries.link_rows(session, SyncEntity.ACTIVITY)
    engine.dispose()


def check_invoiced(
    database_url: str, work_report_id: int, invoice_ids: list[str], invoice: dict[str, Any]
) -> None:
    """One draft invoice in lexoffice, for the work report's customer, recorded in the system."""
    assert len(invoice_ids) == 1 and invoice["voucherStatus"] == "draft"
    engine = make_engine(database_url)
    with session_factory(engine).begin() as session:
        report = queries.get_work_report(session, work_report_id)
        assert report is not None and report.status == WorkReportStatus.INVOICED
        assert str(report.lexoffice_invoice_id) == invoice_ids[0]
        link = queries.get_link(session, SyncEntity.CUSTOMER, report.customer_id)
        assert link is not None and invoice["address"]["contactId"] == str(link.lexoffice_id)
    engine.dispose()
