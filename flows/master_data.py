"""The master-data sync: customers, products and activities (Tätigkeiten), both ways."""

from __future__ import annotations

import uuid
from typing import cast

from prefect import flow
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote
from sqlalchemy.orm import Session, sessionmaker

from deployments.connection import load_active_connection
from flows.connection_lock import connection_lock
from flows.process import freeze_imported_objects
from tasks.diff.plan import Plan
from tasks.publish import publish_report
from tasks.report import RunReport, SectionReport
from tasks.resources import lexoffice_client, system_sessions
from tasks.schema import check_system_database
from tasks.settings import DirectionOverrides, SyncSettings
from tasks.sync.entities import ENTITY_NAMES, SIDES, EntityName, EntitySide
from tasks.sync.extract import (
    LexofficeReader,
    extract_lexoffice_records,
    extract_system_records,
)
from tasks.sync.load import apply_changes, describe_changes
from tasks.sync.plan import diff_settings_for, plan_changes


@flow(name="master-data-sync")
def sync_master_data(
    connection: str = "default",
    entities: list[EntityName] | None = None,
    dry_run: bool = False,
    directions: DirectionOverrides | None = None,
) -> RunReport:
    """Bring customers, products and activities in step between the system and lexoffice.

    Each entity: extract both sides → three-way diff against the values as last synced →
    load (lexoffice first, each write saved at once, then the system). `dry_run` computes and
    shows the plan and writes nothing; `directions` overrides the connection's switches for
    this run only.
    """
    freeze_imported_objects()
    conn = load_active_connection(connection)
    settings = conn.settings.with_overrides(directions)
    check_system_database(conn.database_url)
    sessions = system_sessions(conn.database_url)
    report = RunReport(f"Master-data sync of {connection}", dry_run=dry_run)
    with connection_lock(connection), lexoffice_client(conn.lexoffice_settings()) as client:
        names = entities or ENTITY_NAMES
        with LexofficeReader(client, [SIDES[name] for name in names]) as reader:
            for name in names:
                report.sections += sync_entity(reader, sessions, SIDES[name], settings, dry_run)
    publish_report(report, key=f"master-data-{connection}")
    return report


def sync_entity(
    reader: LexofficeReader,
    sessions: sessionmaker[Session],
    side: EntitySide,
    settings: SyncSettings,
    dry_run: bool,
) -> list[SectionReport]:
    """extract → diff → load for one entity; returns its report sections."""
    system = extract_system_records(sessions, side)
    lexoffice = extract_lexoffice_records(reader, side)
    diff_settings = diff_settings_for(settings, side)
    # quote(): Prefect would otherwise walk every planned change when passing the plan on.
    plan = cast(Plan, quote(plan_changes(side, system, lexoffice, diff_settings)))
    deletes = settings.delete_articles_in_lexoffice and side.name != "customers"
    if dry_run:
        return list(describe_changes(side, plan, system, lexoffice, deletes))
    run_id = str(flow_run.id or uuid.uuid4())
    sections = apply_changes(
        reader.client, sessions, side, plan, system, lexoffice, diff_settings, run_id, deletes
    )
    return list(sections)
