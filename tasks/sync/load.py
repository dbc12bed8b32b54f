"""Load: apply one entity's plan to both sides (or, in a dry run, only describe it)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session, sessionmaker

from connectors.lexoffice.client import LexofficeClient
from tasks.diff.plan import Plan
from tasks.diff.settings import DiffSettings
from tasks.report import SectionReport
from tasks.sync.entities import EntityAdapter
from tasks.sync.extract import LexofficeSide, SystemSide
from tasks.sync.journal import record_open_issues
from tasks.sync.load_lexoffice import LexofficeLoader
from tasks.sync.load_system import SystemLoader
from tasks.sync.pending import settle_pending_creates
from tasks.sync.plan import (
    EXPORT_DIRECTION,
    IMPORT_DIRECTION,
    count_archive_changes,
    count_plan,
    make_labeler,
    redecider,
    report_missing_links,
    report_plan_problems,
)

Sections = tuple[SectionReport, SectionReport]


def new_sections(adapter: EntityAdapter) -> Sections:
    return SectionReport(adapter.name, IMPORT_DIRECTION), SectionReport(
        adapter.name, EXPORT_DIRECTION
    )


def apply_entity_plan(
    client: LexofficeClient,
    sessions: sessionmaker[Session],
    adapter: EntityAdapter,
    plan: Plan,
    system: SystemSide,
    lexoffice: LexofficeSide,
    settings: DiffSettings,
    run_id: str,
    delete_in_lexoffice: bool = False,
) -> Sections:
    """Links first, then lexoffice's writes (each saved at once), then the system's writes.

    `delete_in_lexoffice`: delete the lexoffice records of linked records deleted in the
    system (only ever for articles, and only when the connection's setting says so).
    """
    sections = new_sections(adapter)
    importing, exporting = sections
    versions = dict(zip(lexoffice.remote["lexoffice_id"], lexoffice.remote["version"], strict=True))
    label = make_labeler(adapter, system, lexoffice)
    into_system = SystemLoader(sessions, adapter, run_id, importing, versions, label)

    def apply_redecided(again: Plan) -> None:
        into_system.link_and_refresh(again)
        into_system.apply_updates(again.system_updates)

    redecide = redecider(sessions, adapter, settings)
    into_lexoffice = LexofficeLoader(
        client,
        sessions,
        adapter,
        run_id,
        exporting,
        lexoffice.raw,
        redecide,
        apply_redecided,
        label,
    )
    # Earlier creates with an unknown outcome first: found ones are linked, not created twice.
    plan = settle_pending_creates(into_lexoffice, plan, settings.recreate_unconfirmed_after_seconds)
    _describe(sections, adapter, plan, system, lexoffice)
    into_system.link_and_refresh(plan)
    into_lexoffice.apply(plan)
    if delete_in_lexoffice:
        into_lexoffice.delete_vanished(plan)
    into_system.create_and_update(plan)
    return sections


def record_issues(
    sessions: sessionmaker[Session], adapter: EntityAdapter, sections: Sections, run_id: str
) -> None:
    """The run's failures, conflicts and skips become the open issues (`lexsync status`)."""
    with sessions.begin() as session:
        record_open_issues(session, run_id, adapter.entity, sections)


def describe_entity_plan(
    adapter: EntityAdapter,
    plan: Plan,
    system: SystemSide,
    lexoffice: LexofficeSide,
    delete_in_lexoffice: bool = False,
) -> Sections:
    """What a run would do, counted as if it succeeded (dry run: nothing is written)."""
    importing, exporting = sections = new_sections(adapter)
    _describe(sections, adapter, plan, system, lexoffice)
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


def _describe(
    sections: Sections,
    adapter: EntityAdapter,
    plan: Plan,
    system: SystemSide,
    lexoffice: LexofficeSide,
) -> None:
    """The plan's problems and counts, the same for a run and for its dry run."""
    label = make_labeler(adapter, system, lexoffice)
    report_plan_problems(plan, adapter, sections, label)
    report_missing_links(plan, sections[0], label)
    count_plan(plan, sections, system.held_back)


@task(cache_policy=NO_CACHE)
def apply_changes(
    client: LexofficeClient,
    sessions: sessionmaker[Session],
    adapter: EntityAdapter,
    plan: Plan,
    system: SystemSide,
    lexoffice: LexofficeSide,
    settings: DiffSettings,
    run_id: str,
    delete_in_lexoffice: bool = False,
) -> Sections:
    """Write the plan to lexoffice and the system; returns what was done."""
    sections = apply_entity_plan(
        client, sessions, adapter, plan, system, lexoffice, settings, run_id, delete_in_lexoffice
    )
    record_issues(sessions, adapter, sections, run_id)
    return sections


@task
def describe_changes(
    adapter: EntityAdapter,
    plan: Plan,
    system: SystemSide,
    lexoffice: LexofficeSide,
    delete_in_lexoffice: bool = False,
) -> Sections:
    """Describe the plan without writing anything (dry run)."""
    return describe_entity_plan(adapter, plan, system, lexoffice, delete_in_lexoffice)
