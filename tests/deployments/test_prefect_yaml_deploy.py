"""prefect.yaml deploys to a real Prefect server; a worker runs the full sync and an invoice.

One server start for everything (it is the slow part): the system database on PostgreSQL
with the demo business, the full-sync deployment first (it links customers and articles),
then the create-invoice deployment for a completed work report, both through the API.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import sqlalchemy as sa
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings

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

PROJECT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).with_name("prefect"))
pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def prefect_env(tmp_path: Path) -> dict[str, str]:
    """Environment of a separate Prefect installation: its own home, server URL and worker pace."""
    port = free_port()
    return os.environ | {
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_WORKER_HEARTBEAT_SECONDS": "5",
        "PREFECT_LOGGING_LEVEL": "INFO",
    }


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(command, env=env, cwd=PROJECT, stdout=handle, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def prefect_server(prefect_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    url = prefect_env["PREFECT_API_URL"]
    port = prefect_env["PREFECT_SERVER_API_PORT"]
    server = start(
        [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", port],
        prefect_env,
        tmp_path / "server.log",
    )
    try:
        wait_healthy(url, server, tmp_path / "server.log")
        yield url
    finally:
        stop(server)


def wait_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"prefect server exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("prefect server did not become healthy")


def run_cli(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [PREFECT, *args], env=env, cwd=PROJECT, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


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


def awaited(url: str, name: str, log: Path, **parameters: Any) -> FlowRun:
    """Runs deployment `name` through the API and waits for it; fails with the worker's log."""
    with temporary_settings({PREFECT_API_URL: url}):
        run = cast(FlowRun, run_deployment(name, parameters=parameters, timeout=240))
    assert run.state is not None and run.state.is_completed(), log.read_text()[-4000:]
    return run


def deployments(url: str) -> list[Any]:
    async def read() -> list[Any]:
        async with get_client() as client:
            return list(await client.read_deployments())

    with temporary_settings({PREFECT_API_URL: url}):
        return asyncio.run(read())


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
