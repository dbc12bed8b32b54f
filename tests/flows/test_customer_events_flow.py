"""The customer flow: contacts named by webhook events, synced with the full sync's rules."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import (
    LinkStatus,
    SyncAction,
    SyncEntity,
    SyncJournal,
    WebhookEventStatus,
)
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.webhooks.events import CallbackEvent
from deployments.webhooks.store import EventStore
from flows.customer_events import sync_contacts
from tasks.connection import LexsyncConnection
from tests.flows.conftest import connection_name, edit_in_lexoffice, requests_log, seed
from tests.support.builders import lex_person


def linked_customer(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> tuple[int, str]:
    """A contact imported by the customer flow: (local id, lexoffice id)."""
    [contact_id] = seed(sandbox, "contacts", [lex_person("Vogel", "vogel@example.de")])
    sync_contacts([contact_id], connection=connection_name(connection_block))
    with sessions.begin() as session:
        link = queries.get_link_by_lexoffice_id(session, SyncEntity.CUSTOMER, uuid.UUID(contact_id))
        assert link is not None
        return link.local_id, contact_id


def test_new_contact_is_imported_and_changed_contact_updated(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id, contact_id = linked_customer(sandbox, connection_block, sessions)
    edit_in_lexoffice(sandbox, "contacts", contact_id, {"person": {"lastName": "Fink"}})

    report = sync_contacts([contact_id, contact_id], connection=connection_name(connection_block))

    with sessions.begin() as session:
        customer = queries.get_customer(session, local_id)
        assert customer is not None and customer.last_name == "Fink"
    assert report.section("customers", "lexoffice → system").counts["updated"] == 1
    assert requests_log(sandbox, "PUT") == [] and requests_log(sandbox, "POST") == []


def test_only_the_named_contacts_are_touched(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    chosen, _other = seed(sandbox, "contacts", [lex_person("Gewählt"), lex_person("Andere")])

    sync_contacts([chosen], connection=connection_name(connection_block))

    with sessions.begin() as session:
        assert [c.last_name for c in queries.list_customers(session)] == ["Gewählt"]


def test_import_switch_off_imports_nothing(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    [contact_id] = seed(sandbox, "contacts", [lex_person("Gesperrt")])
    connection_block.settings.customers.import_enabled = False
    connection_block.save(connection_name(connection_block), overwrite=True)

    sync_contacts([contact_id], connection=connection_name(connection_block))

    with sessions.begin() as session:
        assert queries.list_customers(session) == []


def test_deleted_contact_keeps_the_customer_and_marks_its_link(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id, contact_id = linked_customer(sandbox, connection_block, sessions)
    sandbox.control.delete(f"/contacts/{contact_id}").raise_for_status()
    name = connection_name(connection_block)

    report = sync_contacts([], connection=name, deleted_ids=[contact_id])
    again = sync_contacts([], connection=name, deleted_ids=[contact_id])  # a replayed event

    with sessions.begin() as session:
        assert queries.get_customer(session, local_id) is not None
        link = queries.get_link(session, SyncEntity.CUSTOMER, local_id)
        assert link is not None and link.status == LinkStatus.DELETED_IN_LEXOFFICE
        marks = session.scalars(
            sa.select(SyncJournal).where(SyncJournal.action == SyncAction.MARK)
        ).all()
    assert [(m.local_id, m.after) for m in marks] == [
        (local_id, {"status": "deleted_in_lexoffice"})
    ]
    assert [p.kind for _, p in report.problems] == ["skip"]
    assert again.problems == []


def test_deleted_contact_never_synced_is_only_counted(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    unknown = "6f0c2b8e-5d55-4a53-9d71-7d3f5b0c2a11"
    report = sync_contacts([], connection=connection_name(connection_block), deleted_ids=[unknown])
    assert report.section("customers", "lexoffice → system").counts["not in the system"] == 1


def test_batch_events_are_marked_processed(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    [contact_id] = seed(sandbox, "contacts", [lex_person("Specht")])
    store = EventStore(sessions)
    profile = sandbox.client().get("/v1/profile").json()
    store.record(
        CallbackEvent.model_validate(
            {
                "organizationId": profile["organizationId"],
                "eventType": "contact.created",
                "resourceId": contact_id,
                "eventDate": "2026-11-27T12:00:00.000+01:00",
            }
        )
    )
    batch = store.claim(100, redispatch_after=900)
    assert batch is not None

    sync_contacts(
        batch.contact_ids, connection=connection_name(connection_block), batch_id=batch.batch_id
    )

    with sessions.begin() as session:
        [row] = queries.webhook_event_rows(session)
        assert row["status"] == WebhookEventStatus.PROCESSED and row["processed_at"] is not None
