"""The sync settings of one connection: which directions run, and how conflicts are decided.

One `SyncSettings` belongs to one connection (one company and its lexoffice account); every
flow reads it from there, never from a global.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from tasks.diff.settings import ConflictPolicy


class DocumentImport(StrEnum):
    """Which lexoffice documents become projects in the system."""

    NONE = "none"
    ORDER_CONFIRMATIONS = "order_confirmations"
    DELIVERY_NOTES = "delivery_notes"
    BOTH = "both"


def _choice(choices: type[StrEnum]) -> WithJsonSchema:
    """An enum field drawn inline with its field's German title and description.

    By default the form draws an enum from its shared definition, titled with the class name
    and its English docstring; inline, the field's own title and description show.
    """
    return WithJsonSchema({"type": "string", "enum": [choice.value for choice in choices]})


def _form(title: str, description: str) -> ConfigDict:
    """A settings model's section in the Prefect block form: German title and description."""
    return ConfigDict(extra="forbid", title=title, json_schema_extra={"description": description})


class Directions(BaseModel):
    """The import (lexoffice → system) and export (system → lexoffice) switch of one entity."""

    model_config = _form("Richtungen", "Welche Richtungen abgeglichen werden.")

    import_enabled: bool = Field(
        default=True,
        title="Import aus lexoffice",
        description="Änderungen aus lexoffice ins System übernehmen.",
    )
    export_enabled: bool = Field(
        default=True,
        title="Export nach lexoffice",
        description="Änderungen aus dem System nach lexoffice übertragen.",
    )


class CustomerDirections(Directions):
    """Customers (Kunden) ⇄ lexoffice contacts with the customer role."""

    model_config = _form(
        "Kunden",
        "Kunden im System ⇄ Kontakte mit der Rolle Kunde in lexoffice. Ausgeschaltete "
        "Richtungen verlieren nichts: die Änderungen werden beim Einschalten nachgeholt.",
    )


class ProductDirections(Directions):
    """Products (Materiallager) ⇄ lexoffice articles of type PRODUCT."""

    model_config = _form(
        "Material (Produkte)",
        "Material aus dem Materiallager ⇄ Artikel vom Typ Produkt in lexoffice.",
    )


class ActivityDirections(Directions):
    """Activities (Tätigkeiten) ⇄ lexoffice articles of type SERVICE."""

    model_config = _form(
        "Tätigkeiten", "Tätigkeiten im System ⇄ Artikel vom Typ Dienstleistung in lexoffice."
    )


class DocumentSettings(BaseModel):
    """Which lexoffice documents become projects in the system."""

    model_config = _form(
        "Dokumente",
        "Auftragsbestätigungen und Lieferscheine aus lexoffice werden Projekte im System "
        "(nur in diese Richtung).",
    )

    kinds: Annotated[DocumentImport, _choice(DocumentImport)] = Field(
        default=DocumentImport.BOTH,
        title="Welche Belege",
        description="none = keine, order_confirmations = Auftragsbestätigungen, "
        "delivery_notes = Lieferscheine, both = beide.",
    )
    include_drafts: bool = Field(
        default=False,
        title="Auch Entwürfe",
        description="Auch Belege übernehmen, die in lexoffice noch Entwurf sind.",
    )


class InvoiceLayout(StrEnum):
    """How a work report's positions become invoice lines."""

    # One line per entry, under a text line per section heading.
    DETAILED = "detailed"
    # One line per employee function and activity, per product, per vehicle/machine rate.
    GROUPED = "grouped"


class InvoiceSettings(BaseModel):
    """How work reports (Arbeitsnachweise) are invoiced in lexoffice."""

    model_config = _form(
        "Rechnungen",
        "Wie aus einem abgeschlossenen Arbeitsnachweis eine Rechnung in lexoffice wird.",
    )

    layout: Annotated[InvoiceLayout, _choice(InvoiceLayout)] = Field(
        default=InvoiceLayout.DETAILED,
        title="Aufbau",
        description="detailed = jede Position einzeln unter ihrer Abschnittsüberschrift; "
        "grouped = zusammengefasst je Tätigkeit, Material und Fahrzeug.",
    )
    # Where invoice links in the system point to (lexoffice deeplinks).
    app_base_url: str = Field(
        default="https://app.lexware.de",
        title="Adresse von lexoffice",
        description="Dorthin zeigen die Rechnungs-Links im System.",
    )
    # A run finding an attempt whose outcome is unknown and no invoice for it waits this long
    # after the send before sending again (lexoffice's gateway may still be working on it).
    resend_after_seconds: int = Field(
        default=300,
        ge=0,
        title="Erneut senden nach (Sekunden)",
        description="Blieb unklar, ob lexoffice eine Rechnung angelegt hat, und ist sie dort "
        "nicht zu finden, wird sie frühestens nach dieser Zeit erneut gesendet.",
    )
    # Printed at the end of the invoice, above lexsync's reference.
    remark: str = Field(
        default="Vielen Dank für Ihren Auftrag.",
        max_length=1800,
        title="Schlusstext",
        description="Steht am Ende jeder Rechnung (über der Referenz von lexsync).",
    )


class SyncSettings(BaseModel):
    """Everything a connection's admin can switch; defaults are what a new company gets."""

    model_config = _form("Einstellungen", "Was abgeglichen wird und wie.")

    customers: CustomerDirections = Field(default_factory=CustomerDirections, title="Kunden")
    products: ProductDirections = Field(
        default_factory=ProductDirections, title="Material (Produkte)"
    )
    activities: ActivityDirections = Field(default_factory=ActivityDirections, title="Tätigkeiten")
    documents: DocumentSettings = Field(default_factory=DocumentSettings, title="Dokumente")
    invoicing: InvoiceSettings = Field(default_factory=InvoiceSettings, title="Rechnungen")
    # The default: nothing is overwritten; a conflict is reported with both values until a
    # person makes the two sides agree (then it resolves itself on the next run).
    conflict_policy: Annotated[ConflictPolicy, _choice(ConflictPolicy)] = Field(
        default=ConflictPolicy.REPORT_ONLY,
        title="Bei Konflikten",
        description="Ein Feld wurde auf beiden Seiten geändert: report_only = nichts "
        "überschreiben, beide Werte melden (empfohlen); lexoffice_wins = lexoffice gilt; "
        "system_wins = das System gilt.",
    )
    # Deleting a product in the system never deletes the lexoffice article unless asked to.
    delete_articles_in_lexoffice: bool = Field(
        default=False,
        title="Artikel in lexoffice löschen",
        description="Wird Material im System gelöscht, auch den Artikel in lexoffice löschen.",
    )
    # A customer, product or activity whose create lexoffice never confirmed and that a
    # look-up does not find is created again only this long after it was sent.
    recreate_unconfirmed_after_seconds: int = Field(
        default=300,
        ge=0,
        title="Unbestätigt Angelegtes erneut senden nach (Sekunden)",
        description="Hat lexoffice das Anlegen eines Datensatzes nie bestätigt und ist er dort "
        "nicht zu finden, wird er frühestens nach dieser Zeit erneut angelegt.",
    )
    language: Literal["de"] = Field(
        default="de",
        title="Sprache der Berichte",
        description="Derzeit nur Deutsch (de).",
    )

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
