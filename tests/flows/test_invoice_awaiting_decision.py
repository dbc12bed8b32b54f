"""An invoice waiting for a person's decision (lexoffice's totals differed) is followed like
any invoice lexsync created: its state is kept on the work report; paid, it is shown with the
way to accept it; voided in lexoffice, the decision is made (the work report freed)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import InvoiceAttemptStatus, WorkReportStatus
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.cli import main
from flows.full_sync import full_sync
from tasks.connection import LexsyncConnection
from tasks.invoice_status import invoice_state_text
from tests.flows.conftest import connection_name, edit_in_lexoffice, requests_log
from tests.flows.test_invoice_outcome import reported_with_a_difference
from tests.flows.test_invoice_status import IMPORTING, invoice_event, pay, work_report

LEXOFFICE_GROSS = Decimal("1008.16")  # 0.01 € above lexsync's: the difference
D = Decimal


def attempt_status(sessions: sessionmaker[Session], work_report_id: int) -> InvoiceAttemptStatus:
    with sessions.begin() as session:
        attempt = queries.get_invoice_attempt(session, work_report_id)
        assert attempt is not None
        return attempt.status


def assert_freed(
    sessions: sessionmaker[Session], work_report_id: int, invoice_id: str, status: str
) -> None:
    """The work report is free to be invoiced again; the gone invoice is named on it."""
    freed = work_report(sessions, work_report_id)
    assert (freed.status, freed.lexoffice_invoice_id) == (WorkReportStatus.COMPLETED, None)
    assert str(freed.lexoffice_voided_invoice_id) == invoice_id
    assert freed.lexoffice_invoice_status == status
    assert attempt_status(sessions, work_report_id) == InvoiceAttemptStatus.FAILED


def listed_by_status(sessions: sessionmaker[Session]) -> list[int]:
    """The work reports `lexsync status` lists under the invoices lexsync created."""
    with sessions.begin() as session:
        return [report.id for report in queries.invoiced_work_reports(session)]


def test_invoice_awaiting_a_decision_is_followed_and_shown_paid(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
) -> None:
    work_report_id, invoice_id = reported_with_a_difference(
        connection_block, sandbox, sessions, True
    )
    noted = work_report(sessions, work_report_id)
    assert (noted.status, noted.lexoffice_invoice_id) == (WorkReportStatus.COMPLETED, None)
    assert (noted.lexoffice_invoice_number, noted.lexoffice_invoice_status) == ("RE0001", "open")
    assert noted.lexoffice_open_amount == LEXOFFICE_GROSS
    assert listed_by_status(sessions) == [work_report_id]

    pay(sandbox, invoice_id, D("8.16"))
    part = invoice_event(connection_block, [invoice_id])
    assert work_report(sessions, work_report_id).lexoffice_open_amount == D("1000.00")
    assert part.section("invoices", IMPORTING).counts["status updated"] == 1

    pay(sandbox, invoice_id, D("1000.00"))
    paid_report = invoice_event(connection_block, [invoice_id])

    paid = work_report(sessions, work_report_id)
    assert (paid.lexoffice_invoice_status, paid.lexoffice_open_amount) == ("paid", D("0.00"))
    assert paid.lexoffice_paid_at is not None and paid.status == WorkReportStatus.COMPLETED
    assert attempt_status(sessions, work_report_id) == InvoiceAttemptStatus.CREATED
    [problem] = paid_report.section("invoices", IMPORTING).problems
    assert "RE0001 ist in lexoffice bezahlt" in problem.message
    assert f"lexsync invoice {work_report_id} --accept" in problem.message
    shown = invoice_state_text(paid)
    assert shown.startswith("RE0001 bezahlt, Restbetrag 0,00\u00a0€, bezahlt am ")
    assert "wartet auf Entscheidung" in shown

    name = connection_name(connection_block)  # the person accepts it: invoiced, state kept
    assert main(["invoice", str(work_report_id), "--connection", name, "--accept"]) == 0
    accepted = work_report(sessions, work_report_id)
    assert (accepted.status, str(accepted.lexoffice_invoice_id)) == ("invoiced", invoice_id)
    assert accepted.lexoffice_invoice_status == "paid"
    assert "wartet" not in invoice_state_text(accepted)
    capsys.readouterr()


def test_awaiting_invoice_voided_in_lexoffice_is_the_decision_made(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
) -> None:
    work_report_id, invoice_id = reported_with_a_difference(
        connection_block, sandbox, sessions, True
    )
    edit_in_lexoffice(sandbox, "invoices", invoice_id, {"voucherStatus": "voided"})
    posts_before = len(requests_log(sandbox, "POST"))

    report = invoice_event(connection_block, [invoice_id])

    assert_freed(sessions, work_report_id, invoice_id, "voided")
    [problem] = report.section("invoices", IMPORTING).problems
    assert "Rechnung RE0001 wurde in lexoffice storniert" in problem.message
    assert "entschieden" in problem.message and "nicht von selbst" in problem.message
    assert "wieder abrechenbar" in invoice_state_text(work_report(sessions, work_report_id))
    assert len(requests_log(sandbox, "POST")) == posts_before  # nothing sent anew
    name = connection_name(connection_block)
    assert main(["invoice", str(work_report_id), "--connection", name, "--accept"]) == 1
    assert "Keine Rechnung wartet auf eine Entscheidung" in capsys.readouterr().err


def test_full_sync_reconciles_an_awaiting_invoice_when_none_is_invoiced(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    work_report_id, invoice_id = reported_with_a_difference(
        connection_block, sandbox, sessions, True
    )
    pay(sandbox, invoice_id, LEXOFFICE_GROSS)  # its event missed: no receiver runs

    report = full_sync(connection=connection_name(connection_block))

    paid = work_report(sessions, work_report_id)
    assert (paid.lexoffice_invoice_status, paid.lexoffice_open_amount) == ("paid", D("0.00"))
    assert paid.lexoffice_paid_at is not None
    section = report.section("invoices", IMPORTING)
    assert section.counts["status updated"] == 1
    assert [p.local_id for p in section.problems] == [work_report_id]  # paid, awaiting
