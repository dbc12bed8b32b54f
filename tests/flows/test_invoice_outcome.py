"""Never stranded: an invoice whose totals differ is recorded, reported plainly, and a person
accepts or voids it (`lexsync invoice N --accept|--void`); no re-run sends a second one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import (
    InvoiceAttemptStatus,
    LinkStatus,
    SyncEntity,
    WorkReportStatus,
)
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.cli import main
from flows.invoice import create_invoice
from tasks.connection import LexsyncConnection
from tasks.invoicing import PreconditionError, TotalsMismatchError
from tasks.invoicing.attempts import begin_attempt
from tasks.invoicing.plan import to_lexoffice
from tests.flows.conftest import connection_name
from tests.flows.test_invoice_faults import invoice_ids, invoice_posts
from tests.tasks.invoicing.invoicing_builders import prepared_invoice, seed_linked_work_report

D = Decimal
EDITED_LINE = 11  # 1 × 78.00 € at 19 % in the seeded work report


def created_with_a_difference(
    connection_block: LexsyncConnection,
    sandbox: SandboxServer,
    sessions: Any,
    finalize: bool = False,
) -> tuple[int, str]:
    """A work report whose invoice lexoffice created with totals 0.01 € above lexsync's
    (a run killed after its POST, then a user edits a price in lexoffice)."""
    seeded = seed_linked_work_report(sessions, sandbox.control)
    with LexofficeClient(connection_block.lexoffice_settings()) as client:
        plan = prepared_invoice(sessions, client, connection_block, seeded.work_report_id, "r")
        begin_attempt(sessions, plan, finalize, "r")
        created = client.create_invoice(to_lexoffice(plan), finalize=finalize).id
    lines = sandbox.control.get(f"/invoices/{created}").json()["lineItems"]
    lines[EDITED_LINE]["unitPrice"]["netAmount"] = 78.01
    sandbox.control.patch(f"/invoices/{created}", json={"lineItems": lines}).raise_for_status()
    return seeded.work_report_id, created


def reported_with_a_difference(
    connection_block: LexsyncConnection,
    sandbox: SandboxServer,
    sessions: Any,
    finalize: bool = False,
) -> tuple[int, str]:
    """As above, and the next run found the invoice and reported the difference."""
    work_report_id, created = created_with_a_difference(
        connection_block, sandbox, sessions, finalize
    )
    with pytest.raises(TotalsMismatchError):
        create_invoice(work_report_id, connection_name(connection_block), finalize=finalize)
    return work_report_id, created


def attempt_row(sessions: sessionmaker[Session], work_report_id: int) -> dict[str, Any]:
    with sessions.begin() as session:
        attempt = queries.get_invoice_attempt(session, work_report_id)
        report = queries.get_work_report(session, work_report_id)
        assert attempt is not None and report is not None
        return {
            "status": attempt.status,
            "invoice": str(attempt.lexoffice_invoice_id),
            "url": attempt.lexoffice_invoice_url,
            "expected": (attempt.expected_net, attempt.expected_tax, attempt.expected_gross),
            "lexoffice": (attempt.lexoffice_net, attempt.lexoffice_tax, attempt.lexoffice_gross),
            "report": report.status,
            "report_invoice": str(report.lexoffice_invoice_id),
        }


def test_differing_totals_are_recorded_reported_in_german_and_never_sent_twice(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    work_report_id, created = created_with_a_difference(connection_block, sandbox, sessions)
    name = connection_name(connection_block)
    for _ in range(2):  # a re-run finds the same invoice and says the same
        with pytest.raises(TotalsMismatchError) as caught:
            create_invoice(work_report_id, name)
        message = caught.value.problem
        euro = "\u00a0€"  # the report's amounts keep the sign with the number
        assert (
            f"lexoffice: netto 849,63{euro}, Steuer 158,53{euro}, brutto 1.008,16{euro}" in message
        )
        assert f"lexsync: netto 849,62{euro}, Steuer 158,53{euro}, brutto 1.008,15{euro}" in message
        assert f"Differenz brutto 0,01{euro}" in message
        assert f"lexsync invoice {work_report_id} --accept" in message
        assert f"lexsync invoice {work_report_id} --void" in message
    row = attempt_row(sessions, work_report_id)
    assert row["status"] == InvoiceAttemptStatus.CREATED and row["invoice"] == created
    assert row["url"].endswith(f"/permalink/invoices/view/{created}")
    assert row["expected"] == (D("849.62"), D("158.53"), D("1008.15"))
    assert row["lexoffice"] == (D("849.63"), D("158.53"), D("1008.16"))
    assert row["report"] == WorkReportStatus.COMPLETED
    assert invoice_ids(sandbox) == [created] and len(invoice_posts(sandbox)) == 1


def test_accept_marks_the_work_report_invoiced_with_lexoffice_totals(
    connection_block: LexsyncConnection,
    sandbox: SandboxServer,
    sessions: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
) -> None:
    work_report_id, created = created_with_a_difference(connection_block, sandbox, sessions)
    name = connection_name(connection_block)
    args = ["invoice", str(work_report_id), "--connection", name]
    assert main([*args, "--accept"]) == 1  # no run has read the invoice back yet
    assert "erst `lexsync invoice` erneut" in capsys.readouterr().err
    with pytest.raises(TotalsMismatchError):
        create_invoice(work_report_id, name)
    assert main([*args, "--accept"]) == 0
    assert "übernommen" in capsys.readouterr().out
    row = attempt_row(sessions, work_report_id)
    assert (row["status"], row["report"]) == (
        InvoiceAttemptStatus.INVOICED,
        WorkReportStatus.INVOICED,
    )
    assert row["report_invoice"] == created and row["lexoffice"][2] == D("1008.16")
    assert main([*args, "--accept"]) == 1  # nothing waits any more
    assert "bereits abgerechnet" in capsys.readouterr().err
    assert len(invoice_posts(sandbox)) == 1


def test_void_is_refused_while_the_draft_is_valid_then_the_next_run_sends_anew(
    connection_block: LexsyncConnection,
    sandbox: SandboxServer,
    sessions: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
) -> None:
    work_report_id, created = reported_with_a_difference(connection_block, sandbox, sessions)
    name = connection_name(connection_block)
    args = ["invoice", str(work_report_id), "--connection", name]
    assert main([*args, "--void"]) == 1
    assert "gilt in lexoffice noch" in capsys.readouterr().err
    sandbox.control.delete(f"/invoices/{created}").raise_for_status()  # the user deletes it
    assert main([*args, "--void"]) == 0
    assert attempt_row(sessions, work_report_id)["status"] == InvoiceAttemptStatus.FAILED
    result = create_invoice(work_report_id, name)
    assert result.created_now and invoice_ids(sandbox) == [str(result.invoice_id)]
    assert attempt_row(sessions, work_report_id)["report"] == WorkReportStatus.INVOICED


def test_a_finalized_invoice_is_voided_only_after_it_was_cancelled_in_lexoffice(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    work_report_id, created = reported_with_a_difference(connection_block, sandbox, sessions, True)
    name = connection_name(connection_block)
    args = ["invoice", str(work_report_id), "--connection", name]
    assert main([*args, "--void"]) == 1
    edit = {"voucherStatus": "voided"}  # cancelled (storniert) in lexoffice
    sandbox.control.patch(f"/invoices/{created}", json=edit).raise_for_status()
    assert main([*args, "--void"]) == 0
    result = create_invoice(work_report_id, name, finalize=True)
    statuses = {
        invoice_id: sandbox.control.get(f"/invoices/{invoice_id}").json()["voucherStatus"]
        for invoice_id in invoice_ids(sandbox)
    }
    assert statuses == {created: "voided", str(result.invoice_id): "open"}


def test_a_customer_whose_contact_was_deleted_is_refused_before_any_request(
    connection_block: LexsyncConnection,
    sandbox: SandboxServer,
    sessions: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
) -> None:
    seeded = seed_linked_work_report(sessions, sandbox.control)
    sandbox.control.delete(f"/contacts/{seeded.contact_id}").raise_for_status()
    with sessions.begin() as session:  # what the contact.deleted webhook leaves
        queries.set_link_status(
            session, SyncEntity.CUSTOMER, [seeded.customer_id], LinkStatus.DELETED_IN_LEXOFFICE
        )
    sandbox.control.delete("/requests").raise_for_status()
    name = connection_name(connection_block)

    with pytest.raises(PreconditionError) as caught:
        create_invoice(seeded.work_report_id, name)

    assert sandbox.control.get("/requests").json() == []  # not one request to lexoffice
    message = str(caught.value)
    assert "Der Kunde „Muster Bau GmbH“" in message
    assert f"lexoffice-Kontakt {seeded.contact_id}" in message and "gelöscht" in message
    assert f"lexsync invoice {seeded.work_report_id} --new-contact" in message

    args = ["invoice", str(seeded.work_report_id), "--connection", name]
    assert main([*args, "--new-contact"]) == 0
    assert "Verknüpfung" in capsys.readouterr().out
    result = create_invoice(seeded.work_report_id, name)
    invoice = sandbox.control.get(f"/invoices/{result.invoice_id}").json()
    assert invoice["address"]["contactId"] not in (None, seeded.contact_id)
    assert main([*args, "--new-contact"]) == 1  # nothing left to unlink
