"""A person's decision about an invoice whose totals differ: accept it, or void it.

Both are refused unless they keep "one valid invoice per work report": accept needs the
invoice to exist and not be voided in lexoffice; void needs it gone (a deleted draft) or
voided (storniert) in lexoffice first, so the fresh invoice the next run sends is the only one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import InvoiceAttempt, InvoiceAttemptStatus, SyncEntity
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import NotFoundError
from connectors.lexoffice.models import Invoice
from tasks.invoicing.attempts import note_outcome
from tasks.invoicing.delivery import (
    invoice_url,
    lexoffice_totals,
    mark_invoiced,
    record_difference,
)
from tasks.invoicing.errors import PreconditionError
from tasks.invoicing.totals import Totals
from tasks.invoicing.wording import customer_label, invoice_name, totals_text

VOIDED = "voided"


@dataclass(frozen=True)
class Decided:
    """What the decision did, for the CLI to print."""

    invoice_id: uuid.UUID
    message: str


def accept_invoice(
    sessions: sessionmaker[Session], client: LexofficeClient, work_report_id: int, app_url: str
) -> Decided:
    """Take lexoffice's invoice as it is: the work report is marked invoiced with it."""
    invoice_id = _waiting_invoice(sessions, work_report_id, "übernommen")
    invoice = _current(client, work_report_id, invoice_id)
    if invoice is None or invoice.voucher_status == VOIDED:
        state = "existiert in lexoffice nicht mehr" if invoice is None else "ist storniert"
        raise _refusal(
            work_report_id,
            f"Die Rechnung {invoice_id} {state} und kann nicht übernommen werden. Nächster "
            f"Schritt: `lexsync invoice {work_report_id} --void`, dann neu abrechnen.",
        )
    url = invoice_url(app_url, invoice_id)
    totals = lexoffice_totals(invoice)
    record_difference(sessions, work_report_id, invoice_id, url, totals)
    mark_invoiced(sessions, work_report_id, invoice_id, invoice.voucher_number, url)
    name = invoice_name(invoice.voucher_number)
    return Decided(
        invoice_id,
        f"Arbeitsnachweis {work_report_id}: Rechnung {name} übernommen mit den Summen aus "
        f"lexoffice ({totals_text(totals)}); der Arbeitsnachweis ist abgerechnet. {url}",
    )


def void_invoice(
    sessions: sessionmaker[Session], client: LexofficeClient, work_report_id: int
) -> Decided:
    """Forget the invoice once it is deleted or voided in lexoffice; the next run sends anew."""
    invoice_id = _waiting_invoice(sessions, work_report_id, "verworfen")
    invoice = _current(client, work_report_id, invoice_id)
    if invoice is not None and invoice.voucher_status != VOIDED:
        name = invoice_name(invoice.voucher_number)
        raise _refusal(
            work_report_id,
            f"Die Rechnung {name} ({invoice_id}) gilt in lexoffice noch "
            f"(Status {invoice.voucher_status}). Nächster Schritt: in lexoffice den Entwurf "
            "löschen bzw. die Rechnung stornieren, dann "
            f"`lexsync invoice {work_report_id} --void` erneut. So entsteht nie eine zweite "
            "gültige Rechnung.",
        )
    how = "gelöscht" if invoice is None else "storniert"
    note = f"Rechnung {invoice_id} in lexoffice {how} und von Hand verworfen"
    note_outcome(sessions, work_report_id, InvoiceAttemptStatus.FAILED, error=note)
    return Decided(
        invoice_id,
        f"Arbeitsnachweis {work_report_id}: {note}. Der nächste Lauf "
        f"(`lexsync invoice {work_report_id}`) erstellt eine neue Rechnung.",
    )


def forget_deleted_contact(sessions: sessionmaker[Session], work_report_id: int) -> str:
    """Unlink the work report's customer from its deleted lexoffice contact, so the next
    invoice run exports the customer as a new contact."""
    with sessions.begin() as session:
        report = queries.get_work_report(session, work_report_id)
        if report is None:
            raise _refusal(work_report_id, "Diesen Arbeitsnachweis gibt es nicht.")
        customer = customer_label(report.customer)
        forgotten = queries.forget_marked_link(session, SyncEntity.CUSTOMER, report.customer_id)
    if forgotten is None:
        raise _refusal(
            work_report_id,
            f"{customer} ist mit keinem gelöschten lexoffice-Kontakt verknüpft; "
            "nichts wurde geändert.",
        )
    return (
        f"Arbeitsnachweis {work_report_id}: Verknüpfung von {customer} mit dem "
        f"gelöschten lexoffice-Kontakt {forgotten} gelöst. Nächster Schritt: "
        f"`lexsync invoice {work_report_id}` legt den Kunden neu an und rechnet ab."
    )


def _waiting_invoice(sessions: sessionmaker[Session], work_report_id: int, verb: str) -> uuid.UUID:
    """The invoice of an attempt that lexoffice created but that is not settled yet."""
    with sessions.begin() as session:
        attempt = queries.get_invoice_attempt(session, work_report_id)
        if not _waits_for_decision(attempt):
            raise _refusal(
                work_report_id,
                f"Keine Rechnung wartet auf eine Entscheidung, nichts wurde {verb}. "
                f"{_state_text(attempt)}",
            )
        assert attempt is not None and attempt.lexoffice_invoice_id is not None
        return attempt.lexoffice_invoice_id


def _waits_for_decision(attempt: InvoiceAttempt | None) -> bool:
    return (
        attempt is not None
        and attempt.status == InvoiceAttemptStatus.CREATED
        and attempt.lexoffice_invoice_id is not None
    )


def _state_text(attempt: InvoiceAttempt | None) -> str:
    if attempt is None:
        return "Für diesen Arbeitsnachweis wurde noch keine Rechnung gesendet."
    texts = {
        InvoiceAttemptStatus.SENDING: "Die Rechnung ist gesendet, ihr Ergebnis noch offen: "
        "erst `lexsync invoice` erneut ausführen.",
        InvoiceAttemptStatus.INVOICED: "Der Arbeitsnachweis ist bereits abgerechnet.",
        InvoiceAttemptStatus.FAILED: "lexoffice hat keine gültige Rechnung dazu: "
        "`lexsync invoice` erstellt sie.",
    }
    return texts.get(attempt.status, "")


def _current(client: LexofficeClient, work_report_id: int, invoice_id: uuid.UUID) -> Invoice | None:
    try:
        return client.get_invoice(str(invoice_id))
    except NotFoundError:
        return None


def _refusal(work_report_id: int, problem: str) -> PreconditionError:
    return PreconditionError(f"Arbeitsnachweis {work_report_id}", None, problem)


def expected_totals_of(sessions: sessionmaker[Session], work_report_id: int) -> Totals | None:
    """The totals lexsync expected for the work report's invoice, if one was sent."""
    with sessions.begin() as session:
        attempt = queries.get_invoice_attempt(session, work_report_id)
        if attempt is None:
            return None
        return Totals(attempt.expected_net, attempt.expected_tax, attempt.expected_gross)
