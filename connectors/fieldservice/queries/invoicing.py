"""Invoicing a work report: the attempt record and the lexoffice ids of the catalog it uses."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from connectors.fieldservice.models import (
    InvoiceAttempt,
    InvoiceAttemptStatus,
    LexofficeLink,
    LinkStatus,
    SyncEntity,
)


def get_invoice_attempt(session: Session, work_report_id: int) -> InvoiceAttempt | None:
    """The invoice attempt of a work report as the database has it now, or None."""
    statement = sa.select(InvoiceAttempt).where(InvoiceAttempt.work_report_id == work_report_id)
    # populate_existing: another run may have changed the row since this session read it.
    return session.scalars(statement.execution_options(populate_existing=True)).one_or_none()


def add_invoice_attempt(session: Session, **values: Any) -> InvoiceAttempt:
    """Record a new attempt and flush; a second one for the same work report is an
    IntegrityError (the unique work_report_id), which keeps two runs from both sending."""
    attempt = InvoiceAttempt(**values)
    session.add(attempt)
    session.flush()
    return attempt


def claim_invoice_attempt(
    session: Session, attempt: InvoiceAttempt, *, seen_sent_at: dt.datetime, **values: Any
) -> bool:
    """Take over an attempt to send it again, if no other run did since `seen_sent_at`.

    A compare-and-set on `sent_at`: of two runs that both found the attempt, only one gets
    True. `values` (status, sent_at, run_id, totals …) are written on success.
    """
    statement = (
        sa.update(InvoiceAttempt)
        .where(InvoiceAttempt.id == attempt.id, InvoiceAttempt.sent_at == seen_sent_at)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = cast(sa.CursorResult[Any], session.execute(statement))
    claimed = result.rowcount == 1
    session.refresh(attempt)
    return claimed


def set_invoice_attempt_status(
    session: Session,
    attempt: InvoiceAttempt,
    status: InvoiceAttemptStatus,
    *,
    invoice_id: uuid.UUID | None = None,
    invoice_url: str | None = None,
    error: str | None = None,
) -> None:
    """Note what came of an attempt: the invoice lexoffice made, or why nothing was made."""
    attempt.status = status
    if invoice_id is not None:
        attempt.lexoffice_invoice_id = invoice_id
    if invoice_url is not None:
        attempt.lexoffice_invoice_url = invoice_url
    attempt.error = error
    session.flush()


def record_lexoffice_totals(
    session: Session,
    attempt: InvoiceAttempt,
    *,
    invoice_id: uuid.UUID,
    url: str,
    totals: Any,
) -> None:
    """Note the invoice lexoffice made and its own totals (`totals.net/.tax/.gross`)."""
    attempt.lexoffice_invoice_id = invoice_id
    attempt.lexoffice_invoice_url = url
    attempt.lexoffice_net = totals.net
    attempt.lexoffice_tax = totals.tax
    attempt.lexoffice_gross = totals.gross
    session.flush()


def forget_marked_link(session: Session, entity: SyncEntity, local_id: int) -> uuid.UUID | None:
    """Delete the link of a record whose lexoffice record was deleted or went missing; the
    lexoffice id it pointed to, or None when there was no such link (an active one is kept)."""
    link = session.scalars(
        sa.select(LexofficeLink).where(
            LexofficeLink.entity == entity,
            LexofficeLink.local_id == local_id,
            LexofficeLink.status != LinkStatus.ACTIVE,
        )
    ).one_or_none()
    if link is None:
        return None
    session.delete(link)
    session.flush()
    return link.lexoffice_id


def active_lexoffice_ids(
    session: Session, entity: SyncEntity, local_ids: Iterable[int]
) -> dict[int, uuid.UUID]:
    """local id → lexoffice id of those records whose link is active, in one query."""
    wanted = sorted(set(local_ids))
    if not wanted:
        return {}
    statement = sa.select(LexofficeLink.local_id, LexofficeLink.lexoffice_id).where(
        LexofficeLink.entity == entity,
        LexofficeLink.local_id.in_(wanted),
        LexofficeLink.status == LinkStatus.ACTIVE,
    )
    return {local_id: lexoffice_id for local_id, lexoffice_id in session.execute(statement)}
