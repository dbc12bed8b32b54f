"""End to end with the sandbox: an article edited in lexoffice → signed `article.*` webhook →
the receiver (uvicorn on loopback) → the events flow (in-process) → the system's product."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import LinkStatus, SyncEntity
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.webhooks.events import ARTICLE_EVENTS
from tasks.connection import LexsyncConnection
from tasks.resources import lexoffice_client
from tasks.subscriptions import ensure_subscriptions
from tests.flows.conftest import edit_in_lexoffice
from tests.flows.test_customer_events_e2e import LiveReceiver, all_processed, live_receiver
from tests.support.builders import lex_article
from tests.support.sandbox import wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def receiver(sandbox: SandboxServer, connection_block: LexsyncConnection) -> Iterator[LiveReceiver]:
    """The receiver, subscribed in the sandbox to the contact and the article events."""
    key_url = f"{sandbox.base_url}/webhookSignature/public/public_key.pub"
    with live_receiver(sandbox, connection_block, key_url) as live:
        with lexoffice_client(connection_block.lexoffice_settings()) as client:
            states = ensure_subscriptions(client, live.server.callback_url, ARTICLE_EVENTS)
        assert [s.status for s in states] == ["created"] * 3
        yield live


def product_of(sessions: sessionmaker[Session], article_id: str) -> Any:
    with sessions.begin() as session:
        link = queries.get_link_by_lexoffice_id(session, SyncEntity.PRODUCT, uuid.UUID(article_id))
        if link is None:
            return None
        return queries.get_product(session, link.local_id), link.status


def test_article_created_edited_and_deleted_in_lexoffice_reach_the_system_by_webhook(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    receiver: LiveReceiver,
) -> None:
    started = time.perf_counter()
    response = sandbox.control.post("/seed/articles?webhooks=true", json=[lex_article("Kabel")])
    [article_id] = response.json()["ids"]
    wait_until(lambda: product_of(sessions, article_id) is not None, timeout=60)
    created = time.perf_counter() - started

    edit_in_lexoffice(sandbox, "articles", article_id, {"title": "Kabel NYM"})
    wait_until(lambda: product_of(sessions, article_id)[0].name == "Kabel NYM", timeout=60)

    sandbox.control.delete(f"/articles/{article_id}").raise_for_status()
    wait_until(
        lambda: product_of(sessions, article_id)[1] == LinkStatus.MISSING_IN_LEXOFFICE, timeout=60
    )
    wait_until(lambda: all_processed(sessions, 3), timeout=30)
    assert product_of(sessions, article_id)[0].name == "Kabel NYM"  # kept in the system
    print(f"\nlexoffice article created → system product: {created:.2f} s")
