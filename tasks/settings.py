"""The sync settings of one connection: which directions run, and how conflicts are decided.

One `SyncSettings` belongs to one connection (one company and its lexoffice account); every
flow reads it from there, never from a global.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tasks.diff.settings import ConflictPolicy


class DocumentImport(StrEnum):
    """Which lexoffice documents become projects in the system."""

    NONE = "none"
    ORDER_CONFIRMATIONS = "order_confirmations"
    DELIVERY_NOTES = "delivery_notes"
    BOTH = "both"


class Directions(BaseModel):
    """The import (lexoffice → system) and export (system → lexoffice) switch of one entity."""

    model_config = ConfigDict(extra="forbid")

    import_enabled: bool = True
    export_enabled: bool = True


class InvoiceLayout(StrEnum):
    """How a work report's positions become invoice lines."""

    # One line per entry, under a text line per section heading.
    DETAILED = "detailed"
    # One line per employee function and activity, per product, per vehicle/machine rate.
    GROUPED = "grouped"


class InvoiceSettings(BaseModel):
    """How work reports (Arbeitsnachweise) are invoiced in lexoffice."""

    model_config = ConfigDict(extra="forbid")

    layout: InvoiceLayout = InvoiceLayout.DETAILED
    # Where invoice links in the system point to (lexoffice deeplinks).
    app_base_url: str = "https://app.lexware.de"
    # A run finding an attempt whose outcome is unknown and no invoice for it waits this long
    # after the send before sending again (lexoffice's gateway may still be working on it).
    resend_after_seconds: int = Field(default=300, ge=0)
    # Printed at the end of the invoice, above lexsync's reference.
    remark: str = Field(default="Vielen Dank für Ihren Auftrag.", max_length=1800)


class SyncSettings(BaseModel):
    """Everything a connection's admin can switch; defaults are what a new company gets."""

    model_config = ConfigDict(extra="forbid")

    customers: Directions = Field(default_factory=Directions)
    products: Directions = Field(default_factory=Directions)
    activities: Directions = Field(default_factory=Directions)
    document_import: DocumentImport = DocumentImport.BOTH
    import_draft_documents: bool = False
    # The default: nothing is overwritten; a conflict is reported with both values until a
    # person makes the two sides agree (then it resolves itself on the next run).
    conflict_policy: ConflictPolicy = ConflictPolicy.REPORT_ONLY
    # Deleting a product in the system never deletes the lexoffice article unless asked to.
    delete_articles_in_lexoffice: bool = False
    # A customer, product or activity whose create lexoffice never confirmed and that a
    # look-up does not find is created again only this long after it was sent.
    recreate_unconfirmed_after_seconds: int = Field(default=300, ge=0)
    invoicing: InvoiceSettings = Field(default_factory=InvoiceSettings)

    def directions(self, entity: str) -> Directions:
        switches: Directions = getattr(self, entity)
        return switches

    def with_overrides(self, overrides: DirectionOverrides | None) -> SyncSettings:
        """These settings with some entities' switches replaced, for one run."""
        return self.model_copy(update={str(k): v for k, v in (overrides or {}).items()})


DirectionOverrides = dict[Literal["customers", "products", "activities"], Directions]
