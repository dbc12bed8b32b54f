"""A lexoffice order confirmation or delivery note as a project: pure functions, no I/O.

Decisions (the issue left them open):
- **Name.** The document's title (Auftragsbezeichnung) when the user gave one. lexoffice
  prints "Auftragsbestätigung" / "Lieferschein" (or the English words) when the title is left
  alone; such a default title says nothing, so the name is then built as
  "<voucher number> – <customer>", e.g. "AB0042 – Muster GmbH". A draft has no number yet:
  "Entwurf vom 02.03.2026 – Muster GmbH". Cut to the column's 255 characters.
- **Order sum.** The net total (`totalPrice.totalNetAmount`) of an order confirmation;
  None for a delivery note, which carries no prices.
- **Description.** The introduction, "Positionen:" with one line per line item
  ("- 2 Std Elektroinstallation à 45,00 € = 90,00 €"; delivery notes without prices; text items
  as indented text), the delivery terms, then the remark. Numbers are written German style.
- **Customer from an address** (collective contact / one-time address): the address has a
  single name line, which may name a person or a company; splitting it would be guesswork, so
  the customer is a company whose company name is that line, with the address as billing
  address and supplement and contact person in the note. See `tasks.documents.customers`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from connectors.fieldservice.models import CustomerKind, DocumentType, ProjectOrigin
from connectors.lexoffice.models import DeliveryNote, LineItem, OrderConfirmation, VoucherAddress

Document = OrderConfirmation | DeliveryNote

DEFAULT_TITLES = frozenset(
    {"auftragsbestätigung", "lieferschein", "order confirmation", "delivery note"}
)
NAME_LENGTH = 255
CUSTOMER_NAME_LENGTH = 255
ORIGINS = {
    DocumentType.ORDER_CONFIRMATION: ProjectOrigin.LEXOFFICE_ORDER_CONFIRMATION,
    DocumentType.DELIVERY_NOTE: ProjectOrigin.LEXOFFICE_DELIVERY_NOTE,
}
# The project fields a later change in lexoffice could alter (compared, never applied).
COMPARED_FIELDS = ("name", "order_sum", "description", "lexoffice_voucher_number")


class UnmappableDocumentError(ValueError):
    """The document cannot become a project; the message says why, for the report."""


@dataclass(frozen=True)
class ProjectDraft:
    """The project a document becomes, before it has a customer."""

    lexoffice_id: uuid.UUID
    document_type: DocumentType
    name: str
    order_sum: Decimal | None
    description: str
    lexoffice_voucher_number: str | None

    @property
    def origin(self) -> ProjectOrigin:
        return ORIGINS[self.document_type]

    def values(self) -> dict[str, Any]:
        """The compared project fields, by column name."""
        return {field: getattr(self, field) for field in COMPARED_FIELDS}


def draft_project(document: Document, document_type: DocumentType) -> ProjectDraft:
    """The project made from this document."""
    if document.id is None:
        raise UnmappableDocumentError("der Beleg hat keine ID")
    return ProjectDraft(
        lexoffice_id=uuid.UUID(document.id),
        document_type=document_type,
        name=project_name(document),
        order_sum=order_sum(document),
        description=describe(document),
        lexoffice_voucher_number=document.voucher_number,
    )


def project_name(document: Document) -> str:
    """The title if the user gave one, else "<voucher number> – <customer>"."""
    title = (document.title or "").strip()
    if title and title.lower() not in DEFAULT_TITLES:
        return title[:NAME_LENGTH]
    number = document.voucher_number or f"Entwurf vom {document.voucher_date:%d.%m.%Y}"
    customer = (document.address.name or "").strip()
    name = f"{number} – {customer}" if customer else number
    return name[:NAME_LENGTH]


def order_sum(document: Document) -> Decimal | None:
    """The net total of an order confirmation; delivery notes have no prices."""
    if isinstance(document, OrderConfirmation):
        return document.total_price.total_net_amount
    return None


def describe(document: Document) -> str:
    """Introduction, line items, delivery terms and remark as readable text."""
    parts = [(document.introduction or "").strip()]
    lines = [line_text(item) for item in document.line_items]
    if lines:
        parts.append("Positionen:\n" + "\n".join(lines))
    terms = (document.delivery_terms or "").strip()
    if terms:
        parts.append(f"Lieferbedingungen: {terms}")
    parts.append((document.remark or "").strip())
    return "\n\n".join(part for part in parts if part)


def line_text(item: LineItem) -> str:
    """One line item, e.g. "- 2 Std Elektroinstallation à 45,00 € = 90,00 €"."""
    name = (item.name or "").strip()
    details = (item.description or "").strip()
    if item.type == "text":
        return "  " + "\n  ".join(text for text in (name, details) if text)
    quantity = " ".join(
        text for text in (german(item.quantity), (item.unit_name or "").strip()) if text
    )
    text = "- " + " ".join(part for part in (quantity, name) if part)
    price = item.unit_price.net_amount if item.unit_price else None
    if price is not None:
        text += f" à {german(price, 2)} €"
        if item.line_item_amount is not None:
            text += f" = {german(item.line_item_amount, 2)} €"
    if details:
        text += "\n  " + details.replace("\n", "\n  ")
    return text


def german(number: Decimal | None, places: int | None = None) -> str:
    """A number written as Germans do: "1.234,5", or with fixed places "1.234,50"."""
    if number is None:
        return ""
    if places is None:
        text = f"{number.normalize():,f}"
    else:
        text = f"{number.quantize(Decimal(1).scaleb(-places)):,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def customer_from_address(address: VoucherAddress, source: str) -> dict[str, Any]:
    """Column values of a customer made from a document's address (no lexoffice contact)."""
    name = (address.name or "").strip()
    if not name:
        raise UnmappableDocumentError(
            "die Adresse des Belegs hat keinen Namen, aus dem ein Kunde werden kann"
        )
    country = (address.country_code or "DE").strip().upper()
    if len(country) != 2:
        raise UnmappableDocumentError(
            f"der Ländercode {country!r} der Adresse hat nicht 2 Buchstaben"
        )
    notes = [f"Aus lexoffice übernommen ({source})."]
    notes += [
        f"{label}: {value.strip()}"
        for label, value in (
            ("Zusatz", address.supplement),
            ("Ansprechpartner", address.contact_person),
        )
        if value and value.strip()
    ]
    return {
        "kind": CustomerKind.COMPANY,
        "company_name": name[:CUSTOMER_NAME_LENGTH],
        "billing_street": _blank_to_none(address.street),
        "billing_zip": _blank_to_none(address.zip),
        "billing_city": _blank_to_none(address.city),
        "billing_country_code": country,
        "note": "\n".join(notes),
    }


def differing_fields(project: Mapping[str, Any], draft: ProjectDraft) -> dict[str, tuple[Any, Any]]:
    """Fields where the project differs from the document now: field → (system, lexoffice)."""
    return {
        field: (project.get(field), value)
        for field, value in draft.values().items()
        if not _same(project.get(field), value)
    }


def _same(system: Any, lexoffice: Any) -> bool:
    if isinstance(system, Decimal) and isinstance(lexoffice, Decimal):
        return system.compare(lexoffice) == 0
    return bool(system == lexoffice)


def _blank_to_none(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None
