"""Load: apply one entity's plan to both sides (or, in a dry run, only describe it)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session, sessionmaker

from connectors.lexoffice.client import LexofficeClient
from tasks.diff.plan import Plan
from tasks.diff.settings import DiffSettings
from tasks.sync.entities import EntityAdapter
from tasks.sync.extract import LexofficeSide, SystemSide
from tasks.sync.journal import record_open_issues
from tasks.sync.load_lexoffice import LexofficeLoader
from tasks.sync.load_system import SystemLoader
from tasks.sync.pending import settle_pending_creates
from tasks.sync.plan import redecider
from tasks.sync.plan_report import (
    Sections,
    describe_entity_plan,
    make_labeler,
    new_sections,
    report_plan,
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
    report_plan(sections, adapter, plan, system, label)
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
