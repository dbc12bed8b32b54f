"""Pending lexoffice creates: the marker committed before a create is sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from connectors.fieldservice.models import SyncEntity
from connectors.fieldservice.models.pending_create import PendingCreate


def mark_pending_create(
    session: Session,
    entity: SyncEntity,
    local_id: int,
    sent_values: Mapping[str, Any],
    base: Mapping[str, Any],
    record_label: str,
    run_id: str,
    sent_at: dt.datetime,
) -> None:
    """Record (or renew) that the local record is about to be created in lexoffice."""
    drop_pending_create(session, entity, local_id)
    marker = PendingCreate(
        entity=entity,
        local_id=local_id,
        sent_values=dict(sent_values),
        base=dict(base),
        record_label=record_label[:255],
        run_id=run_id,
        sent_at=sent_at,
    )
    session.add(marker)
    session.flush()


def drop_pending_create(session: Session, entity: SyncEntity, local_id: int) -> None:
    """Forget the marker: the create was linked, or lexoffice surely did not perform it."""
    statement = sa.delete(PendingCreate).where(
        PendingCreate.entity == entity, PendingCreate.local_id == local_id
    )
    session.execute(statement.execution_options(synchronize_session=False))


def pending_creates(session: Session, entity: SyncEntity) -> list[PendingCreate]:
    """Every create of an entity whose outcome is not known yet, oldest first."""
    statement = sa.select(PendingCreate).where(PendingCreate.entity == entity)
    return list(session.scalars(statement.order_by(PendingCreate.sent_at, PendingCreate.id)))
