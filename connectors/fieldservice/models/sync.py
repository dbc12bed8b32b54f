"""lexsync's own bookkeeping: links to lexoffice, the journal of changes, the open issues."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from connectors.fieldservice.column_types import UTCDateTime, json_document, str_enum, utc_now
from connectors.fieldservice.models.base import Base


class SyncEntity(enum.StrEnum):
    """What lexsync keeps in step: customers (contacts), products and activities (articles)."""

    CUSTOMER = "customer"
    PRODUCT = "product"
    ACTIVITY = "activity"


class JournalEntity(enum.StrEnum):
    """What the journal records changes of: the synced entities, and the projects the
    document import creates."""

    CUSTOMER = "customer"
    PRODUCT = "product"
    ACTIVITY = "activity"
    PROJECT = "project"


class LinkStatus(enum.StrEnum):
    """Whether the lexoffice record of a link still exists."""

    ACTIVE = "active"
    MISSING_IN_LEXOFFICE = "missing_in_lexoffice"
    DELETED_IN_LEXOFFICE = "deleted_in_lexoffice"


class SyncDirection(enum.StrEnum):
    """import: lexoffice → field service; export: field service → lexoffice."""

    IMPORT = "import"
    EXPORT = "export"


class SyncAction(enum.StrEnum):
    """What a sync did to a record."""

    CREATE = "create"
    UPDATE = "update"
    LINK = "link"
    MARK = "mark"


class IssueKind(enum.StrEnum):
    """error: refused or failed; conflict: changed on both sides; skip: left alone on purpose."""

    ERROR = "error"
    CONFLICT = "conflict"
    SKIP = "skip"


class LexofficeLink(Base):
    """The lexoffice record a local customer, product or activity corresponds to.

    `synced_values` holds the values as they were when last synced, the common ancestor of a
    three-way comparison: a field that differs from it on one side only changed on that side.
    """

    __tablename__ = "lexoffice_links"
    entity_label = "lexoffice link"
    __table_args__ = (
        sa.UniqueConstraint("entity", "local_id"),
        sa.UniqueConstraint("entity", "lexoffice_id"),
        sa.CheckConstraint("lexoffice_version >= 0", name="lexoffice_version_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[SyncEntity] = mapped_column(str_enum(SyncEntity, "entity"))
    local_id: Mapped[int]
    lexoffice_id: Mapped[uuid.UUID]
    lexoffice_version: Mapped[int] = mapped_column(default=0, server_default="0")
    synced_values: Mapped[dict[str, Any]] = mapped_column(json_document())
    status: Mapped[LinkStatus] = mapped_column(
        str_enum(LinkStatus, "status"),
        default=LinkStatus.ACTIVE,
        server_default=LinkStatus.ACTIVE.value,
    )
    synced_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utc_now, server_default=sa.func.now()
    )

    def label(self) -> str | None:
        return f"{self.entity} {self.local_id}"


class SyncJournal(Base):
    """One change a sync run made, with the values before and after: the audit trail."""

    __tablename__ = "sync_journal"
    entity_label = "journal entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    entity: Mapped[JournalEntity] = mapped_column(str_enum(JournalEntity, "entity"))
    local_id: Mapped[int | None]
    lexoffice_id: Mapped[uuid.UUID | None]
    direction: Mapped[SyncDirection] = mapped_column(str_enum(SyncDirection, "direction"))
    action: Mapped[SyncAction] = mapped_column(str_enum(SyncAction, "action"))
    before: Mapped[dict[str, Any] | None] = mapped_column(json_document())
    after: Mapped[dict[str, Any] | None] = mapped_column(json_document())
    at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utc_now, server_default=sa.func.now()
    )


class SyncIssue(Base):
    """Something a sync run could not do, or left for a person to decide."""

    __tablename__ = "sync_issues"
    entity_label = "sync issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    entity: Mapped[SyncEntity] = mapped_column(str_enum(SyncEntity, "entity"))
    # The record it is about: the local id, the lexoffice id, or both.
    local_id: Mapped[int | None]
    lexoffice_id: Mapped[uuid.UUID | None]
    # How a person recognises the record, e.g. "Müller GmbH" or an article number.
    record_label: Mapped[str | None] = mapped_column(sa.String(255))
    field: Mapped[str | None] = mapped_column(sa.String(100))
    kind: Mapped[IssueKind] = mapped_column(str_enum(IssueKind, "kind"))
    message: Mapped[str] = mapped_column(sa.Text)
    values: Mapped[dict[str, Any] | None] = mapped_column(json_document())
    at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utc_now, server_default=sa.func.now()
    )
    resolved: Mapped[bool] = mapped_column(default=False, server_default=sa.false(), index=True)

    def label(self) -> str | None:
        return self.record_label
