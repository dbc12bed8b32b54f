"""Load: apply one entity's plan to both sides (or, in a dry run, only describe it).

`MasterDataLoad` runs the steps in their order, each a method of its own:

1. `settle_pending`: earlier creates whose outcome is unknown are linked when found in
   lexoffice, held otherwise (`tasks.sync.pending`), before anything is created again;
2. `report_plan`: the plan's problems and counts go into the report;
3. `link_and_refresh`: first-time links, agreed bases and vanished links in the system;
4. `write_lexoffice`: creates, then updates (each saved at once), then opt-in deletes; a
   stale version (409) goes to `_on_conflict`: read again, decide again, apply the system half
   of the new decision, write again;
5. `write_system`: records new from lexoffice, then fields lexoffice changed.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session, sessionmaker

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import VersionConflictError
from tasks.diff.plan import LexofficeUpdate, Plan
from tasks.diff.settings import DiffSettings
from tasks.progress import Progress
from tasks.sync import plan_report
from tasks.sync.entities import EntityAdapter
from tasks.sync.extract import LexofficeSide, SystemSide
from tasks.sync.journal import record_open_issues
from tasks.sync.load_lexoffice import LexofficeLoader
from tasks.sync.load_system import SystemLoader
from tasks.sync.pending import Settling, settle_pending_creates
from tasks.sync.plan import redecide
from tasks.sync.plan_report import Sections, describe_entity_plan, make_labeler, new_sections

# Writes of one record per run: one changed in lexoffice again and again meanwhile is reported
# and left to the next run.
MAX_CONFLICT_RETRIES = 3


class MasterDataLoad:
    """One entity's plan applied to lexoffice and the system, step by step (see the module)."""

    def __init__(
        self,
        client: LexofficeClient,
        sessions: sessionmaker[Session],
        adapter: EntityAdapter,
        system: SystemSide,
        lexoffice: LexofficeSide,
        settings: DiffSettings,
        run_id: str,
        delete_in_lexoffice: bool = False,
    ) -> None:
        """`delete_in_lexoffice`: delete the lexoffice records of linked records deleted in
        the system (only ever for articles, and only when the connection's setting says so)."""
        self.sessions, self.adapter, self.settings = sessions, adapter, settings
        self.system, self.delete_in_lexoffice = system, delete_in_lexoffice
        self.sections = importing, self.exporting = new_sections(adapter)
        self.label = make_labeler(adapter, system, lexoffice)
        remote = lexoffice.remote
        versions = dict(zip(remote["lexoffice_id"], remote["version"], strict=True))
        self.into_system = SystemLoader(sessions, adapter, run_id, importing, versions, self.label)
        self.into_lexoffice = LexofficeLoader(
            client, sessions, adapter, run_id, self.exporting, lexoffice.raw, self.label
        )
        self.settling = Settling(
            client,
            sessions,
            adapter,
            section=self.exporting,
            confirmer=self.into_lexoffice,
            wait_seconds=settings.recreate_unconfirmed_after_seconds,
        )

    def run(self, plan: Plan) -> Sections:
        """Every step in order; returns the entity's report sections."""
        plan = self.settle_pending(plan)
        self.report_plan(plan)
        self.link_and_refresh(plan)
        self.write_lexoffice(plan)
        self.write_system(plan)
        return self.sections

    def settle_pending(self, plan: Plan) -> Plan:
        """Earlier creates with an unknown outcome: found ones are linked, not created twice."""
        return settle_pending_creates(self.settling, plan)

    def report_plan(self, plan: Plan) -> None:
        """The plan's conflicts, skips, errors and counts, as its dry run reports them."""
        plan_report.report_plan(self.sections, self.adapter, plan, self.system, self.label)

    def link_and_refresh(self, plan: Plan) -> None:
        """Links and bases first: the writes that follow start from them."""
        self.into_system.link_and_refresh(plan)

    def write_lexoffice(self, plan: Plan) -> None:
        """Creates, then updates, one paced request each; every success is saved at once."""
        total = len(plan.lexoffice_creates) + len(plan.lexoffice_updates)
        progress = Progress(total, f"{self.adapter.name}: writing to lexoffice")
        for create in plan.lexoffice_creates:
            self.into_lexoffice.create(create)
            progress.advance()
        self.into_lexoffice.learn_numbers()
        for update in plan.lexoffice_updates:
            label = self.label(update.local_id, update.lexoffice_id)
            self.into_lexoffice.guarded(self._update, update, label)
            progress.advance()
        if self.delete_in_lexoffice:
            self.into_lexoffice.delete_vanished(plan)

    def write_system(self, plan: Plan) -> None:
        """Last: records new from lexoffice, then the fields lexoffice changed."""
        self.into_system.create_and_update(plan)

    def _update(self, update: LexofficeUpdate, attempt: int = 0) -> None:
        try:
            self.into_lexoffice.update(update)
        except VersionConflictError as stale:
            self._on_conflict(update, attempt, stale)

    def _on_conflict(
        self, update: LexofficeUpdate, attempt: int, stale: VersionConflictError
    ) -> None:
        """Someone changed the record meanwhile: read it again, decide again (its conflicts go
        into the report), apply the system half of the new decision, write the rest again.

        After `MAX_CONFLICT_RETRIES` stale writes the last 409 is the record's failure: it was
        changed again at every write, and the next run reads it anew."""
        if attempt + 1 >= MAX_CONFLICT_RETRIES:
            raise stale
        fresh = self.into_lexoffice.reread(update.lexoffice_id)
        again = redecide(self.sessions, self.adapter, self.settings, update.local_id, fresh)
        both_ways = (self.exporting, self.exporting)  # all of it arose from this export
        plan_report.report_plan_problems(again, self.adapter, both_ways, self.label)
        self.into_system.link_and_refresh(again)
        self.into_system.apply_updates(again.system_updates)
        for next_update in again.lexoffice_updates:
            self._update(next_update, attempt + 1)


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
    """The plain-function load the flow's task and the chosen-records sync both run."""
    load = MasterDataLoad(
        client, sessions, adapter, system, lexoffice, settings, run_id, delete_in_lexoffice
    )
    return load.run(plan)


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
