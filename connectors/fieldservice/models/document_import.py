"""lexoffice documents taken over as projects, and where the next import run starts listing.

An order confirmation (Auftragsbestätigung) or delivery note (Lieferschein) is imported once:
its `DocumentImport` row remembers the project it became and the lexoffice version it was built
from, so that a later change is noticed (and reported, never applied). A document that could
not be imported keeps a row with status `failed` and the reason, and is tried again next run.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from connectors.fieldservice.column_types import UTCDateTime, str_enum, utc_now
from connectors.fieldservice.models.base import Base, Timestamps


class DocumentType(enum.StrEnum):
    """The lexoffice documents that can become projects."""

    ORDER_CONFIRMATION = "order_confirmation"
    DELIVERY_NOTE = "delivery_note"


class DocumentImportStatus(enum.StrEnum):
    """imported: a project exists; failed: it could not be made yet (see `reason`)."""

    IMPORTED = "imported"
    FAILED = "failed"


class DocumentImport(Timestamps, Base):
    """One lexoffice document lexsync has handled: the project it became, or why not."""

    __tablename__ = "document_imports"
    entity_label = "document import"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_type: Mapped[DocumentType] = mapped_column(str_enum(DocumentType, "document_type"))
    lexoffice_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    voucher_number: Mapped[str | None] = mapped_column(sa.String(50))
    status: Mapped[DocumentImportStatus] = mapped_column(
        str_enum(DocumentImportStatus, "status"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="SET NULL")
    )
    # The document as the project was built from it (or as it failed): a later `updatedDate`
    # is a later change. The voucherlist shows only the date; the version comes from the GET.
    lexoffice_version: Mapped[int | None]
    lexoffice_updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The `updatedDate` of the newest change already reported, so a change is reported once.
    reported_updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(sa.Text)
    run_id: Mapped[str] = mapped_column(sa.String(64))

    def label(self) -> str | None:
        return self.voucher_number or str(self.lexoffice_id)


class DocumentImportCursor(Base):
    """Per connection and document type: the newest `updatedDate` an import run has listed."""

    __tablename__ = "document_import_cursors"
    entity_label = "document import cursor"
    __table_args__ = (sa.UniqueConstraint("connection", "document_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    connection: Mapped[str] = mapped_column(sa.String(100))
    document_type: Mapped[DocumentType] = mapped_column(str_enum(DocumentType, "document_type"))
    last_updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utc_now, server_default=sa.func.now(), onupdate=utc_now
    )
