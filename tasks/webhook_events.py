"""The events flow's steps: apply changed contacts and articles, mark deleted contacts, close
the batch.

Changed or new contacts go through `tasks.sync.single.import_contacts`, the full sync's own
code (mapping, the import switch, conflict policy, links, journal), so an event can never
sync a contact differently from the nightly run. An echo of lexsync's own write is a change
the three-way diff already knows (the link's base holds the values lexsync wrote), so it
makes no write at all.
"""

from __future__ import annotations

import uuid

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import LinkStatus, SyncAction, SyncDirection, SyncEntity
from connectors.lexoffice.client import LexofficeClient
from tasks import report_text
from tasks.report import Problem, RunReport
from tasks.settings import SyncSettings
from tasks.sync.journal import journal
from tasks.sync.single import import_contacts
from tasks.sync.single_articles import import_articles

SECTION = ("customers", "lexoffice → system")


@task(cache_policy=NO_CACHE)
def import_changed_contacts(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    contact_ids: list[str],
    run_id: str,
    report: RunReport,
) -> dict[str, int]:
    """Read each contact from lexoffice and apply it with the full sync's rules."""
    return import_contacts(sessions, client, settings, contact_ids, run_id, report)


@task(cache_policy=NO_CACHE)
def import_changed_articles(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    article_ids: list[str],
    run_id: str,
    report: RunReport,
) -> dict[str, int]:
    """Read each article from lexoffice and apply it to its product or activity with the
    full sync's rules (a deleted one: its link marked, the system record kept)."""
    return import_articles(sessions, client, settings, article_ids, run_id, report)


@task(cache_policy=NO_CACHE)
def mark_deleted_contacts(
    sessions: sessionmaker[Session], contact_ids: list[str], run_id: str, report: RunReport
) -> None:
    """Keep the customers of contacts deleted in lexoffice, mark their links (journalled)."""
    section = report.section(*SECTION)
    for contact_id in contact_ids:
        with sessions.begin() as session:
            outcome, local_id = mark_deleted(session, contact_id, run_id)
        if outcome == "marked":
            message = "in lexoffice gelöscht: im System behalten, Verknüpfung als fehlend markiert"
            label = report_text.record("customer", local_id, contact_id)
            section.add_problem(Problem("skip", label, message))
        else:
            section.count(outcome)


def mark_deleted(session: Session, contact_id: str, run_id: str) -> tuple[str, int | None]:
    """("marked", local id) now, ("unchanged", id) if marked before, or ("not in the system")."""
    link = queries.get_link_by_lexoffice_id(session, SyncEntity.CUSTOMER, uuid.UUID(contact_id))
    if link is None:
        return "not in the system", None
    if link.status == LinkStatus.DELETED_IN_LEXOFFICE:
        return "unchanged", link.local_id
    before = {"status": str(link.status)}
    queries.set_link_status(
        session, SyncEntity.CUSTOMER, [link.local_id], LinkStatus.DELETED_IN_LEXOFFICE
    )
    journal(
        session,
        run_id,
        SyncEntity.CUSTOMER,
        SyncDirection.IMPORT,
        SyncAction.MARK,
        local_id=link.local_id,
        lexoffice_id=contact_id,
        before=before,
        after={"status": str(LinkStatus.DELETED_IN_LEXOFFICE)},
    )
    return "marked", link.local_id


@task(cache_policy=NO_CACHE)
def mark_events_processed(sessions: sessionmaker[Session], batch_id: str) -> int:
    """The batch's stored events are done; returns how many."""
    with sessions.begin() as session:
        return queries.mark_webhook_batch_processed(session, batch_id)
