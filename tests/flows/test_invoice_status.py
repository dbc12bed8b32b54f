"""Invoice status back: number, status, open amount and paid date of lexsync's invoices, kept on
the work report; driven by invoice and payment events, reconciled by the full sync."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import InvoiceAttemptStatus, WorkReportStatus
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.customer_events import sync_contacts
from flows.full_sync import full_sync
from flows.invoice import create_invoice
from tasks.connection import LexsyncConnection
from tasks.invoice_status import invoice_state_text
from tasks.report import RunReport, render_markdown
from tests.flows.conftest import connection_name, edit_in_lexoffice, requests_log
from tests.tasks.invoicing.invoicing_builders import HAND_CHECKED_GROSS, seed_linked_work_report

IMPORTING = "lexoffice → system"


def invoiced(
    connection_block: LexsyncConnection, sessions: sessionmaker[Session], sandbox: Any
) -> Any:
    """A work report invoiced by lexsync as a draft; returns (work report id, invoice id)."""
    seeded = seed_linked_work_report(sessions, sandbox.control)
    result = create_invoice(seeded.work_report_id, connection_name(connection_block))
    return seeded.work_report_id, str(result.invoice_id)


def invoice_event(connection_block: LexsyncConnection, invoice_ids: list[str]) -> RunReport:
    return sync_contacts([], connection=connection_name(connection_block), invoice_ids=invoice_ids)


def work_report(sessions: sessionmaker[Session], work_report_id: int) -> Any:
    with sessions.begin() as session:
        return queries.get_work_report(session, work_report_id)


def pay(sandbox: SandboxServer, invoice_id: str, amount: Decimal) -> None:
    response = sandbox.control.post(f"/payments/{invoice_id}", json={"amount": float(amount)})
    response.raise_for_status()


def test_finalized_part_paid_and_paid_invoice_is_kept_on_the_work_report(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    work_report_id, invoice_id = invoiced(connection_block, sessions, sandbox)
    assert work_report(sessions, work_report_id).lexoffice_invoice_number is None  # a draft

    edit_in_lexoffice(sandbox, "invoices", invoice_id, {"voucherStatus": "open"})
    report = invoice_event(connection_block, [invoice_id])

    opened = work_report(sessions, work_report_id)
    assert opened.lexoffice_invoice_number == "RE0001"
    assert opened.lexoffice_invoice_status == "open"
    assert opened.lexoffice_open_amount == HAND_CHECKED_GROSS
    assert report.section("invoices", IMPORTING).counts["status updated"] == 1

    pay(sandbox, invoice_id, Decimal("100.00"))
    invoice_event(connection_block, [invoice_id])
    part_paid = work_report(sessions, work_report_id)
    assert part_paid.lexoffice_invoice_status == "open"
    assert part_paid.lexoffice_open_amount == HAND_CHECKED_GROSS - Decimal("100.00")
    assert part_paid.lexoffice_paid_at is None

    pay(sandbox, invoice_id, HAND_CHECKED_GROSS - Decimal("100.00"))
    invoice_event(connection_block, [invoice_id])
    paid = work_report(sessions, work_report_id)
    assert paid.lexoffice_invoice_status == "paid"
    assert paid.lexoffice_open_amount == Decimal("0.00")
    assert paid.lexoffice_paid_at is not None and paid.lexoffice_paid_at.tzinfo is not None
    assert paid.status == WorkReportStatus.INVOICED


def test_voided_invoice_frees_the_work_report_and_is_never_re_invoiced_by_itself(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    work_report_id, invoice_id = invoiced(connection_block, sessions, sandbox)
    edit_in_lexoffice(sandbox, "invoices", invoice_id, {"voucherStatus": "open"})
    edit_in_lexoffice(sandbox, "invoices", invoice_id, {"voucherStatus": "voided"})
    posts_before = len(requests_log(sandbox, "POST"))

    report = invoice_event(connection_block, [invoice_id])

    freed = work_report(sessions, work_report_id)
    assert freed.status == WorkReportStatus.COMPLETED
    assert freed.lexoffice_invoice_id is None
    assert str(freed.lexoffice_voided_invoice_id) == invoice_id
    assert freed.lexoffice_invoice_status == "voided"
    with sessions.begin() as session:
        attempt = queries.get_invoice_attempt(session, work_report_id)
        assert attempt is not None and attempt.status == InvoiceAttemptStatus.FAILED
    [problem] = report.section("invoices", IMPORTING).problems
    assert "storniert" in problem.message and "nicht von selbst" in problem.message
    assert len(requests_log(sandbox, "POST")) == posts_before  # nothing sent anew
    markdown = render_markdown(report)
    assert "Rechnungen (Stand in lexoffice)" in markdown and "wieder offen" in markdown

    assert "wieder abrechenbar" in invoice_state_text(work_report(sessions, work_report_id))

    again = create_invoice(work_report_id, connection_name(connection_block))  # a person decides
    assert str(again.invoice_id) != invoice_id
    shown = invoice_state_text(work_report(sessions, work_report_id))
    assert "storniert" not in shown and "noch nicht gelesen" in shown


def test_events_of_invoices_lexsync_did_not_create_cost_no_read(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    foreign = str(uuid.uuid4())
    sandbox.control.delete("/requests").raise_for_status()

    report = invoice_event(connection_block, [foreign])

    assert requests_log(sandbox, "GET") == []
    assert report.section("invoices", IMPORTING).counts["not invoiced by lexsync"] == 1


def test_full_sync_reconciles_a_missed_event_through_the_voucherlist(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    work_report_id, invoice_id = invoiced(connection_block, sessions, sandbox)
    edit_in_lexoffice(sandbox, "invoices", invoice_id, {"voucherStatus": "open"})
    edit_in_lexoffice(sandbox, "invoices", invoice_id, {"voucherStatus": "paid"})

    report = full_sync(connection=connection_name(connection_block))

    paid = work_report(sessions, work_report_id)
    assert (paid.lexoffice_invoice_number, paid.lexoffice_invoice_status) == ("RE0001", "paid")
    assert paid.lexoffice_open_amount == Decimal("0.00")
    assert paid.lexoffice_paid_at is not None
    assert report.section("invoices", IMPORTING).counts["status updated"] == 1
    with sessions.begin() as session:
        assert queries.get_invoice_status_cursor(session, connection_name(connection_block))

    second = full_sync(connection=connection_name(connection_block))
    assert second.section("invoices", IMPORTING).counts["status updated"] == 0
