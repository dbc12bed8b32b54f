"""What lexsync knows of the invoices it created: their work reports, the reconcile cursor.

lexsync follows two kinds of invoice: those of invoiced work reports
(`work_reports.lexoffice_invoice_id`), and those waiting for a person's decision because
lexoffice's totals differed — the attempt is `created` with the invoice's id, the work
report still `completed` (tasks/invoicing/decisions.py: accept or void).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from connectors.fieldservice.models import (
    InvoiceAttempt,
    InvoiceAttemptStatus,
    InvoiceStatusCursor,
    WorkReport,
)

# The attempts whose invoice lexoffice holds but no person has accepted or voided yet.
_AWAITING = sa.and_(
    InvoiceAttempt.status == InvoiceAttemptStatus.CREATED,
    InvoiceAttempt.lexoffice_invoice_id.is_not(None),
)
# The followed invoice of a work report: its own, else its attempt's awaiting one.
_FOLLOWED_INVOICE = sa.func.coalesce(
    WorkReport.lexoffice_invoice_id, InvoiceAttempt.lexoffice_invoice_id
)


def _with_awaiting_attempt() -> sa.Select[WorkReport, uuid.UUID]:
    joined = sa.outerjoin(
        WorkReport,
        InvoiceAttempt,
        sa.and_(InvoiceAttempt.work_report_id == WorkReport.id, _AWAITING),
    )
    return sa.select(WorkReport, _FOLLOWED_INVOICE).select_from(joined)


def work_reports_by_invoice(
    session: Session, invoice_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, WorkReport]:
    """The work reports of these lexoffice invoices, invoiced or awaiting a decision (other
    invoices are not lexsync's)."""
    wanted = list(set(invoice_ids))
    if not wanted:
        return {}
    statement = _with_awaiting_attempt().where(_FOLLOWED_INVOICE.in_(wanted))
    rows = session.execute(statement.execution_options(populate_existing=True))
    return {invoice_id: report for report, invoice_id in rows if invoice_id is not None}


def followed_drafts(session: Session) -> dict[uuid.UUID, WorkReport]:
    """The invoices lexsync follows that were drafts when last read (or were never read),
    with their work reports: only a draft can be deleted in lexoffice."""
    status = WorkReport.lexoffice_invoice_status
    statement = _with_awaiting_attempt().where(
        _FOLLOWED_INVOICE.is_not(None), status.is_(None) | (status == "draft")
    )
    rows = session.execute(statement.execution_options(populate_existing=True))
    return {invoice_id: report for report, invoice_id in rows if invoice_id is not None}


def earliest_invoiced_at(session: Session) -> dt.datetime | None:
    """When lexsync created the oldest invoice it still follows (an awaiting one: sent)."""
    invoiced = sa.select(sa.func.min(WorkReport.invoiced_at)).where(
        WorkReport.lexoffice_invoice_id.is_not(None)
    )
    awaiting = sa.select(sa.func.min(InvoiceAttempt.sent_at)).where(_AWAITING)
    found = [value for value in (session.scalar(invoiced), session.scalar(awaiting)) if value]
    return min(found, default=None)


def get_invoice_status_cursor(session: Session, connection: str) -> dt.datetime | None:
    cursor = session.get(InvoiceStatusCursor, connection)
    return None if cursor is None else cursor.last_updated_at


def set_invoice_status_cursor(session: Session, connection: str, value: dt.datetime) -> None:
    """Move the cursor forward (never backwards)."""
    cursor = session.get(InvoiceStatusCursor, connection)
    if cursor is None:
        session.add(InvoiceStatusCursor(connection=connection, last_updated_at=value))
    elif value > cursor.last_updated_at:
        cursor.last_updated_at = value
    session.flush()


def invoiced_work_reports(session: Session) -> list[WorkReport]:
    """Work reports with an invoice lexsync created (invoiced, awaiting a decision, or one
    voided in lexoffice), by id."""
    awaiting = sa.select(InvoiceAttempt.id).where(
        InvoiceAttempt.work_report_id == WorkReport.id, _AWAITING
    )
    statement = sa.select(WorkReport).where(
        WorkReport.lexoffice_invoice_id.is_not(None)
        | WorkReport.lexoffice_voided_invoice_id.is_not(None)
        | awaiting.exists()
    )
    return list(session.scalars(statement.order_by(WorkReport.id)))
