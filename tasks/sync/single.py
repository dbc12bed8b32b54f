"""Syncing a few chosen customers with exactly the full sync's rules (shared code, no copy).

Used where one record must be current now: a document's customer (import), a work report's
customer before its invoice (export), a contact a webhook named. The chosen records are
diffed against the same links, settings and conflict policy as in the full sync, and the plan
is narrowed to them, so nothing else is created, updated or reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import NotFoundError
from tasks import error_text, report_text
from tasks.diff.plan import Plan
from tasks.mapping.remote import NotSynced, RemoteRecord
from tasks.mapping.tables import local_frame, remote_frame
from tasks.report import Problem, RunReport
from tasks.settings import SyncSettings
from tasks.sync.entities import CUSTOMERS, EntityAdapter, raw
from tasks.sync.extract import LexofficeSide, SystemSide, Unreadable, read_system_side
from tasks.sync.load import apply_entity_plan
from tasks.sync.plan import decide_entity, diff_settings_for
from tasks.sync.plan_report import Sections, describe_entity_plan
from tasks.sync.system_records import to_canonical_row

PLANNED_CUSTOMER_ID = -1  # a dry run's stand-in for the id a customer it would create gets


def import_contacts(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    lexoffice_ids: list[str],
    run_id: str,
    report: RunReport,
    dry_run: bool = False,
) -> dict[str, int]:
    """Import or update these lexoffice contacts; returns lexoffice id → local customer id.

    `dry_run` reports the same plan without writing; a customer it would create is returned
    as `PLANNED_CUSTOMER_ID`."""
    wanted = set(lexoffice_ids)
    lexoffice = _fetch_contacts(client, wanted, report)
    return import_chosen(
        sessions, client, settings, CUSTOMERS, wanted, lexoffice, run_id, report, dry_run
    )


def import_chosen(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    adapter: EntityAdapter,
    wanted: set[str],
    lexoffice: LexofficeSide,
    run_id: str,
    report: RunReport,
    dry_run: bool = False,
) -> dict[str, int]:
    """Apply these lexoffice records (already read) of one entity exactly as the full sync
    would; a wanted id missing from `lexoffice` is a record gone from lexoffice (its link is
    marked, as by the full sync). Returns lexoffice id → local id of the wanted records
    (`dry_run`: the plan reported, nothing written, the links it would leave)."""
    with sessions.begin() as session:
        system = read_system_side(session, adapter)
    chosen_links = system.links["lexoffice_id"].isin(wanted)
    # Records linked to other lexoffice records are left out: they must not match the chosen.
    others = set(system.links.loc[~chosen_links, "local_id"])
    system = _narrow_system(system, chosen_links, others)
    plan = _narrow_plan(_diff(adapter, system, lexoffice, settings), "lexoffice_id", wanted)
    if dry_run:
        _merge(report, describe_entity_plan(adapter, plan, system, lexoffice))
        return planned_links(plan, system)
    _apply(client, sessions, adapter, plan, system, lexoffice, settings, run_id, report)
    links = _links(sessions, adapter)
    return {
        lexoffice_id: local_id for local_id, lexoffice_id in links.items() if lexoffice_id in wanted
    }


def export_customers(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    local_ids: list[int],
    run_id: str,
    report: RunReport,
) -> dict[int, str]:
    """Export these system customers to lexoffice; returns local id → lexoffice id."""
    wanted = set(local_ids)
    with sessions.begin() as session:
        system = read_system_side(session, CUSTOMERS)
    system, lexoffice, plan = _export_plan(client, system, wanted, settings, report)
    _apply(client, sessions, CUSTOMERS, plan, system, lexoffice, settings, run_id, report)
    return {
        local_id: lexoffice_id
        for local_id, lexoffice_id in _links(sessions, CUSTOMERS).items()
        if local_id in wanted
    }


def describe_new_customer_exports(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    rows: list[dict[str, Any]],
    report: RunReport,
) -> None:
    """What `export_customers` would do with customers not in the system yet (a dry run's
    would-be customers: column values with a stand-in `id`), reported, nothing written."""
    with sessions.begin() as session:
        system = read_system_side(session, CUSTOMERS)
    planned = local_frame(CUSTOMERS.spec, [to_canonical_row(CUSTOMERS.spec, row) for row in rows])
    system = SystemSide(local=planned, links=system.links, held_back=0)
    wanted = {row["id"] for row in rows}
    system, lexoffice, plan = _export_plan(client, system, wanted, settings, report)
    _merge(report, describe_entity_plan(CUSTOMERS, plan, system, lexoffice))


def _export_plan(
    client: LexofficeClient,
    system: SystemSide,
    wanted: set[Any],
    settings: SyncSettings,
    report: RunReport,
) -> tuple[SystemSide, LexofficeSide, Plan]:
    """The export plan of the chosen customers, against the contacts they could match."""
    chosen_links = system.links["local_id"].isin(wanted)
    taken = set(system.links.loc[~chosen_links, "lexoffice_id"])  # linked to other customers
    others = set(system.local["local_id"]) - wanted
    system = _narrow_system(system, chosen_links, others)
    candidates = (_match_candidates(client, system.local) - taken) | set(
        system.links["lexoffice_id"]
    )
    lexoffice = _fetch_contacts(client, candidates, report)
    plan = _narrow_plan(_diff(CUSTOMERS, system, lexoffice, settings), "local_id", wanted)
    return system, lexoffice, plan


def planned_links(plan: Plan, system: SystemSide) -> dict[str, int]:
    """lexoffice id → local customer id as the plan, once applied, would leave them."""
    linked = dict(zip(system.links["lexoffice_id"], system.links["local_id"], strict=True))
    linked |= {link.lexoffice_id: link.local_id for link in plan.new_links}
    linked |= {create.lexoffice_id: PLANNED_CUSTOMER_ID for create in plan.system_creates}
    return {str(k): int(v) for k, v in linked.items()}


def _fetch_contacts(
    client: LexofficeClient, ids: Iterable[str], report: RunReport
) -> LexofficeSide:
    """GET each contact (a webhook or a document names only its id). An unreadable one is
    reported here and kept as `unreadable`: a customer linked to it sits the run out."""
    records: list[RemoteRecord[Any]] = []
    raws: dict[str, dict[str, Any]] = {}
    unreadable: list[Unreadable] = []
    section = report.section(CUSTOMERS.name, "lexoffice → system")
    for lexoffice_id in sorted(ids):
        label = report_text.record("contact", lexoffice_id)
        try:
            contact = raw(CUSTOMERS.get_remote(client, lexoffice_id))
        except NotFoundError:
            section.add_problem(Problem("skip", label, "nicht (mehr) in lexoffice"))
            continue
        except ValidationError as error:  # edited into a shape the API documents nowhere
            where = ".".join(str(part) for part in error.errors()[0]["loc"])
            why = error_text.unreadable(error.errors()[0])
            message = f"lexoffice schickte einen Datensatz, den lexsync nicht lesen kann: {why}"
            section.add_problem(Problem("error", label, message, where))
            unreadable.append(Unreadable(lexoffice_id, where, message))
            continue
        record = CUSTOMERS.read_remote(contact)
        if isinstance(record, NotSynced):
            section.add_problem(Problem("skip", label, record.reason))
            continue
        records.append(record)
        raws[record.lexoffice_id] = contact
    remote = remote_frame(CUSTOMERS.spec, records)
    return LexofficeSide(remote, pd.Series(raws, dtype=object), 0, unreadable)


def _match_candidates(client: LexofficeClient, local: pd.DataFrame) -> set[str]:
    """lexoffice contacts a first-time link could match: same customer number or e-mail."""
    found: set[str] = set()
    for row in local.itertuples(index=False):
        if isinstance(row.customer_number, str):
            found |= {str(c.id) for c in client.iter_contacts(number=int(row.customer_number))}
        if isinstance(row.email, str) and len(row.email) >= 3:
            found |= {str(c.id) for c in client.iter_contacts(email=row.email, customer=True)}
    return found


def _narrow_system(system: SystemSide, keep_links: pd.Series, drop_local: set[Any]) -> SystemSide:
    local = system.local.loc[~system.local["local_id"].isin(drop_local)]
    return SystemSide(local=local, links=system.links.loc[keep_links], held_back=0)


def _diff(
    adapter: EntityAdapter, system: SystemSide, lexoffice: LexofficeSide, settings: SyncSettings
) -> Plan:
    return decide_entity(adapter, system, lexoffice, diff_settings_for(settings, adapter))


_PLAN_PARTS = (
    "system_creates",
    "lexoffice_creates",
    "system_updates",
    "lexoffice_updates",
    "new_links",
    "base_refreshes",
    "conflicts",
    "skips",
    "errors",
    "missing_links",
)


def _narrow_plan(plan: Plan, key: str, chosen: set[Any]) -> Plan:
    """Only what concerns the chosen records: nothing else is created or reported."""
    narrowed = Plan(entity=plan.entity)
    for part in _PLAN_PARTS:
        items = [item for item in getattr(plan, part) if getattr(item, key, None) in chosen]
        setattr(narrowed, part, items)
    return narrowed


def _apply(
    client: LexofficeClient,
    sessions: sessionmaker[Session],
    adapter: EntityAdapter,
    plan: Plan,
    system: SystemSide,
    lexoffice: LexofficeSide,
    settings: SyncSettings,
    run_id: str,
    report: RunReport,
) -> None:
    diff_settings = diff_settings_for(settings, adapter)
    sections = apply_entity_plan(
        client, sessions, adapter, plan, system, lexoffice, diff_settings, run_id
    )
    _merge(report, sections)


def _merge(report: RunReport, sections: Sections) -> None:
    for section in sections:
        target = report.section(section.entity, section.direction)
        target.counts.update(section.counts)
        target.problems += section.problems


def _links(sessions: sessionmaker[Session], adapter: EntityAdapter) -> dict[int, str]:
    with sessions.begin() as session:
        rows = queries.link_rows(session, adapter.entity)
    return {row["local_id"]: str(row["lexoffice_id"]) for row in rows}
