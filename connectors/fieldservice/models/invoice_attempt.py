"""An attempt to invoice a work report in lexoffice, recorded before the invoice is sent.

lexoffice has no idempotency keys: a POST whose answer is lost may or may not have created
the invoice. So lexsync writes (and commits) the attempt first, with the unique `reference` it
puts into the invoice; a later run that finds the attempt still `sending` looks for that
reference in lexoffice before it sends anything again. One row per work report.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from connectors.fieldservice.column_types import UTCDateTime, amount, str_enum
from connectors.fieldservice.models.base import Base, Timestamps


class InvoiceAttemptStatus(enum.StrEnum):
    """sending: sent or about to be, outcome unknown; created: lexoffice has the invoice (and,
    with `lexoffice_gross` set, its totals differ from lexsync's: a person accepts or voids
    it); invoiced: totals checked or accepted, the work report marked; failed: lexoffice
    created nothing (it refused the invoice, or could not be reached) or a person voided the
    invoice, so a later run may send again."""

    SENDING = "sending"
    CREATED = "created"
    INVOICED = "invoiced"
    FAILED = "failed"


class InvoiceAttempt(Timestamps, Base):
    """The one invoice attempt of a work report: what was sent, and what came of it."""

    __tablename__ = "invoice_attempts"
    entity_label = "invoice attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: two runs for the same work report cannot both record an attempt.
    work_report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("work_reports.id", ondelete="CASCADE"), unique=True
    )
    reference: Mapped[str] = mapped_column(sa.String(64), unique=True)
    status: Mapped[InvoiceAttemptStatus] = mapped_column(
        str_enum(InvoiceAttemptStatus, "status"), index=True
    )
    lexoffice_contact_id: Mapped[uuid.UUID]
    voucher_date: Mapped[dt.date]
    finalize: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    expected_net: Mapped[Decimal] = mapped_column(amount())
    expected_tax: Mapped[Decimal] = mapped_column(amount())
    expected_gross: Mapped[Decimal] = mapped_column(amount())
    line_count: Mapped[int]
    # When the invoice was (last) handed to lexoffice: a re-run waits a while after it.
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    run_id: Mapped[str] = mapped_column(sa.String(64))
    lexoffice_invoice_id: Mapped[uuid.UUID | None]
    # The deeplink that opens the invoice in lexoffice.
    lexoffice_invoice_url: Mapped[str | None] = mapped_column(sa.String(255))
    error: Mapped[str | None] = mapped_column(sa.Text)
    # lexoffice's totals of the invoice, recorded when they differ from the expected ones.
    lexoffice_net: Mapped[Decimal | None] = mapped_column(amount())
    lexoffice_tax: Mapped[Decimal | None] = mapped_column(amount())
    lexoffice_gross: Mapped[Decimal | None] = mapped_column(amount())

    def label(self) -> str | None:
        return self.reference
