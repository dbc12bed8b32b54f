"""The sync settings of one connection: which directions run, and how conflicts are decided.

One `SyncSettings` belongs to one connection (one company and its lexoffice account); every
flow reads it from there, never from a global.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from tasks.diff.settings import ConflictPolicy
from tasks.form import form_choice, form_field, form_section


class DocumentImport(StrEnum):
    """Which lexoffice documents become projects in the system."""

    NONE = "none"
    ORDER_CONFIRMATIONS = "order_confirmations"
    DELIVERY_NOTES = "delivery_notes"
    BOTH = "both"


class Directions(BaseModel):
    """The import (lexoffice → system) and export (system → lexoffice) switch of one entity."""

    model_config = form_section("Richtungen", "Welche Richtungen abgeglichen werden.")

    import_enabled: bool = form_field(
        True, "Import aus lexoffice", "Änderungen aus lexoffice ins System übernehmen."
    )
    export_enabled: bool = form_field(
        True, "Export nach lexoffice", "Änderungen aus dem System nach lexoffice übertragen."
    )


class CustomerDirections(Directions):
    """Customers (Kunden) ⇄ lexoffice contacts with the customer role."""

    model_config = form_section(
        "Kunden",
        "Kunden im System ⇄ Kontakte mit der Rolle Kunde in lexoffice. Ausgeschaltete "
        "Richtungen verlieren nichts: die Änderungen werden beim Einschalten nachgeholt.",
    )


class ProductDirections(Directions):
    """Products (Materiallager) ⇄ lexoffice articles of type PRODUCT."""

    model_config = form_section(
        "Material (Produkte)",
        "Material aus dem Materiallager ⇄ Artikel vom Typ Produkt in lexoffice.",
    )


class ActivityDirections(Directions):
    """Activities (Tätigkeiten) ⇄ lexoffice articles of type SERVICE."""

    model_config = form_section(
        "Tätigkeiten", "Tätigkeiten im System ⇄ Artikel vom Typ Dienstleistung in lexoffice."
    )


class DocumentSettings(BaseModel):
    """Which lexoffice documents become projects in the system."""

    model_config = form_section(
        "Dokumente",
        "Auftragsbestätigungen und Lieferscheine aus lexoffice werden Projekte im System "
        "(nur in diese Richtung).",
    )

    kinds: Annotated[DocumentImport, form_choice(DocumentImport)] = form_field(
        DocumentImport.BOTH,
        "Welche Belege",
        "none = keine, order_confirmations = Auftragsbestätigungen, "
        "delivery_notes = Lieferscheine, both = beide.",
    )
    include_drafts: bool = form_field(
        False, "Auch Entwürfe", "Auch Belege übernehmen, die in lexoffice noch Entwurf sind."
    )


class InvoiceLayout(StrEnum):
    """How a work report's positions become invoice lines."""

    # One line per entry, under a text line per section heading.
    DETAILED = "detailed"
    # One line per employee function and activity, per product, per vehicle/machine rate.
    GROUPED = "grouped"


class InvoiceSettings(BaseModel):
    """How work reports (Arbeitsnachweise) are invoiced in lexoffice."""

    model_config = form_section(
        "Rechnungen",
        "Wie aus einem abgeschlossenen Arbeitsnachweis eine Rechnung in lexoffice wird.",
    )

    layout: Annotated[InvoiceLayout, form_choice(InvoiceLayout)] = form_field(
        InvoiceLayout.DETAILED,
        "Aufbau",
        "detailed = jede Position einzeln unter ihrer Abschnittsüberschrift; "
        "grouped = zusammengefasst je Tätigkeit, Material und Fahrzeug.",
    )
    # Where invoice links in the system point to (lexoffice deeplinks).
    app_base_url: str = form_field(
        "https://app.lexware.de",
        "Adresse von lexoffice",
        "Dorthin zeigen die Rechnungs-Links im System.",
    )
    # A run finding an attempt whose outcome is unknown and no invoice for it waits this long
    # after the send before sending again (lexoffice's gateway may still be working on it).
    resend_after_seconds: int = form_field(
        300,
        "Erneut senden nach (Sekunden)",
        "Blieb unklar, ob lexoffice eine Rechnung angelegt hat, und ist sie dort nicht zu "
        "finden, wird sie frühestens nach dieser Zeit erneut gesendet.",
        ge=0,
    )
    # Printed at the end of the invoice, above lexsync's reference.
    remark: str = form_field(
        "Vielen Dank für Ihren Auftrag.",
        "Schlusstext",
        "Steht am Ende jeder Rechnung (über der Referenz von lexsync).",
        max_length=1800,
    )


