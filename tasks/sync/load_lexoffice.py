"""Load into lexoffice: create and update contacts or articles, one paced request each.

Rules a craftsman business can trust:
- a write starts from the current lexoffice record and changes only the fields lexsync
  manages (`EntityAdapter.write_body`);
- a stale version (409) is never overwritten blindly: `update` raises it, and the load
  (`tasks.sync.load.MasterDataLoad._on_conflict`) re-reads the record (`reread`) and decides
  it again;
- a create is marked as pending (committed) before it is sent; a create whose answer was lost
  (`OutcomeUnknownError`) is looked up before anything is sent again (`find_created`), and a
  marker left by a lost answer or a killed worker is settled by the next run before it
  creates anything (`tasks.sync.pending`);
- every success is written to the system database at once (link, version, base, journal), so
  a crash between two writes loses nothing and the next run does not repeat it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import LinkStatus, SyncAction, SyncDirection, SyncEntity
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import (
    CredentialsError,
    LexofficeError,
    OutcomeUnknownError,
    ValidationError,
)
from connectors.lexoffice.models import ActionResult
from connectors.lexoffice.writability import ContactNotWritableError
from tasks import error_text
from tasks.diff.plan import LexofficeCreate, LexofficeUpdate, MissingLink, Plan
from tasks.report import Problem, SectionReport
from tasks.sync import pending
from tasks.sync.customer_numbers import CustomerNumbers
from tasks.sync.entities import EntityAdapter, RawRecord, raw
from tasks.sync.journal import journal, store_link
from tasks.sync.lookup import find_created
from tasks.sync.plan_report import Labeler

EXPORT = SyncDirection.EXPORT


class LexofficeLoader:
    """Writes one entity's records to lexoffice, one record a call; the order of the writes
    and what a stale version (409) leads to are `tasks.sync.load.MasterDataLoad`'s."""

    def __init__(
        self,
        client: LexofficeClient,
        sessions: sessionmaker[Session],
        adapter: EntityAdapter,
        run_id: str,
        section: SectionReport,
        raws: pd.Series,
        label: Labeler,
    ) -> None:
        self.client, self.sessions, self.adapter, self.run_id = client, sessions, adapter, run_id
        self.section, self.raws, self.label = section, raws, label
        self.numbers = CustomerNumbers()

    def delete_vanished(self, plan: Plan) -> None:
        """Delete the articles of products or activities deleted in the system (opt-in)."""
        for missing in plan.missing_links:
            if missing.vanished_from == "system":
                label = f"{self.label(None, missing.lexoffice_id)}, im System gelöscht"
                self.guarded(self._delete, missing, label)

    def _delete(self, missing: MissingLink) -> None:
        self.client.delete_article(missing.lexoffice_id)
        with self.sessions.begin() as session:
            entity, local_id = self.adapter.entity, missing.local_id
            queries.set_link_status(session, entity, [local_id], LinkStatus.DELETED_IN_LEXOFFICE)
            journal(
                session,
                self.run_id,
                entity,
                EXPORT,
                SyncAction.MARK,
                local_id=local_id,
                lexoffice_id=missing.lexoffice_id,
                before=None,
                after={"deleted_in_lexoffice": True},
            )
        self.section.count("deleted")

    def create(self, create: LexofficeCreate) -> None:
        """One create; its failure is reported and the others go on."""
        self.guarded(self._create, create, self.adapter.label(create.values, create.local_id))

    def learn_numbers(self) -> None:
        """The customer numbers lexoffice gave the contacts just created (`CustomerNumbers`)."""
        self.numbers.learn(self.client, self.sessions, len(self.raws), self.section)

    def guarded(self, write: Callable[[Any], None], item: Any, label: str) -> None:
        """One record's write; its failure is reported and the others go on."""
        ids = {"local_id": getattr(item, "local_id", None)}
        ids["lexoffice_id"] = getattr(item, "lexoffice_id", None)
        try:
            write(item)
        except CredentialsError:
            raise  # a revoked key stops the run: every further request would fail the same way
        except ContactNotWritableError as error:
            for waiting in _waiting_changes(item):
                message = error_text.reason(error)
                self.section.add_problem(Problem("skip", label, message, **waiting, **ids))
        except ValidationError as error:
            problem = Problem("error", label, _refusal(error), _field(error), **ids)
            self.section.add_problem(problem)
        except (LexofficeError, ValueError) as error:
            self.section.add_problem(Problem("error", label, error_text.message(error), **ids))

    def _create(self, create: LexofficeCreate) -> None:
        body = self.adapter.write_body(None, create.values)
        pending.mark(self.sessions, self.adapter, create, self.run_id)
        try:
            result = self.adapter.create_remote(self.client, body)
        except OutcomeUnknownError as unknown:
            result = self._look_up_lost_create(create, unknown)
        except (LexofficeError, ValueError):
            # Refused, or never reached lexoffice: nothing was created.
            pending.drop(self.sessions, self.adapter, create.local_id)
            raise
        self.confirm_create(create.local_id, result, create.base, create.values)

    def _look_up_lost_create(
        self, create: LexofficeCreate, unknown: OutcomeUnknownError
    ) -> ActionResult:
        """The record the lost POST may have created; not found (yet), the unknown outcome is
        the record's failure and its pending marker makes the next run look first."""
        found = find_created(self.client, self.sessions, self.adapter, create.values)
        if found is None:
            raise unknown
        return found

    def confirm_create(
        self,
        local_id: int,
        result: ActionResult,
        base: dict[str, Any],
        sent: dict[str, Any],
    ) -> None:
        """The record exists in lexoffice: link it, journal the create, drop its marker."""
        base = dict(base)
        self._persist(SyncAction.CREATE, local_id, result, base, None, sent)
        if self.adapter.entity == SyncEntity.CUSTOMER:
            self.numbers.created(local_id, result)
        self.section.count("created")

    def update(self, update: LexofficeUpdate) -> None:
        """PUT the changed fields onto the record as last read; saved at once.

        Raises `VersionConflictError` when lexoffice holds a newer version (the caller reads
        it again and decides again)."""
        current = self.raws.get(update.lexoffice_id)
        fields = {change.field: change.new for change in update.changes}
        body = self.adapter.write_body(current, fields)
        result = self.adapter.update_remote(self.client, update.lexoffice_id, body)
        before = {change.field: change.old for change in update.changes}
        self._persist(SyncAction.UPDATE, update.local_id, result, update.new_base, before, fields)
        self.section.count("updated")

    def reread(self, lexoffice_id: str) -> RawRecord:
        """The record as lexoffice holds it now; later writes start from it."""
        fresh = raw(self.adapter.get_remote(self.client, lexoffice_id))
        self.raws[lexoffice_id] = fresh
        return fresh

    def _persist(
        self,
        action: SyncAction,
        local_id: int,
        result: ActionResult,
        base: dict[str, Any],
        before: dict[str, Any] | None,
        after: dict[str, Any],
    ) -> None:
        with self.sessions.begin() as session:
            store_link(session, self.adapter.entity, local_id, result.id, result.version, base)
            queries.drop_pending_create(session, self.adapter.entity, local_id)
            journal(
                session,
                self.run_id,
                self.adapter.entity,
                EXPORT,
                action,
                local_id=local_id,
                lexoffice_id=result.id,
                before=before,
                after=after,
            )


def _waiting_changes(item: Any) -> list[dict[str, Any]]:
    """Each field a refused update would have changed, with its value on each side."""
    if not isinstance(item, LexofficeUpdate):
        return [{}]
    return [
        {"field": c.field, "system_value": c.new, "lexoffice_value": c.old} for c in item.changes
    ]


def _refusal(error: ValidationError) -> str:
    details = "; ".join(f"{d.field}: {d.message or d.violation}" for d in error.details)
    return f"lexoffice lehnte ihn ab: {details or error}"


def _field(error: ValidationError) -> str | None:
    fields = [detail.field for detail in error.details if detail.field]
    return ", ".join(fields) or None
