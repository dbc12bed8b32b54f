"""The master-data sync: customers, products and activities (Tätigkeiten), both ways."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from prefect import flow
from prefect.utilities.annotations import quote
from sqlalchemy.orm import Session, sessionmaker

from flows.parameters import (
    connection_parameter,
    directions_parameter,
    dry_run_parameter,
    parameter,
)
from tasks.diff.plan import Plan
from tasks.report import RunReport, SectionReport
from tasks.run import Frame, Run, run_job
from tasks.settings import DirectionOverrides, SyncSettings
from tasks.sync.entities import ADAPTERS, ENTITY_NAMES, EntityAdapter, EntityName
from tasks.sync.extract import (
    LexofficeReader,
    extract_lexoffice_records,
    extract_system_records,
)
from tasks.sync.load import apply_changes, describe_changes
from tasks.sync.plan import diff_settings_for, plan_changes
from tasks.sync.single import planned_links


@flow(name="master-data-sync")
def sync_master_data(
    connection: str = connection_parameter(),
    entities: list[EntityName] | None = parameter(
        "Bereiche",
        "Leer lassen für alle; sonst eine Auswahl aus customers (Kunden), products "
        "(Material) und activities (Tätigkeiten).",
        None,
    ),
    dry_run: bool = dry_run_parameter(),
    directions: DirectionOverrides | None = directions_parameter(),
) -> RunReport:
    """Bring customers, products and activities in step between the system and lexoffice.

    Each entity: extract both sides → three-way diff against the values as last synced →
    load (lexoffice first, each write saved at once, then the system). `dry_run` computes and
    shows the plan and writes nothing; `directions` overrides the connection's switches for
    this run only. An entity that fails is reported; the next one still runs.
    """
    title = f"Master-data sync of {connection}"

    def steps(run: Run) -> None:
        sync_entities(run, entities or ENTITY_NAMES, directions)

    return run_job(connection, "master-data", title, steps, Frame(dry_run=dry_run))


def sync_entities(
    run: Run, entities: Sequence[EntityName], directions: DirectionOverrides | None
) -> None:
    """Each entity in turn, each a part of the run of its own (its failure ends it alone).

    One article listing serves products and activities (`LexofficeReader`).
    """
    settings = run.settings.with_overrides(directions)
    with LexofficeReader(run.client, [ADAPTERS[name] for name in entities]) as reader:
        for name in entities:
            with run.part(name):
                links = run.planned_links if name == "customers" else None
                sections = sync_entity(
                    reader, run.sessions, ADAPTERS[name], settings, run.dry_run, run.run_id, links
                )
                run.report.sections += sections


def sync_entity(
    reader: LexofficeReader,
    sessions: sessionmaker[Session],
    adapter: EntityAdapter,
    settings: SyncSettings,
    dry_run: bool,
    run_id: str,
    would_link: dict[str, int] | None = None,
) -> list[SectionReport]:
    """extract → diff → load for one entity; returns its report sections.

    `would_link` (dry run): filled with the links the plan would make."""
    system = extract_system_records(sessions, adapter)
    lexoffice = extract_lexoffice_records(reader, adapter)
    diff_settings = diff_settings_for(settings, adapter)
    # quote(): Prefect would otherwise walk every planned change when passing the plan on.
    diffed = plan_changes(adapter, system, lexoffice, diff_settings)
    plan = cast(Plan, quote(diffed))
    deletes = settings.delete_articles_in_lexoffice and adapter.name != "customers"
    if dry_run:
        if would_link is not None:
            would_link.update(planned_links(diffed, system))
        return list(describe_changes(adapter, plan, system, lexoffice, deletes))
    sections = apply_changes(
        reader.client, sessions, adapter, plan, system, lexoffice, diff_settings, run_id, deletes
    )
    return list(sections)
