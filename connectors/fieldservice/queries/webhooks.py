"""lexoffice webhook events: store once (deduplicated), claim in batches, mark processed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from connectors.fieldservice.column_types import utc_now
from connectors.fieldservice.models import WebhookEvent, WebhookEventStatus
from connectors.fieldservice.queries.common import Row, table_rows

_DEDUPE_KEY = ["organization_id", "event_type", "resource_id", "event_date"]


def insert_webhook_event(
    session: Session,
    *,
    organization_id: uuid.UUID,
    event_type: str,
    resource_id: uuid.UUID,
    event_date: dt.datetime,
) -> bool:
    """Store an event as pending; False (and nothing written) if it was stored before."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(cast(sa.Table, WebhookEvent.__table__))
        .values(
            organization_id=organization_id,
            event_type=event_type,
            resource_id=resource_id,
            event_date=event_date,
            received_at=utc_now(),
            status=WebhookEventStatus.PENDING,
        )
        .on_conflict_do_nothing(index_elements=_DEDUPE_KEY)
        .returning(WebhookEvent.id)
    )
    # RETURNING, not rowcount: with implicit RETURNING the driver reports rowcount -1.
    return session.execute(statement).scalar_one_or_none() is not None


def _claimable(stale_before: dt.datetime) -> sa.ColumnElement[bool]:
    # A batch whose flow never marked it (the run crashed) is handed out again later.
    return sa.or_(
        WebhookEvent.status == WebhookEventStatus.PENDING,
        sa.and_(
            WebhookEvent.status == WebhookEventStatus.DISPATCHED,
            WebhookEvent.dispatched_at < stale_before,
        ),
    )


def claim_webhook_events(
    session: Session, batch_id: str, max_resources: int, stale_before: dt.datetime
) -> list[Row]:
    """Claim the events of the oldest `max_resources` resources waiting: every event of
    those resources gets `batch_id` and status dispatched. Returns the claimed rows."""
    oldest = (
        sa.select(WebhookEvent.resource_id)
        .where(_claimable(stale_before))
        .group_by(WebhookEvent.resource_id)
        .order_by(sa.func.min(WebhookEvent.id))
        .limit(max_resources)
    )
    # One UPDATE, the transaction's first statement: on SQLite a transaction that read first
    # and then writes fails at once ("database is locked") if another writer committed
    # meanwhile; a leading write waits for the lock instead.
    session.execute(
        sa.update(WebhookEvent)
        .where(_claimable(stale_before), WebhookEvent.resource_id.in_(oldest.scalar_subquery()))
        .values(status=WebhookEventStatus.DISPATCHED, batch_id=batch_id, dispatched_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    return webhook_event_rows(session, batch_id=batch_id)


def mark_webhook_batch_processed(session: Session, batch_id: str) -> int:
    """Mark a batch's events processed; returns how many."""
    statement = (
        sa.update(WebhookEvent)
        .where(
            WebhookEvent.batch_id == batch_id, WebhookEvent.status != WebhookEventStatus.PROCESSED
        )
        .values(status=WebhookEventStatus.PROCESSED, processed_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    return cast(sa.CursorResult[Any], session.execute(statement)).rowcount


def count_claimable_webhook_events(session: Session, stale_before: dt.datetime) -> int:
    """How many events wait for a flow run (pending, or dispatched long ago and not done)."""
    statement = sa.select(sa.func.count()).select_from(WebhookEvent)
    return int(session.scalar(statement.where(_claimable(stale_before))) or 0)


def webhook_event_rows(
    session: Session, *, batch_id: str | None = None, status: WebhookEventStatus | None = None
) -> list[Row]:
    """Stored events as dicts of column values, in the order they were received."""
    where = []
    if batch_id is not None:
        where.append(WebhookEvent.batch_id == batch_id)
    if status is not None:
        where.append(WebhookEvent.status == status)
    return table_rows(session, WebhookEvent, *where)
