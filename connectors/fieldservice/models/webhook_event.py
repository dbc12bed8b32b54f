"""lexoffice webhook events as received: stored first, synced later, each one once.

lexoffice delivers at least once, possibly out of order, and retries for about 40 hours, so
the receiver stores every accepted event here before it answers, and a repeated delivery of
the same event (same organization, type, resource and date) is recognised by the unique key.
A dispatcher claims pending events in batches (`batch_id`) and starts the customer flow,
which marks its batch processed.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from connectors.fieldservice.column_types import UTCDateTime, str_enum, utc_now
from connectors.fieldservice.models.base import Base


class WebhookEventStatus(enum.StrEnum):
    """pending: stored, not yet handed to a flow; dispatched: a flow run has it (`batch_id`);
    processed: the flow synced its resource."""

    PENDING = "pending"
    DISPATCHED = "dispatched"
    PROCESSED = "processed"


class WebhookEvent(Base):
    """One event lexoffice sent (`{organizationId, eventType, resourceId, eventDate}`)."""

    __tablename__ = "webhook_events"
    entity_label = "webhook event"
    __table_args__ = (
        # The dedupe key: a redelivered event is the same row.
        sa.UniqueConstraint("organization_id", "event_type", "resource_id", "event_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID]
    event_type: Mapped[str] = mapped_column(sa.String(64))
    resource_id: Mapped[uuid.UUID]
    event_date: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utc_now, server_default=sa.func.now()
    )
    status: Mapped[WebhookEventStatus] = mapped_column(
        str_enum(WebhookEventStatus, "status"),
        default=WebhookEventStatus.PENDING,
        server_default=WebhookEventStatus.PENDING.value,
        index=True,
    )
    batch_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    processed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    def label(self) -> str | None:
        return f"{self.event_type} {self.resource_id}"
