"""Two jobs of one company started together (issue 18 item 4): the second waits, both finish.

The full sync of a company is held in the middle of its run (a test transaction keeps every
table of its database locked against writes, on PostgreSQL, where reads go on), so it holds
the company's write lock for as long as the test needs; an invoice of the same company is
started then. It announces at once that it waits, sends nothing to lexoffice while the sync
runs, and invoices once the sync is done. (A webhook batch beside a full sync:
`test_full_sync_under_webhooks.py`; one job against a held slot: `test_run_frame.py`.)

PostgreSQL only: on SQLite every transaction takes the database's one write lock when it
begins (`BEGIN IMMEDIATE`), so a held write lock would stop the sync before it takes the
company's lock, and there would be nothing to wait for.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from prefect.client.orchestration import get_client
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import Base, WorkReportStatus
from connectors.fieldservice.urls import with_driver
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.full_sync import full_sync
from flows.invoice import create_invoice
from tasks.company_lock import ensure_limit, limit_name
from tasks.connection import LexsyncConnection
from tests.flows.conftest import connection_name, lexoffice_records, requests_log
from tests.flows.test_run_frame import wait_for_log
from tests.support.builders import add_customer
from tests.support.sandbox import wait_until
from tests.tasks.invoicing.invoicing_builders import seed_linked_work_report

pytestmark = pytest.mark.postgres
NEW_CUSTOMERS = 3


@contextmanager
def writes_held(database_url: str) -> Iterator[Callable[[], None]]:
    """Every table locked against writes (reads go on) until the returned release() is called."""
    engine = sa.create_engine(with_driver(database_url))
    connection = engine.connect()
    transaction = connection.begin()
    tables = ", ".join(f'"{name}"' for name in Base.metadata.tables)
    connection.exec_driver_sql(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
    try:
        yield transaction.rollback
    finally:
        if transaction.is_active:
            transaction.rollback()
        connection.close()
        engine.dispose()


def in_thread(job: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """`job` started in its own thread (its own flow run); the dict gets its final state."""
    outcome: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("state", job()), daemon=True)
    thread.start()
    return thread, outcome


def slots_taken(limit: str) -> int:
    with get_client(sync_client=True) as client:
        return client.read_global_concurrency_limit_by_name(limit).active_slots


@pytest.mark.parametrize("system_url", ["postgresql"], indirect=True)
def test_an_invoice_started_during_the_full_sync_waits_for_it_and_both_complete(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    system_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    name = connection_name(connection_block)
    limit = limit_name(name)
    ensure_limit(limit)
    seeded = seed_linked_work_report(sessions, sandbox.control)
    for n in range(NEW_CUSTOMERS):  # the sync exports these
        add_customer(sessions, last_name=f"Neu {n}")
    caplog.set_level(logging.WARNING)

    with writes_held(system_url) as release:
        sync, synced = in_thread(lambda: full_sync(connection=name, return_state=True))
        wait_until(lambda: slots_taken(limit) == 1, timeout=120)  # the sync holds the lock
        invoice, invoiced = in_thread(
            lambda: create_invoice(seeded.work_report_id, name, return_state=True)
        )
        note = wait_for_log(caplog, "Wartet auf den laufenden Auftrag")
        assert name in note
        assert sync.is_alive() and invoice.is_alive()
        release()
    sync.join(timeout=300)
    invoice.join(timeout=300)

    assert synced["state"].is_completed(), synced["state"]
    assert invoiced["state"].is_completed(), invoiced["state"]
    log = requests_log(sandbox)
    invoice_posts = [i for i, r in enumerate(log) if r["path"] == "/v1/invoices"]
    sync_writes = [i for i, r in enumerate(log) if r["method"] in ("POST", "PUT")]
    sync_writes = [i for i in sync_writes if i not in invoice_posts]
    assert len(invoice_posts) == 1 and sync_writes  # each job wrote to lexoffice
    assert max(sync_writes) < invoice_posts[0]  # the invoice wrote after the sync, not beside
    names = [c.get("person", {}).get("lastName") for c in lexoffice_records(sandbox, "contacts")]
    assert sorted(n for n in names if n and n.startswith("Neu")) == [
        f"Neu {n}" for n in range(NEW_CUSTOMERS)
    ]  # exported once each
    with sessions.begin() as session:
        report = queries.get_work_report(session, seeded.work_report_id)
        assert report is not None and report.status == WorkReportStatus.INVOICED
    assert slots_taken(limit) == 0