class SyncSettings(BaseModel):
    """Everything a connection's admin can switch; defaults are what a new company gets."""

    model_config = form_section("Einstellungen", "Was abgeglichen wird und wie.")

    # Each section is titled by its model's form_section (the form draws it from there).
    customers: CustomerDirections = Field(default_factory=CustomerDirections)
    products: ProductDirections = Field(default_factory=ProductDirections)
    activities: ActivityDirections = Field(default_factory=ActivityDirections)
    documents: DocumentSettings = Field(default_factory=DocumentSettings)
    invoicing: InvoiceSettings = Field(default_factory=InvoiceSettings)
    # The default: nothing is overwritten; a conflict is reported with both values until a
    # person makes the two sides agree (then it resolves itself on the next run).
    conflict_policy: Annotated[ConflictPolicy, form_choice(ConflictPolicy)] = form_field(
        ConflictPolicy.REPORT_ONLY,
        "Bei Konflikten",
        "Ein Feld wurde auf beiden Seiten geändert: report_only = nichts überschreiben, beide "
        "Werte melden (empfohlen); lexoffice_wins = lexoffice gilt; system_wins = das System "
        "gilt.",
    )
    # Deleting a product in the system never deletes the lexoffice article unless asked to.
    delete_articles_in_lexoffice: bool = form_field(
        False,
        "Artikel in lexoffice löschen",
        "Wird Material im System gelöscht, auch den Artikel in lexoffice löschen.",
    )
    # A customer, product or activity whose create lexoffice never confirmed and that a
    # look-up does not find is created again only this long after it was sent.
    recreate_unconfirmed_after_seconds: int = form_field(
        300,
        "Unbestätigt Angelegtes erneut senden nach (Sekunden)",
        "Hat lexoffice das Anlegen eines Datensatzes nie bestätigt und ist er dort nicht zu "
        "finden, wird er frühestens nach dieser Zeit erneut angelegt.",
        ge=0,
    )
    language: Literal["de"] = form_field("de", "Sprache der Berichte", "Derzeit nur Deutsch (de).")

    @model_validator(mode="before")
    @classmethod
    def _documents_from_flat_fields(cls, data: Any) -> Any:
        """Settings saved before the Dokumente section had its two switches at the top."""
        if not isinstance(data, dict) or not _LEGACY_DOCUMENT_FIELDS.keys() & data.keys():
            return data
        data = dict(data)
        documents = dict(data.get("documents") or {})
        for old, new in _LEGACY_DOCUMENT_FIELDS.items():
            if old in data:
                documents[new] = data.pop(old)
        return data | {"documents": documents}

    @property
    def document_import(self) -> DocumentImport:
        return self.documents.kinds

    @document_import.setter
    def document_import(self, value: DocumentImport) -> None:
        self.documents.kinds = value

    @property
    def import_draft_documents(self) -> bool:
        return self.documents.include_drafts

    @import_draft_documents.setter
    def import_draft_documents(self, value: bool) -> None:
        self.documents.include_drafts = value

    def directions(self, entity: str) -> Directions:
        switches: Directions = getattr(self, entity)
        return switches

    def with_overrides(self, overrides: DirectionOverrides | None) -> SyncSettings:
        """These settings with some entities' switches replaced, for one run."""
        # Each entity keeps its own switches type (the form's section), whatever was passed.
        update = {
            str(name): type(getattr(self, name)).model_validate(switches.model_dump())
            for name, switches in (overrides or {}).items()
        }
        return self.model_copy(update=update)


_LEGACY_DOCUMENT_FIELDS = {"document_import": "kinds", "import_draft_documents": "include_drafts"}


DirectionOverrides = dict[Literal["customers", "products", "activities"], Directions]
