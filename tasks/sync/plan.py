"""Decide: what to do for one entity, as a plan; writes nothing and reports nothing.

What a plan means for the run's report (its problems, its counts) is `tasks.sync.plan_report`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from prefect import task
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import LinkStatus
from tasks.diff.engine import diff_records
from tasks.diff.plan import Plan, PlanError
from tasks.diff.settings import DiffSettings
from tasks.mapping.remote import NotSynced
from tasks.mapping.tables import links_frame, local_frame, remote_frame
from tasks.settings import SyncSettings
from tasks.sync.entities import EntityAdapter, system_row
from tasks.sync.extract import LexofficeSide, SystemSide, link_for_diff
from tasks.sync.storable import hold_back_unstorable
from tasks.sync.system_records import to_canonical_row


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
    """Three-way diff of the entity against the values as last synced; the lexoffice records
    that could not be read become the plan's errors (the report names each)."""
    plan = decide_entity(adapter, system, lexoffice, settings)
    plan.errors += [
        PlanError(u.reason, u.field, lexoffice_id=u.lexoffice_id) for u in lexoffice.unreadable
    ]
    return plan


def decide_entity(
    adapter: EntityAdapter, system: SystemSide, lexoffice: LexofficeSide, settings: DiffSettings
) -> Plan:
    """The plan for one entity, by the full sync's rules and guards (plain function: the flow's
    `plan_changes` and the sync of chosen records in `tasks.sync.single` both decide with it).

    A system record linked to a lexoffice record that could not be read sits this run out:
    otherwise the diff would take the lexoffice record for deleted (and mark the link) or,
    without its link, export the system record a second time. Values the system database
    could not store are held back (`hold_back_unstorable`).
    """
    local, links = _without_unreadable(system, lexoffice)
    plan = diff_records(adapter.spec, local, lexoffice.remote, links, settings)
    hold_back_unstorable(plan, adapter, local)
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


def redecide(
    sessions: sessionmaker[Session],
    adapter: EntityAdapter,
    settings: DiffSettings,
    local_id: Any,
    fresh: dict[str, Any],
) -> Plan:
    """One record decided again from its fresh lexoffice state (after a 409)."""
    with sessions.begin() as session:
        row = system_row(session, adapter, local_id)
        link_row = _link_row(queries.get_link(session, adapter.entity, local_id))
    local = local_frame(adapter.spec, [to_canonical_row(adapter.spec, row)] if row else [])
    record = adapter.read_remote(fresh)
    remote = remote_frame(adapter.spec, [] if isinstance(record, NotSynced) else [record])
    links = links_frame(adapter.spec, [link_row] if link_row else [])
    return diff_records(adapter.spec, local, remote, links, settings)


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
