"""Sending the invoice exactly once, finding it again after an unknown outcome, checking it.

lexoffice has no idempotency keys, and a POST whose answer is lost (timeout, 504, dropped
connection) may have created the invoice. So nothing is ever sent twice blindly: after an
unknown outcome, and on a re-run that finds its attempt still `sending`, lexsync lists the
customer's invoices of the voucher date and opens each until one carries the reference it
wrote into the remark.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.column_types import utc_now
from connectors.fieldservice.models import InvoiceAttemptStatus
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import LexofficeError, NotFoundError, OutcomeUnknownError
from connectors.lexoffice.models import Invoice
from connectors.lexoffice.voucherlist import VoucherlistQuery
from tasks import error_text
from tasks.invoice_status import note_invoice_state
from tasks.invoicing.attempts import AttemptState, NextStep, note_outcome, retake_unconfirmed
from tasks.invoicing.errors import (
    InvoiceRefusedError,
    InvoicingError,
    OutcomeStillUnknownError,
    TotalsMismatchError,
)
from tasks.invoicing.plan import InvoicePlan, carries_reference, to_lexoffice
from tasks.invoicing.totals import Totals
from tasks.invoicing.wording import invoice_name, totals_differ_message


@dataclass(frozen=True)
class Delivered:
    """The invoice lexoffice holds for the attempt, and whether this run created it."""

    invoice_id: uuid.UUID
    created_now: bool
    state: AttemptState


@dataclass(frozen=True)
class InvoiceResult:
    """The checked invoice, as the work report now records it."""

    invoice_id: uuid.UUID
    voucher_number: str | None
    voucher_status: str | None
    url: str
    totals: Totals
    created_now: bool


def invoice_url(app_base_url: str, invoice_id: uuid.UUID) -> str:
    """The deeplink that opens the invoice in lexoffice."""
    return f"{app_base_url.rstrip('/')}/permalink/invoices/view/{invoice_id}"


def find_sent_invoice(
    client: LexofficeClient, contact_id: uuid.UUID, voucher_date: dt.date, reference: str
) -> uuid.UUID | None:
    """The invoice lexsync sent with `reference`, if lexoffice has it."""
    query = VoucherlistQuery(
        voucher_types=("invoice",),
        voucher_statuses=("any",),
        contact_id=str(contact_id),
        voucher_date_from=voucher_date,
        voucher_date_to=voucher_date,
        split_on="voucherDate",
    )
    for entry in client.iter_voucherlist(query):
        if carries_reference(client.get_invoice(entry.id), reference):
            return uuid.UUID(entry.id)
    return None


def deliver(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    plan: InvoicePlan,
    state: AttemptState,
    *,
    run_id: str,
    resend_after_seconds: int,
) -> Delivered:
    """The invoice of the attempt: found in lexoffice, or sent now (never twice)."""
    if state.next_step == NextStep.CHECK:
        assert state.invoice_id is not None, "a created attempt knows its invoice"
        return Delivered(state.invoice_id, False, state)
    if state.next_step == NextStep.LOOK_FIRST:
        found = _look(sessions, client, plan.work_report_id, state)
        if found is not None:
            return Delivered(found, False, state)
        _require_waited(plan, state, resend_after_seconds)
        state = retake_unconfirmed(sessions, state, plan, run_id)
    return _send(sessions, client, plan, state)


def _look(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    work_report_id: int,
    state: AttemptState,
) -> uuid.UUID | None:
    found = find_sent_invoice(client, state.contact_id, state.voucher_date, state.reference)
    if found is not None:
        note_outcome(sessions, work_report_id, InvoiceAttemptStatus.CREATED, invoice_id=found)
    return found


def _require_waited(plan: InvoicePlan, state: AttemptState, resend_after_seconds: int) -> None:
    waited = (utc_now() - state.sent_at).total_seconds()
    if waited < resend_after_seconds:
        raise OutcomeStillUnknownError(
            plan.record,
            None,
            f"Die Rechnung mit der Kennung {state.reference} wurde vor {waited:.0f} s gesendet; "
            "lexoffice zeigt noch keine. Nichts wurde erneut gesendet. In "
            f"{resend_after_seconds - waited:.0f} s erneut starten: lexsync sieht zuerst nach",
        )


def _send(
    sessions: sessionmaker[Session], client: LexofficeClient, plan: InvoicePlan, state: AttemptState
) -> Delivered:
    body = to_lexoffice(plan)
    try:
        result = client.create_invoice(body, finalize=state.finalize)
    except OutcomeUnknownError as error:
        found = _look(sessions, client, plan.work_report_id, state)
        if found is None:
            raise OutcomeStillUnknownError(
                plan.record,
                None,
                f"lexoffice bestätigte die Rechnung nicht ({error_text.lexoffice_error(error)}) "
                f"und zeigt noch keine mit der Kennung {state.reference}. Nichts wurde erneut "
                "gesendet. Später erneut starten: lexsync sieht zuerst nach",
            ) from error
        return Delivered(found, False, state)
    except LexofficeError as error:
        # Any other error means lexoffice performed nothing (see connectors/lexoffice/transport).
        reason = error_text.lexoffice_error(error)
        note_outcome(sessions, plan.work_report_id, InvoiceAttemptStatus.FAILED, error=reason)
        raise InvoiceRefusedError(
            plan.record, None, f"lexoffice hat keine Rechnung erstellt: {reason}"
        ) from error
    invoice_id = uuid.UUID(result.id)
    note_outcome(sessions, plan.work_report_id, InvoiceAttemptStatus.CREATED, invoice_id=invoice_id)
    return Delivered(invoice_id, True, state)


def lexoffice_totals(invoice: Invoice) -> Totals:
    total = invoice.total_price
    return Totals(
        net=total.total_net_amount or Decimal(0),
        tax=total.total_tax_amount or Decimal(0),
        gross=total.total_gross_amount or Decimal(0),
    )


def check_and_mark(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    plan: InvoicePlan,
    delivered: Delivered,
    app_base_url: str,
) -> InvoiceResult:
    """Read the invoice back, compare its totals to the cent, mark the work report invoiced.

    Totals that differ strand nothing: the invoice is recorded on the attempt with both
    totals, its state (number, status) on the work report, and TotalsMismatchError says how
    a person accepts or voids it.
    """
    invoice = _read_back(sessions, client, plan, delivered)
    expected, actual = delivered.state.expected, lexoffice_totals(invoice)
    url = invoice_url(app_base_url, delivered.invoice_id)
    if not same_totals(expected, actual):
        message = totals_differ_message(
            plan.work_report_id, invoice_name(invoice.voucher_number), url, actual, expected
        )
        record_difference(sessions, plan.work_report_id, delivered.invoice_id, url, actual)
        note_outcome(sessions, plan.work_report_id, InvoiceAttemptStatus.CREATED, error=message)
        # Followed from now on like any invoice lexsync created (tasks/invoice_status.py).
        note_invoice_state(sessions, client, plan.work_report_id, delivered.invoice_id, invoice)
        raise TotalsMismatchError(plan.record, "totals", message)
    mark_invoiced(sessions, plan.work_report_id, delivered.invoice_id, invoice.voucher_number, url)
    return InvoiceResult(
        delivered.invoice_id,
        invoice.voucher_number,
        invoice.voucher_status,
        url,
        actual,
        delivered.created_now,
    )


def same_totals(expected: Totals, actual: Totals) -> bool:
    return (expected.net, expected.tax, expected.gross) == (actual.net, actual.tax, actual.gross)


def record_difference(
    sessions: sessionmaker[Session],
    work_report_id: int,
    invoice_id: uuid.UUID,
    url: str,
    actual: Totals,
) -> None:
    """Keep the invoice and lexoffice's totals on the attempt, next to the expected ones."""
    with sessions.begin() as session:
        attempt = queries.get_invoice_attempt(session, work_report_id)
        assert attempt is not None, "the attempt is recorded before anything is sent"
        queries.record_lexoffice_totals(
            session, attempt, invoice_id=invoice_id, url=url, totals=actual
        )


