"""A lexoffice create in flight: written and committed before the POST, deleted once linked.

lexoffice has no idempotency keys, and a contact or article has no field lexsync could fill
with a reference of its own without changing what the user sees. So before a create is sent,
lexsync commits what it is about to send; a run that finds the marker still there (the
answer was lost and the record not found at once, or the worker died between the POST and
saving the link) looks the record up in lexoffice by what was sent before it plans anything
for that record (`tasks.sync.pending`). One row per (entity, local record).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from connectors.fieldservice.column_types import UTCDateTime, json_document, str_enum
from connectors.fieldservice.models.base import Base
from connectors.fieldservice.models.sync import SyncEntity


class PendingCreate(Base):
    """A customer, product or activity being created in lexoffice, outcome not yet known."""

    __tablename__ = "lexoffice_pending_creates"
    entity_label = "pending lexoffice create"
    __table_args__ = (sa.UniqueConstraint("entity", "local_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[SyncEntity] = mapped_column(str_enum(SyncEntity, "entity"))
    local_id: Mapped[int]
    # The exported values as sent: what the look-up compares lexoffice's records with.
    sent_values: Mapped[dict[str, Any]] = mapped_column(json_document())
    # The link's base to store when the record is found.
    base: Mapped[dict[str, Any]] = mapped_column(json_document())
    # How a person recognises the record in a report, e.g. "customer 12 (Müller GmbH)".
    record_label: Mapped[str] = mapped_column(sa.String(255))
    run_id: Mapped[str] = mapped_column(sa.String(64))
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    def label(self) -> str | None:
        return self.record_label
