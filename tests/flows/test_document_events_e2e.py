"""End to end with the sandbox: an order confirmation made in lexoffice → signed
`order-confirmation.created` webhook → the receiver → the events flow → a project."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.webhooks.events import DOCUMENT_EVENTS
from tasks.connection import LexsyncConnection
from tasks.resources import lexoffice_client
from tasks.subscriptions import ensure_subscriptions
from tests.flows.conftest import edit_in_lexoffice
from tests.flows.test_customer_events_e2e import LiveReceiver, all_processed, events, live_receiver
from tests.flows.test_documents_flow import document, projects
from tests.support.sandbox import wait_until

pytestmark = pytest.mark.slow


def event_types(sessions: sessionmaker[Session]) -> list[str]:
    return [row["event_type"] for row in events(sessions)]


@pytest.fixture
def receiver(sandbox: SandboxServer, connection_block: LexsyncConnection) -> Iterator[LiveReceiver]:
    """The receiver, subscribed in the sandbox to the contact and the document events."""
    key_url = f"{sandbox.base_url}/webhookSignature/public/public_key.pub"
    with live_receiver(sandbox, connection_block, key_url) as live:
        with lexoffice_client(connection_block.lexoffice_settings()) as client:
            states = ensure_subscriptions(client, live.server.callback_url, DOCUMENT_EVENTS)
        assert {s.status for s in states} == {"created"}
        yield live


def test_order_confirmation_made_in_lexoffice_becomes_one_project_by_webhook(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    receiver: LiveReceiver,
) -> None:
    response = sandbox.control.post("/seed/order-confirmations?webhooks=true", json=[document()])
    [document_id] = response.json()["ids"]
    wait_until(lambda: len(projects(sessions)) == 1, timeout=60)
    wait_until(lambda: all_processed(sessions, 1), timeout=30)

    edit_in_lexoffice(sandbox, "order-confirmations", document_id, {"title": "Geändert"})
    # Its change arrives and is processed (the contact.created of the customer lexsync
    # exported for the document's address comes too).
    wait_until(lambda: "order-confirmation.changed" in event_types(sessions), timeout=60)
    wait_until(lambda: all_processed(sessions, 3), timeout=60)

    [project] = projects(sessions)  # still exactly one
    assert str(project.lexoffice_id) == document_id
