"""Writing down what a sync did: links with their base, the journal, the open issues.

Every function takes a session and never commits; the caller owns the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from connectors.fieldservice import queries
from connectors.fieldservice.models import JournalEntity, SyncAction, SyncDirection, SyncEntity
from tasks.report import SectionReport


def store_link(
    session: Session,
    entity: SyncEntity,
    local_id: int,
    lexoffice_id: str,
    version: int | None,
    base_changes: Mapping[str, Any],
) -> None:
    """Link the record (or keep its link), merging `base_changes` into the values as synced."""
    link = queries.get_link(session, entity, local_id)
    base = dict(link.synced_values) if link is not None else {}
    base.update(base_changes)
    if version is None:
        version = link.lexoffice_version if link is not None else 0
    queries.upsert_link(session, entity, local_id, uuid.UUID(lexoffice_id), version, base)


def journal(
    session: Session,
    run_id: str,
    entity: SyncEntity | JournalEntity,
    direction: SyncDirection,
    action: SyncAction,
    *,
    local_id: int | None,
    lexoffice_id: str | None,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> None:
    """Append one applied change to the journal (the audit trail of every sync)."""
    entry = {
        "run_id": run_id,
        "entity": entity,
        "local_id": local_id,
        "lexoffice_id": uuid.UUID(lexoffice_id) if lexoffice_id else None,
        "direction": direction,
        "action": action,
        "before": dict(before) if before is not None else None,
        "after": dict(after) if after is not None else None,
    }
    queries.append_journal(session, [entry])


def record_open_issues(
    session: Session, run_id: str, entity: SyncEntity, sections: Iterable[SectionReport]
) -> None:
    """The problems of a full run become the entity's open issues (older ones are closed)."""
    queries.resolve_open_issues(session, entity)
    rows = [
        {
            "run_id": run_id,
            "entity": entity,
            "local_id": problem.local_id if isinstance(problem.local_id, int) else None,
            "lexoffice_id": _uuid_or_none(problem.lexoffice_id),
            "record_label": problem.record[:255],
            "field": problem.field,
            "kind": problem.kind,
            "message": problem.message,
            "values": {"system": problem.system_value, "lexoffice": problem.lexoffice_value},
        }
        for section in sections
        for problem in section.problems
    ]
    if rows:
        queries.append_issues(session, rows)


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
