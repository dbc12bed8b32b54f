"""Creates in flight: the marker committed before a lexoffice create, settled by a later run.

lexoffice has no idempotency keys, and a contact or article has no field lexsync could fill
with a reference of its own without changing what the user sees. So before a customer,
product or activity is POSTed, `mark` commits what is sent (`PendingCreate`). The marker is
deleted in the transaction that stores the link, or as soon as lexoffice answered that it did
not perform the call. A marker still there at the start of a run means the outcome was never
learned: an answer lost and the record not found by the immediate look-up, or a worker
killed between the POST and saving the link. `settle_pending_creates` looks each one up in
lexoffice by what was sent (`created_candidates`), before the plan is applied:

- exactly one unlinked lexoffice record equals what was sent → it is linked, as if the
  create had been confirmed; the plan neither creates it again nor imports it as new;
- several → reported by name and held, never created again, and none of them imported as a
  new record: a person deletes the duplicates in lexoffice, the next run links the one left;
- none → held and reported until `recreate_unconfirmed_after_seconds` (the connection's
  setting, default 300 s) have passed since the send; then lexoffice has had ample time to
  show the record, the marker is dropped and the plan's create goes ahead. The same rule as
  the invoices' `resend_after_seconds`. A record a user edited in lexoffice before it was
  found no longer equals what was sent; the diff's first-time matching (customer number,
  e-mail, article number, EAN, name) still links it if one of those is unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.column_types import utc_now
from connectors.fieldservice.models import PendingCreate
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.models import ActionResult
from tasks import report_text
from tasks.diff.plan import LexofficeCreate, Plan
from tasks.report import Problem, SectionReport
from tasks.sync.entities import EntityAdapter
from tasks.sync.lookup import created_candidates


class ConfirmsCreates(Protocol):
    """Stores a create lexoffice performed: the link, the journal entry, the marker dropped."""

    def confirm_create(
        self, local_id: int, result: ActionResult, base: dict[str, Any], sent: dict[str, Any]
    ) -> None: ...


@dataclass(frozen=True)
class Settling:
    """What settling one entity's unconfirmed creates works with, each named.

    The load hands these in; this module never knows the loader itself.
    """

    client: LexofficeClient  # looks lexoffice up for what was sent (`created_candidates`)
    sessions: sessionmaker[Session]  # the markers and the links
    adapter: EntityAdapter
    section: SectionReport  # where a held create is reported (system → lexoffice)
    confirmer: ConfirmsCreates  # links a record found in lexoffice, as if its create answered
    wait_seconds: int  # `recreate_unconfirmed_after_seconds`


def mark(
    sessions: sessionmaker[Session], adapter: EntityAdapter, create: LexofficeCreate, run_id: str
) -> None:
    """Commit that `create` is about to be sent (before the POST leaves)."""
    with sessions.begin() as session:
        queries.mark_pending_create(
            session,
            adapter.entity,
            create.local_id,
            sent_values=create.values,
            base=create.base,
            record_label=adapter.label(create.values, create.local_id),
            run_id=run_id,
            sent_at=utc_now(),
        )


def drop(sessions: sessionmaker[Session], adapter: EntityAdapter, local_id: int) -> None:
    """lexoffice surely did not perform the create: nothing to look for later."""
    with sessions.begin() as session:
        queries.drop_pending_create(session, adapter.entity, local_id)


def settle_pending_creates(settling: Settling, plan: Plan) -> Plan:
    """Link or hold every earlier create whose outcome is unknown; returns the plan to apply."""
    with settling.sessions.begin() as session:
        markers = queries.pending_creates(session, settling.adapter.entity)
        session.expunge_all()
    for marker in markers:
        plan = _settle(settling, plan, marker)
    return plan


def _settle(settling: Settling, plan: Plan, marker: PendingCreate) -> Plan:
    sessions, adapter = settling.sessions, settling.adapter
    if _already_settled(settling, plan, marker.local_id):
        drop(sessions, adapter, marker.local_id)
        return plan
    found = created_candidates(settling.client, sessions, adapter, marker.sent_values)
    if len(found) == 1:
        settling.confirmer.confirm_create(
            marker.local_id, found[0], marker.base, marker.sent_values
        )
        return _without(plan, marker.local_id, {found[0].id})
    if len(found) > 1:
        ids = ", ".join(result.id for result in found)
        _hold(
            settling,
            marker,
            f"mehrere Datensätze in lexoffice gleichen dem gesendeten ({ids}): die "
            "Doppelten in lexoffice löschen, der nächste Lauf verknüpft den übrigen",
        )
        return _without(plan, marker.local_id, {result.id for result in found})
    due = marker.sent_at + dt.timedelta(seconds=settling.wait_seconds)
    if utc_now() >= due:
        drop(sessions, adapter, marker.local_id)
        return plan
    _hold(
        settling,
        marker,
        f"noch nicht in lexoffice gefunden; ab {report_text.moment(due)} Uhr neu angelegt, "
        "falls er dann noch fehlt",
    )
    return _without(plan, marker.local_id, set())


def _already_settled(settling: Settling, plan: Plan, local_id: int) -> bool:
    """Linked meanwhile (e.g. by first-time matching), or linked by this plan."""
    if any(link.local_id == local_id for link in plan.new_links):
        return True
    with settling.sessions.begin() as session:
        return queries.get_link(session, settling.adapter.entity, local_id) is not None


def _hold(settling: Settling, marker: PendingCreate, why: str) -> None:
    sent = report_text.moment(marker.sent_at)
    message = f"lexoffice hat das Anlegen vom {sent} Uhr nie bestätigt; {why}"
    settling.section.add_problem(Problem("error", marker.record_label, message))


def _without(plan: Plan, local_id: Any, lexoffice_ids: set[str]) -> Plan:
    """The plan minus everything about a settled or held record and its lexoffice twins."""
    plan.lexoffice_creates = [c for c in plan.lexoffice_creates if c.local_id != local_id]
    plan.system_creates = [c for c in plan.system_creates if c.lexoffice_id not in lexoffice_ids]
    plan.new_links = [link for link in plan.new_links if link.lexoffice_id not in lexoffice_ids]
    plan.skips = [skip for skip in plan.skips if skip.lexoffice_id not in lexoffice_ids]
    return plan
