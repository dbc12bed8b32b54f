"""A running receiver follows its connection's block: an import switched off there has its
next event acknowledged and dropped, switched on again its next event stored and dispatched —
no restart. Built as `lexsync receiver` builds it (the connection loaded by name)."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.lexoffice.sandbox.server import SandboxServer
from connectors.lexoffice.sandbox.signing import Signer
from deployments.webhooks.config import ReceiverSettings
from deployments.webhooks.runtime import build_receiver
from deployments.webhooks.server import ReceiverServer
from deployments.webhooks.store import Batch
from tasks.connection import LexsyncConnection
from tests.flows.conftest import connection_name
from tests.flows.test_customer_events_e2e import event_body
from tests.support.sandbox import wait_until

LEXOFFICE = Signer(key_size=2048)  # stands in for lexoffice's signing key


def switch_article_import(connection_block: LexsyncConnection, on: bool) -> None:
    """The admin switches the article import (products and activities) in the block."""
    connection_block.settings.products.import_enabled = on
    connection_block.settings.activities.import_enabled = on
    connection_block.save(connection_name(connection_block), overwrite=True)


def stored_articles(sessions: sessionmaker[Session]) -> set[str]:
    with sessions.begin() as session:
        return {str(row["resource_id"]) for row in queries.webhook_event_rows(session)}


def test_running_receiver_follows_an_import_switched_in_the_block(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    key_file = tmp_path / "public_key.pub"
    key_file.write_bytes(LEXOFFICE.public_pem())
    organization = sandbox.client().get("/v1/profile").json()["organizationId"]
    batches: list[Batch] = []
    settings = ReceiverSettings(
        connections=(connection_name(connection_block),),
        public_key=str(key_file),
        quiet_seconds=0.05,
        settings_ttl_seconds=0,  # every callback reads the block: no waiting in the test
    )
    runtime = build_receiver(settings, starter_for=lambda name: batches.append)
    kept, dropped, again = (str(uuid.uuid4()) for _ in range(3))

    with ReceiverServer(runtime.app) as server:

        def article_changed(article_id: str) -> int:
            body = event_body(organization, "article.changed", article_id, 0)
            headers = {"Content-Type": "application/json", "X-Lxo-Signature": LEXOFFICE.sign(body)}
            return httpx.post(server.callback_url, content=body, headers=headers).status_code

        before = article_changed(kept)
        switch_article_import(connection_block, on=False)
        off = article_changed(dropped)
        switch_article_import(connection_block, on=True)
        on = article_changed(again)
        wait_until(lambda: sum(batch.event_count for batch in batches) == 2, timeout=30)

    assert (before, off, on) == (202, 200, 202)
    assert stored_articles(sessions) == {kept, again}
    assert sorted(a for batch in batches for a in batch.article_ids) == sorted([kept, again])
