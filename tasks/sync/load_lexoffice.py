"""Load into lexoffice: create and update contacts or articles, one paced request each.

Rules a craftsman business can trust:
- a write starts from the current lexoffice record and changes only the fields lexsync
  manages (`EntitySide.write_body`);
- a stale version (409) is re-read and the record decided again (`Redecide`), never
  overwritten blindly, at most `MAX_CONFLICT_RETRIES` times;
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
    VersionConflictError,
)
from connectors.lexoffice.models import ActionResult
from connectors.lexoffice.writability import ContactNotWritableError
from tasks import error_text
from tasks.diff.plan import LexofficeCreate, LexofficeUpdate, MissingLink, Plan
from tasks.progress import Progress
from tasks.report import Problem, SectionReport
from tasks.sync import pending
from tasks.sync.customer_numbers import CustomerNumbers
from tasks.sync.entities import EntitySide, raw
from tasks.sync.journal import journal, store_link
from tasks.sync.lookup import find_created
from tasks.sync.plan import Labeler, report_plan_problems

MAX_CONFLICT_RETRIES = 3
EXPORT = SyncDirection.EXPORT
Redecide = Callable[[Any, dict[str, Any]], Plan]


class LexofficeLoader:
    """Applies the lexoffice half of a plan for one entity."""

    def __init__(
        self,
        client: LexofficeClient,
        sessions: sessionmaker[Session],
        side: EntitySide,
        run_id: str,
        section: SectionReport,
        raws: pd.Series,
        redecide: Redecide,
        on_system_plan: Callable[[Plan], None],
        label: Labeler,
    ) -> None:
        self.client, self.sessions, self.side, self.run_id = client, sessions, side, run_id
        self.section, self.raws, self.label = section, raws, label
        self.redecide, self.on_system_plan = redecide, on_system_plan
        self.numbers = CustomerNumbers()

    def delete_vanished(self, plan: Plan) -> None:
        """Delete the articles of products or activities deleted in the system (opt-in)."""
        for missing in plan.missing_links:
            if missing.vanished_from == "system":
                label = f"{self.label(None, missing.lexoffice_id)}, im System gelöscht"
                self._guarded(self._delete, missing, label)

    def _delete(self, missing: MissingLink) -> None:
        self.client.delete_article(missing.lexoffice_id)
        with self.sessions.begin() as session:
            entity, local_id = self.side.entity, missing.local_id
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

    def apply(self, plan: Plan) -> None:
        total = len(plan.lexoffice_creates) + len(plan.lexoffice_updates)
        progress = Progress(total, f"{self.side.name}: writing to lexoffice")
        for create in plan.lexoffice_creates:
            self._guarded(self._create, create, self.side.label(create.values, create.local_id))
            progress.advance()
        self.numbers.learn(self.client, self.sessions, len(self.raws), self.section)
        for update in plan.lexoffice_updates:
            self._guarded(self._update, update, self.label(update.local_id, update.lexoffice_id))
            progress.advance()

    def _guarded(self, write: Callable[[Any], None], item: Any, label: str) -> None:
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
        body = self.side.write_body(None, create.values)
        pending.mark(self.sessions, self.side, create, self.run_id)
        try:
            result = self.side.create_remote(self.client, body)
        except OutcomeUnknownError:
            result = self._look_up_lost_create(create)
        except (LexofficeError, ValueError):
            # Refused, or never reached lexoffice: nothing was created.
            pending.drop(self.sessions, self.side, create.local_id)
            raise
        self.confirm_create(create.local_id, result, create.base, create.values)

    def _look_up_lost_create(self, create: LexofficeCreate) -> ActionResult:
        found = find_created(self.client, self.sessions, self.side, create.values)
        if found is None:
            raise LexofficeError(
                "POST",
                "(create)",
                None,
                "lexoffice hat das Anlegen nicht bestätigt und der Datensatz ist (noch) nicht "
                "da; der nächste Lauf sucht ihn erst, bevor er etwas anlegt",
            )
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
        if self.side.entity == SyncEntity.CUSTOMER:
            self.numbers.created(local_id, result)
        self.section.count("created")

    def _update(self, update: LexofficeUpdate, attempt: int = 0) -> None:
        current = self.raws.get(update.lexoffice_id)
        fields = {change.field: change.new for change in update.changes}
        body = self.side.write_body(current, fields)
        try:
            result = self.side.update_remote(self.client, update.lexoffice_id, body)
        except VersionConflictError:
            self._on_conflict(update, attempt)
            return
        before = {change.field: change.old for change in update.changes}
        self._persist(SyncAction.UPDATE, update.local_id, result, update.new_base, before, fields)
        self.section.count("updated")

    def _on_conflict(self, update: LexofficeUpdate, attempt: int) -> None:
        """Someone changed the record meanwhile: read it again and decide again."""
        if attempt + 1 >= MAX_CONFLICT_RETRIES:
            raise LexofficeError("PUT", "(update)", 409, "in lexoffice immer wieder geändert")
        fresh = raw(self.side.get_remote(self.client, update.lexoffice_id))
        self.raws[update.lexoffice_id] = fresh
        again = self.redecide(update.local_id, fresh)
        report_plan_problems(again, self.side, (self.section, self.section), self.label)
        self.on_system_plan(again)
        for next_update in again.lexoffice_updates:
            self._update(next_update, attempt + 1)

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
            store_link(session, self.side.entity, local_id, result.id, result.version, base)
            queries.drop_pending_create(session, self.side.entity, local_id)
            journal(
                session,
                self.run_id,
                self.side.entity,
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
