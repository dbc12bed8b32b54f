"""lexsync's bookkeeping: lexoffice links, the sync journal and sync issues."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from connectors.fieldservice.models import (
    LexofficeLink,
    LinkStatus,
    SyncEntity,
    SyncIssue,
    SyncJournal,
)
from connectors.fieldservice.queries.common import Row, insert_rows, table_rows

# What a new sync of an already linked record overwrites; entity and local_id stay.
_UPSERT_COLUMNS = ("lexoffice_id", "lexoffice_version", "synced_values", "status", "synced_at")


def get_link(session: Session, entity: SyncEntity, local_id: int) -> LexofficeLink | None:
    """The link of a local record, or None if it was never synced."""
    return session.scalars(_link_of(entity, local_id)).one_or_none()


def get_link_by_lexoffice_id(
    session: Session, entity: SyncEntity, lexoffice_id: uuid.UUID
) -> LexofficeLink | None:
    """The link of a lexoffice record, or None if no local record corresponds to it."""
    statement = sa.select(LexofficeLink).where(
        LexofficeLink.entity == entity, LexofficeLink.lexoffice_id == lexoffice_id
    )
    return session.scalars(statement.execution_options(populate_existing=True)).one_or_none()


def _link_of(entity: SyncEntity, local_id: int) -> sa.Select[LexofficeLink]:
    # populate_existing: upserts bypass the session, so a link it holds may be stale.
    statement = sa.select(LexofficeLink).where(
        LexofficeLink.entity == entity, LexofficeLink.local_id == local_id
    )
    return statement.execution_options(populate_existing=True)


def link_rows(session: Session, entity: SyncEntity) -> list[Row]:
    """Every link of one entity as a dict of column values, in one query."""
    return table_rows(session, LexofficeLink, LexofficeLink.entity == entity)


def upsert_links(session: Session, links: Sequence[Mapping[str, Any]]) -> None:
    """Insert links, or overwrite the link an (entity, local_id) already has, in bulk.

    Each mapping has entity, local_id, lexoffice_id, lexoffice_version and synced_values;
    status defaults to active and synced_at to now.
    """
    if not links:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(cast(sa.Table, LexofficeLink.__table__))
    statement = statement.on_conflict_do_update(
        index_elements=["entity", "local_id"],
        set_={name: statement.excluded[name] for name in _UPSERT_COLUMNS},
    )
    session.execute(statement, [{"status": LinkStatus.ACTIVE, **link} for link in links])


def upsert_link(
    session: Session,
    entity: SyncEntity,
    local_id: int,
    lexoffice_id: uuid.UUID,
    lexoffice_version: int,
    synced_values: Mapping[str, Any],
) -> LexofficeLink:
    """Link one local record to its lexoffice record as synced just now; returns the link."""
    link = {
        "entity": entity,
        "local_id": local_id,
        "lexoffice_id": lexoffice_id,
        "lexoffice_version": lexoffice_version,
        "synced_values": dict(synced_values),
    }
    upsert_links(session, [link])
    return session.scalars(_link_of(entity, local_id)).one()


def set_link_status(
    session: Session, entity: SyncEntity, local_ids: Iterable[int], status: LinkStatus
) -> None:
    """Mark links, e.g. missing_in_lexoffice when a full sync no longer finds the record."""
    statement = (
        sa.update(LexofficeLink)
        .where(LexofficeLink.entity == entity, LexofficeLink.local_id.in_(list(local_ids)))
        .values(status=status)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(statement)


def append_journal(session: Session, entries: Sequence[Mapping[str, Any]]) -> None:
    """Append journal entries (run_id, entity, local_id, lexoffice_id, direction, action,
    before, after), all with the same keys."""
    insert_rows(session, SyncJournal, entries, return_ids=False)


def journal_entries(session: Session, run_id: str) -> list[SyncJournal]:
    """The journal of one run, in the order it was written."""
    statement = sa.select(SyncJournal).where(SyncJournal.run_id == run_id)
    return list(session.scalars(statement.order_by(SyncJournal.id)))


def recent_runs(session: Session, limit: int) -> list[tuple[str, Any, int]]:
    """The newest runs that changed something: (run id, time of its last change, changes)."""
    last_change = sa.func.max(SyncJournal.at)
    statement = (
        sa.select(SyncJournal.run_id, last_change, sa.func.count())
        .group_by(SyncJournal.run_id)
        .order_by(last_change.desc())
        .limit(limit)
    )
    return [(run_id, at, count) for run_id, at, count in session.execute(statement)]


def append_issues(session: Session, issues: Sequence[Mapping[str, Any]]) -> None:
    """Append sync issues (run_id, entity, local_id / lexoffice_id / record_label, field, kind,
    message, values), all with the same keys."""
    insert_rows(session, SyncIssue, issues, return_ids=False)


def list_issues(
    session: Session, *, run_id: str | None = None, unresolved_only: bool = False
) -> list[SyncIssue]:
    """Sync issues in the order they were written, of one run or of all."""
    statement = sa.select(SyncIssue).order_by(SyncIssue.id)
    if run_id is not None:
        statement = statement.where(SyncIssue.run_id == run_id)
    if unresolved_only:
        statement = statement.where(SyncIssue.resolved.is_(False))
    return list(session.scalars(statement))


def resolve_open_issues(session: Session, entity: SyncEntity) -> None:
    """Close every open issue of an entity, e.g. before a full run reports the current ones."""
    statement = (
        sa.update(SyncIssue)
        .where(SyncIssue.entity == entity, SyncIssue.resolved.is_(False))
        .values(resolved=True)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(statement)


def resolve_issues(session: Session, issue_ids: Iterable[int]) -> None:
    """Mark issues as resolved, e.g. after a person fixed the record."""
    statement = (
        sa.update(SyncIssue)
        .where(SyncIssue.id.in_(list(issue_ids)))
        .values(resolved=True)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(statement)
