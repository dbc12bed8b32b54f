"""The plan in the report: its problems in plain words, its counts, records named for people.

The decide step (`tasks.sync.plan`) only decides; this module says what a plan means for the
run's report, the same for a run and for its dry run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from tasks.diff.plan import Conflict, Plan, PlanError, Resolution, Skip
from tasks.mapping.normalize import is_missing
from tasks.mapping.records import ARCHIVED
from tasks.report import Problem, SectionReport
from tasks.sync.entities import EntityAdapter
from tasks.sync.extract import LexofficeSide, SystemSide

IMPORT_DIRECTION = "lexoffice → system"
EXPORT_DIRECTION = "system → lexoffice"
ARCHIVED_COUNT = "archived (as in lexoffice)"
UNARCHIVED_COUNT = "un-archived (as in lexoffice)"
Labeler = Callable[[Any, Any], str]
Sections = tuple[SectionReport, SectionReport]  # importing, exporting


def new_sections(adapter: EntityAdapter) -> Sections:
    """The entity's two report sections: lexoffice → system, system → lexoffice."""
    return (
        SectionReport(adapter.name, IMPORT_DIRECTION),
        SectionReport(adapter.name, EXPORT_DIRECTION),
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


def report_plan(
    sections: Sections, adapter: EntityAdapter, plan: Plan, system: SystemSide, label: Labeler
) -> None:
    """The plan's problems and counts, the same for a run and for its dry run."""
    report_plan_problems(plan, adapter, sections, label)
    report_missing_links(plan, sections[0], label)
    count_plan(plan, sections, system.held_back)


def describe_entity_plan(
    adapter: EntityAdapter,
    plan: Plan,
    system: SystemSide,
    lexoffice: LexofficeSide,
    delete_in_lexoffice: bool = False,
) -> Sections:
    """What a run would do, counted as if it succeeded (dry run: nothing is written)."""
    importing, exporting = sections = new_sections(adapter)
    report_plan(sections, adapter, plan, system, make_labeler(adapter, system, lexoffice))
    importing.count("created", len(plan.system_creates))
    importing.count("updated", len(plan.system_updates))
    exporting.count("created", len(plan.lexoffice_creates))
    exporting.count("updated", len(plan.lexoffice_updates))
    importing.count("linked", len(plan.new_links))
    count_archive_changes(plan, importing)
    if delete_in_lexoffice:
        deletes = [m for m in plan.missing_links if m.vanished_from == "system"]
        exporting.count("deleted", len(deletes))
    return importing, exporting


def report_plan_problems(
    plan: Plan, adapter: EntityAdapter, sections: Sections, label: Labeler
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


def count_plan(plan: Plan, sections: Sections, held_back: int) -> None:
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
