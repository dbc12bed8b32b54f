"""Diff: decide what to do for one entity, and put the plan's problems into the report."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
from prefect import task
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import LinkStatus
from tasks.diff.engine import diff_records
from tasks.diff.plan import Conflict, Plan, PlanError, Resolution, Skip
from tasks.diff.settings import DiffSettings
from tasks.mapping.normalize import is_missing
from tasks.mapping.records import ARCHIVED
from tasks.mapping.remote import NotSynced
from tasks.mapping.tables import links_frame, local_frame, remote_frame
from tasks.report import Problem, SectionReport
from tasks.settings import SyncSettings
from tasks.sync.entities import EntityAdapter, system_row
from tasks.sync.extract import LexofficeSide, SystemSide, link_for_diff
from tasks.sync.storable import hold_back_unstorable
from tasks.sync.system_records import to_canonical_row

IMPORT_DIRECTION = "lexoffice → system"
EXPORT_DIRECTION = "system → lexoffice"
Labeler = Callable[[Any, Any], str]


def diff_settings_for(settings: SyncSettings, adapter: EntityAdapter) -> DiffSettings:
    """The connection's switches for this entity, in the diff's terms."""
    directions = settings.directions(adapter.name)
    return DiffSettings(
        import_enabled=directions.import_enabled,
        export_enabled=directions.export_enabled,
        conflict_policy=settings.conflict_policy,
        recreate_unconfirmed_after_seconds=settings.recreate_unconfirmed_after_seconds,
    )


@task
def plan_changes(
    adapter: EntityAdapter, system: SystemSide, lexoffice: LexofficeSide, settings: DiffSettings
) -> Plan:
    """Three-way diff of the entity against the values as last synced.

    A system record linked to a lexoffice record that could not be read sits this run out:
    otherwise the diff would take the lexoffice record for deleted (and mark the link) or,
    without its link, export the system record a second time.
    """
    local, links = _without_unreadable(system, lexoffice)
    plan = diff_records(adapter.spec, local, lexoffice.remote, links, settings)
    hold_back_unstorable(plan, adapter, local)
    plan.errors += [
        PlanError(u.reason, u.field, lexoffice_id=u.lexoffice_id) for u in lexoffice.unreadable
    ]
    return plan


def _without_unreadable(
    system: SystemSide, lexoffice: LexofficeSide
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The system's records and links, less those linked to an unreadable lexoffice record."""
    unreadable_ids = {u.lexoffice_id for u in lexoffice.unreadable if u.lexoffice_id}
    if not unreadable_ids:
        return system.local, system.links
    held = system.links["lexoffice_id"].isin(unreadable_ids)
    held_local = system.local["local_id"].isin(system.links.loc[held, "local_id"])
    return (
        system.local.loc[~held_local].reset_index(drop=True),
        system.links.loc[~held].reset_index(drop=True),
    )


def make_labeler(adapter: EntityAdapter, system: SystemSide, lexoffice: LexofficeSide) -> Labeler:
    """Names records the way a person recognises them; indexes are built on first use."""
    indexes: dict[str, pd.DataFrame] = {}

    def values_of(frame: pd.DataFrame, key: str, value: Any) -> Mapping[str, Any]:
        if key not in indexes:
            indexes[key] = frame.drop_duplicates(key).set_index(key)
        index = indexes[key]
        if value not in index.index:
            return {}
        # A row taken out of a frame turns missing text into NaN; a label wants None.
        return {k: None if is_missing(v) else v for k, v in index.loc[value].to_dict().items()}

    def label(local_id: Any, lexoffice_id: Any) -> str:
        if local_id is not None:
            return adapter.label(values_of(system.local, "local_id", local_id), local_id)
        values = values_of(lexoffice.remote, "lexoffice_id", lexoffice_id)
        return f"{adapter.label(values)} in lexoffice ({lexoffice_id})"

    return label


def report_plan_problems(
    plan: Plan,
    adapter: EntityAdapter,
    sections: tuple[SectionReport, SectionReport],
    label: Labeler,
) -> None:
    """Conflicts, skips and errors the diff found, each in the direction it concerns."""
    importing, exporting = sections
    for conflict in plan.conflicts:
        target = exporting if conflict.resolution == Resolution.SYSTEM_WINS else importing
        target.add_problem(_conflict_problem(conflict, label))
    for skip in plan.skips:
        target = importing if skip.local_id is None else exporting
        target.add_problem(_skip_problem(skip, label))
    for error in plan.errors:
        target = importing if error.local_id is None else exporting
        target.add_problem(_error_problem(error, label))


ARCHIVED_COUNT = "archived (as in lexoffice)"
UNARCHIVED_COUNT = "un-archived (as in lexoffice)"


