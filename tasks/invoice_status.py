"""Invoice status back: what became in lexoffice of each invoice lexsync created.

Kept on the work report: the voucher number once finalized, lexoffice's status (draft, open,
paid, voided, …), the open amount and when it was paid in full. Followed alike: the invoices
of invoiced work reports, and those waiting for a person's decision because lexoffice's
totals differed (attempt `created`, tasks/invoicing/decisions.py). Driven by `invoice.*` and
`payment.changed` events (both name the invoice): an invoice lexsync knows costs two reads
(GET /v1/invoices/{id}, and GET /v1/payments/{id} unless it is a draft); any other invoice
costs none. The full sync reconciles (tasks/invoice_reconcile.py), so a missed event costs
nothing but delay.

An invoice voided (or a draft deleted) in lexoffice frees its work report: completed again, the
attempt marked failed, so `lexsync invoice` may send a new one — for an invoice awaiting a
decision that is the decision made. lexsync never re-invoices by itself; the report says so,
naming the next step. An awaiting invoice paid in lexoffice is reported with the way to
accept it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import InvoiceAttemptStatus, WorkReport, WorkReportStatus
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import NotFoundError, ValidationError
from connectors.lexoffice.models import Invoice
from tasks import report_text
from tasks.report import Problem, RunReport

SECTION = ("invoices", "lexoffice → system")
DELETED = "deleted"  # not a lexoffice status: the draft is gone
FREEING = frozenset({"voided", DELETED})
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class InvoiceState:
    """An invoice as lexoffice has it now (`status` DELETED when it is gone)."""

    status: str
    voucher_number: str | None = None
    open_amount: Decimal | None = None
    paid_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


def read_invoice_state(client: LexofficeClient, invoice_id: str) -> InvoiceState:
    """GET the invoice, and its payments unless it is a draft (at most two reads)."""
    try:
        invoice = client.get_invoice(invoice_id)
    except NotFoundError:
        return InvoiceState(DELETED)
    return state_of(client, invoice_id, invoice)


def state_of(client: LexofficeClient, invoice_id: str, invoice: Invoice) -> InvoiceState:
    """The state of an invoice just read; its payments are read unless it is a draft."""
    status = invoice.voucher_status or "draft"
    open_amount, paid_at = None, None
    if status != "draft":
        try:
            payments = client.get_payments(invoice_id)
        except ValidationError:  # 406: back to draft meanwhile; the next event tells
            pass
        else:
            open_amount, paid_at = payments.open_amount, payments.paid_date
    return InvoiceState(status, invoice.voucher_number, open_amount, paid_at, invoice.updated_date)


@task(cache_policy=NO_CACHE)
def update_invoice_states(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    invoice_ids: list[str],
    report: RunReport,
) -> int:
    """Apply the current state of each invoice lexsync created; other ids are dropped
    unread. Returns how many work reports changed."""
    section = report.section(*SECTION)
    with sessions.begin() as session:
        known = queries.work_reports_by_invoice(session, (uuid.UUID(i) for i in invoice_ids))
        known_ids = {str(invoice_id) for invoice_id in known}
    section.count("not invoiced by lexsync", len(set(invoice_ids) - known_ids))
    changed = 0
    for invoice_id in sorted(known_ids):
        state = read_invoice_state(client, invoice_id)
        changed += keep_invoice_state(sessions, uuid.UUID(invoice_id), state, report)
    return changed


def keep_invoice_state(
    sessions: sessionmaker[Session], invoice_id: uuid.UUID, state: InvoiceState, report: RunReport
) -> int:
    """Apply one invoice's state to its work report and report it; 1 if anything changed."""
    section = report.section(*SECTION)
    with sessions.begin() as session:
        work_report = queries.work_reports_by_invoice(session, [invoice_id]).get(invoice_id)
        if work_report is None:  # freed meanwhile
            section.count("unchanged")
            return 0
        awaiting = work_report.lexoffice_invoice_id != invoice_id
        was = work_report.lexoffice_invoice_status
        outcome = apply_invoice_state(session, work_report, invoice_id, state)
        label = f"Arbeitsnachweis {work_report.id}"
        number = work_report.lexoffice_invoice_number
        work_report_id = work_report.id
    if outcome == "freed":
        problem = _freed_problem(label, work_report_id, invoice_id, number, state, awaiting)
        section.add_problem(problem)
        return 1
    section.count("status updated" if outcome == "updated" else "unchanged")
    if awaiting and state.status == "paid" and was != "paid":
        section.add_problem(_paid_awaiting_problem(label, work_report_id, invoice_id, number))
    return 1 if outcome == "updated" else 0


def note_invoice_state(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    work_report_id: int,
    invoice_id: uuid.UUID,
    invoice: Invoice,
) -> None:
    """Keep the state of an invoice the invoice run just read (its totals differed), so the
    work report shows the invoice that now awaits a decision. Voided or deleted is left to
    the events and the full sync, which free the work report and report it."""
    state = state_of(client, str(invoice_id), invoice)
    with sessions.begin() as session:
        work_report = queries.get_work_report(session, work_report_id)
        if work_report is not None and state.status not in FREEING:
            apply_invoice_state(session, work_report, invoice_id, state)


