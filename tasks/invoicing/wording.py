"""What the invoice run tells a person, in German: amounts as `1.234,56 €`, next steps named."""

from __future__ import annotations

import uuid

from connectors.fieldservice.models import Customer, LinkStatus, WorkReport
from tasks import report_text
from tasks.documents.mapping import german
from tasks.invoicing.totals import Totals
from tasks.report_text import amount

__all__ = [
    "contact_gone_message",
    "customer_label",
    "german",
    "totals_differ_message",
    "totals_text",
    "work_report_label",
]


def work_report_label(report: WorkReport) -> str:
    """ "Arbeitsnachweis 5 (vom 01.12.2026)": the report as the office names it."""
    since = f"vom {report_text.day(report.date_from)}" if report.date_from else None
    return report_text.record("work report", report.id, since)


def customer_label(customer: Customer) -> str:
    """ "Kunde 12 (Müller GmbH)"."""
    return report_text.record("customer", customer.id, customer.display_name)


def totals_text(totals: Totals) -> str:
    return f"netto {amount(totals.net)}, Steuer {amount(totals.tax)}, brutto {amount(totals.gross)}"


def totals_differ_message(
    work_report_id: int, invoice: str, url: str, lexoffice: Totals, expected: Totals
) -> str:
    """Why the work report is not marked invoiced, and the two ways out."""
    gap = lexoffice.gross - expected.gross
    return (
        f"Die Rechnung {invoice} wurde in lexoffice erstellt, aber ihre Summen weichen von "
        f"lexsyncs Berechnung ab. lexoffice: {totals_text(lexoffice)}; lexsync: "
        f"{totals_text(expected)} (Differenz brutto {amount(gap)}). Der Arbeitsnachweis ist "
        f"noch nicht als abgerechnet markiert; die Rechnung ist vermerkt: {url}. "
        f"Nächster Schritt: die Rechnung in lexoffice prüfen, dann entweder "
        f"`lexsync invoice {work_report_id} --accept` (so übernehmen) oder sie in lexoffice "
        f"löschen bzw. stornieren und `lexsync invoice {work_report_id} --void` (der nächste "
        "Lauf erstellt sie neu). Ein erneuter Lauf erstellt keine zweite Rechnung."
    )


def invoice_name(number: str | None) -> str:
    return number if number else "(Entwurf)"


def contact_gone_message(report: WorkReport, contact_id: uuid.UUID, status: LinkStatus) -> str:
    """The customer's lexoffice contact is deleted or missing: nothing can be sent to it."""
    customer = report.customer
    number = f" (Kundennummer {customer.customer_number})" if customer.customer_number else ""
    how = "gelöscht" if status == LinkStatus.DELETED_IN_LEXOFFICE else "nicht mehr gefunden"
    return (
        f"Der Kunde „{customer.display_name or customer.id}“{number} ist mit dem "
        f"lexoffice-Kontakt {contact_id} verknüpft, der in lexoffice {how} wurde. Für "
        f"Arbeitsnachweis {report.id} wurde nichts an lexoffice gesendet. Nächster Schritt: "
        f"`lexsync invoice {report.id} --new-contact` löst die Verknüpfung; danach legt "
        f"`lexsync invoice {report.id}` den Kunden als neuen lexoffice-Kontakt an und "
        "rechnet ab."
    )
