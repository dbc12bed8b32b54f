"""A draft lexsync created and a user deleted in lexoffice: no list shows it any more, so the
full sync looks for the followed drafts the voucherlist did not show, and a 404 frees the
work report as the missed `invoice.deleted` event would have."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.column_types import utc_now
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.full_sync import full_sync
from tasks.connection import LexsyncConnection
from tests.flows.conftest import connection_name, requests_log
from tests.flows.test_invoice_awaiting_decision import assert_freed
from tests.flows.test_invoice_status import IMPORTING, invoiced, work_report


def invoice_reads(sandbox: SandboxServer) -> list[tuple[str, str, int]]:
    """The invoice reads of the sandbox's log: (path, query, status)."""
    return [
        (entry["path"], entry["query"], entry["status"])
        for entry in requests_log(sandbox, "GET")
        if entry["path"].startswith("/v1/invoices/") or "voucherType=invoice" in entry["query"]
    ]


def days_later(sessions: sessionmaker[Session], connection_block: LexsyncConnection) -> None:
    """The reconcile cursor two days on: the draft was not updated since."""
    with sessions.begin() as session:
        later = utc_now() + dt.timedelta(days=2)
        queries.set_invoice_status_cursor(session, connection_name(connection_block), later)


def test_full_sync_frees_the_work_report_of_a_draft_deleted_in_lexoffice(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    work_report_id, invoice_id = invoiced(connection_block, sessions, sandbox)
    full_sync(connection=connection_name(connection_block))  # follows the draft
    sandbox.control.delete(f"/invoices/{invoice_id}").raise_for_status()  # event missed
    sandbox.control.delete("/requests").raise_for_status()

    report = full_sync(connection=connection_name(connection_block))

    assert_freed(sessions, work_report_id, invoice_id, "deleted")
    [problem] = report.section("invoices", IMPORTING).problems
    assert problem.message.startswith("Der Rechnungsentwurf wurde in lexoffice gelöscht")
    assert "nicht von selbst" in problem.message
    single = [(path, status) for path, _, status in invoice_reads(sandbox) if "invoices" in path]
    assert single == [(f"/v1/invoices/{invoice_id}", 404)]  # one read, the 404

    again = full_sync(connection=connection_name(connection_block))  # freed: not looked for again
    assert again.section("invoices", IMPORTING).problems == []


def test_draft_left_alone_costs_a_list_page_and_no_read_of_its_own(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    work_report_id, invoice_id = invoiced(connection_block, sessions, sandbox)
    full_sync(connection=connection_name(connection_block))
    days_later(sessions, connection_block)
    sandbox.control.delete("/requests").raise_for_status()

    report = full_sync(connection=connection_name(connection_block))

    reads = invoice_reads(sandbox)
    assert [path for path, _, _ in reads] == ["/v1/voucherlist", "/v1/voucherlist"]
    assert "voucherStatus=draft" in reads[1][1]  # since the cursor: nothing; then the drafts
    kept = work_report(sessions, work_report_id)
    assert (kept.status, str(kept.lexoffice_invoice_id)) == ("invoiced", invoice_id)
    assert kept.lexoffice_invoice_status == "draft"
    assert report.section("invoices", IMPORTING).problems == []