def apply_invoice_state(
    session: Session, work_report: WorkReport, invoice_id: uuid.UUID, state: InvoiceState
) -> str:
    """ "updated", "unchanged" or "freed" (voided or deleted: the report may be invoiced
    again). A state older than the one applied last is ignored (events arrive out of order)."""
    seen = work_report.lexoffice_invoice_updated_at
    if state.updated_at is not None and seen is not None and state.updated_at < seen:
        return "unchanged"
    if state.status in FREEING:
        _free(session, work_report, invoice_id, state)
        return "freed"
    # A draft has no number (a number kept from a voided invoice is not this one's).
    kept_number = None if state.status == "draft" else work_report.lexoffice_invoice_number
    values = {
        "lexoffice_invoice_status": state.status,
        "lexoffice_invoice_number": state.voucher_number or kept_number,
        "lexoffice_open_amount": state.open_amount,
        "lexoffice_paid_at": state.paid_at or _kept_paid_at(work_report, state),
    }
    changed = {k: v for k, v in values.items() if getattr(work_report, k) != v}
    for key, value in changed.items():
        setattr(work_report, key, value)
    if state.updated_at is not None:
        work_report.lexoffice_invoice_updated_at = state.updated_at
    session.flush()
    return "updated" if changed else "unchanged"


def _kept_paid_at(work_report: WorkReport, state: InvoiceState) -> dt.datetime | None:
    """The voucherlist has no paid date: keep the one known while the invoice stays paid."""
    return work_report.lexoffice_paid_at if state.status == "paid" else None


def _free(
    session: Session, work_report: WorkReport, invoice_id: uuid.UUID, state: InvoiceState
) -> None:
    work_report.status = WorkReportStatus.COMPLETED
    work_report.lexoffice_invoice_id = None
    work_report.lexoffice_voided_invoice_id = invoice_id
    work_report.lexoffice_invoice_status = state.status
    work_report.lexoffice_open_amount = None
    if state.updated_at is not None:
        work_report.lexoffice_invoice_updated_at = state.updated_at
    attempt = queries.get_invoice_attempt(session, work_report.id)
    if attempt is not None:  # so that the next `lexsync invoice` sends a new invoice
        how = "storniert" if state.status == "voided" else "gelöscht"
        note = f"Rechnung {invoice_id} in lexoffice {how}"
        queries.set_invoice_attempt_status(
            session, attempt, InvoiceAttemptStatus.FAILED, error=note
        )
    session.flush()


def invoice_state_text(work_report: WorkReport) -> str:
    """The invoice's state in words, e.g. "RE0001 offen, Restbetrag 19,00 €"."""
    status = work_report.lexoffice_invoice_status
    number = work_report.lexoffice_invoice_number
    if status in FREEING and work_report.lexoffice_invoice_id is not None:
        status = None  # invoiced anew since: the new invoice's state is not read yet
    if status in FREEING:
        return (
            f"{number or 'Entwurf ohne Nummer'} in lexoffice "
            f"{report_text.voucher_status(status)}: wieder abrechenbar "
            f"(`lexsync invoice {work_report.id}`, nicht automatisch)"
        )
    words = report_text.voucher_status(status) if status else "Stand noch nicht gelesen"
    parts = [f"{number} {words}" if number else f"{words}, noch ohne Rechnungsnummer"]
    if status not in (None, "draft") and work_report.lexoffice_open_amount is not None:
        parts.append(f"Restbetrag {report_text.amount(work_report.lexoffice_open_amount)}")
    if work_report.lexoffice_paid_at is not None:
        parts.append(f"bezahlt am {work_report.lexoffice_paid_at.astimezone(BERLIN):%d.%m.%Y}")
    if work_report.lexoffice_invoice_id is None:  # listed, not invoiced: its totals differed
        parts.append(f"Summen weichen ab, wartet auf Entscheidung ({_decide(work_report.id)})")
    return ", ".join(parts)


def _decide(work_report_id: int) -> str:
    return f"`lexsync invoice {work_report_id} --accept` oder `--void`"


def _freed_problem(
    label: str,
    work_report_id: int,
    invoice_id: uuid.UUID,
    number: str | None,
    state: InvoiceState,
    awaiting: bool,
) -> Problem:
    how = "storniert" if state.status == "voided" else "gelöscht"
    name = f"Rechnung {number}" if number else "Der Rechnungsentwurf"
    decided = (
        " Damit ist über die Rechnung mit abweichenden Summen entschieden." if awaiting else ""
    )
    message = (
        f"{name} wurde in lexoffice {how}; der Arbeitsnachweis ist wieder offen.{decided} "
        f"lexsync rechnet nicht von selbst neu ab: bei Bedarf `lexsync invoice {work_report_id}`."
    )
    return Problem("skip", label, message, local_id=work_report_id, lexoffice_id=str(invoice_id))


def _paid_awaiting_problem(
    label: str, work_report_id: int, invoice_id: uuid.UUID, number: str | None
) -> Problem:
    message = (
        f"Rechnung {number or invoice_id} ist in lexoffice bezahlt, wartet aber noch auf die "
        "Entscheidung über ihre abweichenden Summen; der Arbeitsnachweis ist noch nicht als "
        f"abgerechnet markiert. Nächster Schritt: `lexsync invoice {work_report_id} --accept` "
        "übernimmt sie so."
    )
    return Problem("skip", label, message, local_id=work_report_id, lexoffice_id=str(invoice_id))