def archive_count(values: Mapping[str, Any], is_new: bool) -> str | None:
    """The report count a system write adds for lexoffice's archived flag, if any."""
    if ARCHIVED not in values:
        return None
    if values[ARCHIVED]:
        return ARCHIVED_COUNT
    return None if is_new else UNARCHIVED_COUNT


def count_archive_changes(plan: Plan, importing: SectionReport) -> None:
    """What a dry run counts for the archived flags the plan would import."""
    for create in plan.system_creates:
        if name := archive_count(create.values, is_new=True):
            importing.count(name)
    for update in plan.system_updates:
        if name := archive_count({c.field: c.new for c in update.changes}, is_new=False):
            importing.count(name)


def report_missing_links(plan: Plan, importing: SectionReport, label: Labeler) -> None:
    """Linked records gone from one side: kept, their link marked (never re-created)."""
    for missing in plan.missing_links:
        if missing.vanished_from == "lexoffice":
            message = (
                "nicht mehr in lexoffice: im System behalten, Verknüpfung als fehlend markiert"
            )
            importing.add_problem(
                Problem(
                    "skip",
                    label(missing.local_id, None),
                    message,
                    local_id=missing.local_id,
                    lexoffice_id=missing.lexoffice_id,
                )
            )
        else:
            importing.count("deleted in the system")


def count_plan(plan: Plan, sections: tuple[SectionReport, SectionReport], held_back: int) -> None:
    importing, exporting = sections
    for section in sections:
        section.count("unchanged", plan.counts.get("unchanged", 0))
    importing.count("pending (import switched off)", plan.counts.get("pending_import", 0))
    exporting.count("pending (export switched off)", plan.counts.get("pending_export", 0))
    exporting.count("excluded", plan.counts.get("excluded", 0))
    # Left out on purpose, by rule: counted by name rather than as unexplained skips.
    exporting.count("archived, never exported", plan.counts.get("archived_not_exported", 0))
    exporting.count("link marked missing", held_back)


def _conflict_problem(conflict: Conflict, label: Labeler) -> Problem:
    how = {
        Resolution.LEXOFFICE_WINS: "auf beiden Seiten geändert: der Wert aus lexoffice gilt",
        Resolution.SYSTEM_WINS: "auf beiden Seiten geändert: der Wert aus dem System gilt",
        Resolution.UNRESOLVED: "auf beiden Seiten geändert: nichts überschrieben",
    }[conflict.resolution]
    message = f"{how}. {conflict.note}".strip()
    return Problem(
        "conflict",
        label(conflict.local_id, conflict.lexoffice_id),
        message,
        field=conflict.field,
        system_value=conflict.system_value,
        lexoffice_value=conflict.lexoffice_value,
        local_id=conflict.local_id,
        lexoffice_id=conflict.lexoffice_id,
    )


def _skip_problem(skip: Skip, label: Labeler) -> Problem:
    reason = skip.reason
    if skip.candidates:
        reason += f" (Kandidaten: {', '.join(str(c) for c in skip.candidates)})"
    return Problem(
        "skip",
        label(skip.local_id, skip.lexoffice_id),
        reason,
        field=skip.field,
        system_value=skip.system_value,
        lexoffice_value=skip.lexoffice_value,
        local_id=skip.local_id,
        lexoffice_id=skip.lexoffice_id,
    )


def _error_problem(error: PlanError, label: Labeler) -> Problem:
    return Problem(
        "error",
        label(error.local_id, error.lexoffice_id),
        error.message,
        error.field,
        system_value=error.system_value,
        local_id=error.local_id,
        lexoffice_id=error.lexoffice_id,
    )


def redecider(
    sessions: sessionmaker[Session], adapter: EntityAdapter, settings: DiffSettings
) -> Callable[[Any, dict[str, Any]], Plan]:
    """Decides one record again from its fresh lexoffice state (after a 409)."""

    def redecide(local_id: Any, fresh: dict[str, Any]) -> Plan:
        with sessions.begin() as session:
            row = system_row(session, adapter, local_id)
            link = queries.get_link(session, adapter.entity, local_id)
            link_row = _link_row(link)
        local = local_frame(adapter.spec, [to_canonical_row(adapter.spec, row)] if row else [])
        record = adapter.read_remote(fresh)
        remote = remote_frame(adapter.spec, [] if isinstance(record, NotSynced) else [record])
        links = links_frame(adapter.spec, [link_row] if link_row else [])
        return diff_records(adapter.spec, local, remote, links, settings)

    return redecide


def _link_row(link: Any) -> dict[str, Any] | None:
    if link is None or link.status != LinkStatus.ACTIVE:
        return None
    return link_for_diff(
        {
            "local_id": link.local_id,
            "lexoffice_id": link.lexoffice_id,
            "lexoffice_version": link.lexoffice_version,
            "synced_values": link.synced_values,
        }
    )
