"""The sync settings of one connection: which directions run, and how conflicts are decided.

One `SyncSettings` belongs to one connection (one company and its lexoffice account); every
flow reads it from there, never from a global.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ConflictPolicy(StrEnum):
    """Who wins when one field was changed on both sides to different values."""

    LEXOFFICE_WINS = "lexoffice_wins"
    SYSTEM_WINS = "system_wins"
    # The default: nothing is overwritten; the conflict is reported with both values until a
    # person makes the two sides agree (then it resolves itself on the next run).
    REPORT_ONLY = "report_only"


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


class SyncSettings(BaseModel):
    """Everything a connection's admin can switch; defaults are what a new company gets."""

    model_config = ConfigDict(extra="forbid")

    customers: Directions = Field(default_factory=Directions)
    products: Directions = Field(default_factory=Directions)
    activities: Directions = Field(default_factory=Directions)
    document_import: DocumentImport = DocumentImport.BOTH
    import_draft_documents: bool = False
    conflict_policy: ConflictPolicy = ConflictPolicy.REPORT_ONLY
    # Deleting a product in the system never deletes the lexoffice article unless asked to.
    delete_articles_in_lexoffice: bool = False

    def directions(self, entity: str) -> Directions:
        switches: Directions = getattr(self, entity)
        return switches
