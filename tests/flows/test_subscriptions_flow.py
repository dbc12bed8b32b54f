"""Subscription management: lexoffice has exactly the events the settings need for the URL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import pytest

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import VersionConflictError
from connectors.lexoffice.models import ActionResult, EventSubscription
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.cli import main
from flows.full_sync import full_sync
from flows.subscriptions import ensure_subscriptions_flow
from tasks.connection import LexsyncConnection
from tasks.settings import DocumentImport, SyncSettings
from tasks.subscriptions import (
    ARTICLE_EVENT_TYPES,
    CONTACT_EVENT_TYPES,
    DELIVERY_NOTE_EVENT_TYPES,
    ensure_subscriptions,
    wanted_event_types,
)
from tests.flows.conftest import connection_name, requests_log
from tests.support.sandbox import WebhookReceiver


@pytest.fixture
def callback() -> Iterator[str]:
    """A URL that answers lexoffice's HEAD probe."""
    endpoint = WebhookReceiver()
    yield endpoint.url
    endpoint.close()


def subscribed(sandbox: SandboxServer) -> list[tuple[str, str]]:
    with sandbox.client() as http:
        content = http.get("/v1/event-subscriptions").json()["content"]
    return sorted((s["eventType"], s["callbackUrl"]) for s in content)


def counts(connection_block: LexsyncConnection, url: str) -> dict[str, int]:
    report = ensure_subscriptions_flow(url, connection=connection_name(connection_block))
    section = report.section("event subscriptions", "system → lexoffice")
    return {k: v for k, v in section.counts.items() if v}


WANTED = wanted_event_types(SyncSettings())  # everything on: 19 event types


def test_creates_the_subscriptions_the_settings_need(
    sandbox: SandboxServer, connection_block: LexsyncConnection, callback: str
) -> None:
    assert counts(connection_block, callback) == {"created": len(WANTED)}
    assert subscribed(sandbox) == sorted((t, callback) for t in WANTED)


def test_a_switched_off_import_unsubscribes_its_events_and_says_so(
    sandbox: SandboxServer, connection_block: LexsyncConnection, callback: str
) -> None:
    counts(connection_block, callback)
    connection_block.settings.document_import = DocumentImport.ORDER_CONFIRMATIONS
    connection_block.settings.products.import_enabled = False
    connection_block.settings.activities.import_enabled = False
    connection_block.save(connection_name(connection_block), overwrite=True)

    dropped = len(DELIVERY_NOTE_EVENT_TYPES) + len(ARTICLE_EVENT_TYPES)
    assert counts(connection_block, callback) == {
        "present": len(WANTED) - dropped,
        "deleted": dropped,
    }
    left = {t for t, _ in subscribed(sandbox)}
    assert left.isdisjoint(DELIVERY_NOTE_EVENT_TYPES + ARTICLE_EVENT_TYPES)
    assert set(CONTACT_EVENT_TYPES) <= left


def test_second_run_finds_them_present_and_sends_nothing(
    sandbox: SandboxServer, connection_block: LexsyncConnection, callback: str
) -> None:
    counts(connection_block, callback)
    posts = len(requests_log(sandbox, "POST"))

    assert counts(connection_block, callback) == {"present": len(WANTED)}
    assert len(requests_log(sandbox, "POST")) == posts


@pytest.mark.parametrize("fault", ["commit-503", "504", "lose_response", "unreadable"])
def test_a_subscription_created_but_answered_badly_is_found_not_sent_again(
    sandbox: SandboxServer, connection_block: LexsyncConnection, callback: str, fault: str
) -> None:
    spec = {"fault": fault, "method": "POST", "path": "/v1/event-subscriptions", "count": 1}
    sandbox.control.post("/faults", json=spec).raise_for_status()
    assert counts(connection_block, callback) == {"created": len(WANTED)}
    assert len(requests_log(sandbox, "POST")) == len(WANTED)  # none sent twice
    assert subscribed(sandbox) == sorted((t, callback) for t in WANTED)


def test_subscription_lexoffice_dropped_is_created_again(
    sandbox: SandboxServer, connection_block: LexsyncConnection, callback: str
) -> None:
    counts(connection_block, callback)
    with sandbox.client() as http:
        dropped = http.get("/v1/event-subscriptions").json()["content"][0]
        http.delete(f"/v1/event-subscriptions/{dropped['subscriptionId']}").raise_for_status()

    assert counts(connection_block, callback) == {"present": len(WANTED) - 1, "created": 1}
    assert len(subscribed(sandbox)) == len(WANTED)


class RacingClient:
    """lexoffice as another run left it: the list is stale, the create answers 409."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.created: list[str] = []

    def list_event_subscriptions(self) -> list[EventSubscription]:
        return [
            EventSubscription(subscription_id=f"id-{t}", event_type=t, callback_url=self.url)
            for t in self.created
        ]

    def create_event_subscription(self, event_type: str, callback_url: str) -> ActionResult:
        self.created.append(event_type)  # the other run's create
        raise VersionConflictError("POST", "/v1/event-subscriptions", 409)


def test_conflict_409_means_already_there() -> None:
    client = RacingClient("https://lexsync.example.de/webhooks/lexoffice")

    states = ensure_subscriptions(cast(LexofficeClient, client), client.url)

    assert [(s.status, s.subscription_id) for s in states] == [
        ("present", f"id-{t}") for t in CONTACT_EVENT_TYPES
    ]


def test_cli_exits_0_when_all_present_and_3_when_lexoffice_refuses_the_url(
    sandbox: SandboxServer, connection_block: LexsyncConnection, callback: str
) -> None:
    name = connection_name(connection_block)
    assert main(["subscribe", "--callback-url", callback, "--connection", name]) == 0
    # Nothing answers there: lexoffice's HEAD probe fails, the create is refused (406).
    unreachable = "http://127.0.0.1:9/webhooks/lexoffice"
    assert main(["subscribe", "--callback-url", unreachable, "--connection", name]) == 3
    assert len(subscribed(sandbox)) == len(WANTED)


def test_full_sync_recreates_subscriptions_when_a_callback_url_is_configured(
    sandbox: SandboxServer, connection_block: LexsyncConnection, callback: str
) -> None:
    connection_block.webhook_callback_url = callback
    connection_block.save(connection_name(connection_block), overwrite=True)

    report = full_sync(connection=connection_name(connection_block))

    assert report.failed == 0, report.problems
    assert subscribed(sandbox) == sorted((t, callback) for t in WANTED)
