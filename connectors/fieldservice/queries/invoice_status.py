"""What lexsync knows of the invoices it created: their work reports, the reconcile cursor."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from connectors.fieldservice.models import InvoiceStatusCursor, WorkReport


def work_reports_by_invoice(
    session: Session, invoice_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, WorkReport]:
    """The work reports invoiced with these lexoffice invoices (others are not lexsync's)."""
    wanted = list(set(invoice_ids))
    if not wanted:
        return {}
    statement = sa.select(WorkReport).where(WorkReport.lexoffice_invoice_id.in_(wanted))
    found = session.scalars(statement.execution_options(populate_existing=True))
    return {report.lexoffice_invoice_id: report for report in found if report.lexoffice_invoice_id}


def earliest_invoiced_at(session: Session) -> dt.datetime | None:
    """When lexsync created the oldest invoice it still follows."""
    statement = sa.select(sa.func.min(WorkReport.invoiced_at)).where(
        WorkReport.lexoffice_invoice_id.is_not(None)
    )
    value: dt.datetime | None = session.scalar(statement)
    return value


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
    """Work reports with an invoice lexsync created (or one voided in lexoffice), by id."""
    statement = sa.select(WorkReport).where(
        WorkReport.lexoffice_invoice_id.is_not(None)
        | WorkReport.lexoffice_voided_invoice_id.is_not(None)
    )
    return list(session.scalars(statement.order_by(WorkReport.id)))