def _read_back(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    plan: InvoicePlan,
    delivered: Delivered,
) -> Invoice:
    try:
        return client.get_invoice(str(delivered.invoice_id))
    except NotFoundError as error:
        # Deleted in lexoffice (only drafts can be): nothing stands in the books, send anew.
        message = f"Die Rechnung {delivered.invoice_id} gibt es in lexoffice nicht mehr"
        note_outcome(sessions, plan.work_report_id, InvoiceAttemptStatus.FAILED, error=message)
        again = "; erneut starten, um neu abzurechnen"
        raise InvoicingError(plan.record, None, message + again) from error


def mark_invoiced(
    sessions: sessionmaker[Session],
    work_report_id: int,
    invoice_id: uuid.UUID,
    number: str | None,
    url: str,
) -> None:
    with sessions.begin() as session:
        report = queries.get_work_report(session, work_report_id)
        attempt = queries.get_invoice_attempt(session, work_report_id)
        assert report is not None and attempt is not None
        queries.mark_work_report_invoiced(
            session, report, invoice_id=invoice_id, invoice_number=number, invoiced_at=utc_now()
        )
        queries.set_invoice_attempt_status(
            session, attempt, InvoiceAttemptStatus.INVOICED, invoice_id=invoice_id, invoice_url=url
        )
