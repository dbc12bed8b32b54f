"""End to end with the sandbox: a signed webhook → the receiver (uvicorn on loopback) → the
customer flow (in-process dispatcher, Prefect's test harness) → the system database."""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity, WebhookEventStatus
from connectors.lexoffice.sandbox.server import SandboxServer
from connectors.lexoffice.sandbox.testing import wait_until
from deployments.connection import LexsyncConnection
from deployments.webhooks.config import ReceiverSettings
from deployments.webhooks.dispatcher import in_process_starter
from deployments.webhooks.runtime import ReceiverRuntime, build_receiver
from deployments.webhooks.server import ReceiverServer
from deployments.webhooks.store import Batch
from flows.customer_events import sync_contacts
from flows.full_sync import full_sync
from tasks.report import RunReport
from tasks.resources import lexoffice_client
from tasks.subscriptions import ensure_subscriptions
from tests.flows.conftest import connection_name, edit_in_lexoffice, requests_log, seed
from tests.support.builders import lex_person

pytestmark = pytest.mark.slow


@dataclass
class LiveReceiver:
    """The receiver served on loopback and subscribed in the sandbox; what it started."""

    server: ReceiverServer
    runtime: ReceiverRuntime
    batches: list[Batch] = field(default_factory=list)
    reports: list[RunReport] = field(default_factory=list)

    def latencies(self) -> list[float]:
        return list(self.runtime.receiver.stats.seconds)


@pytest.fixture
def receiver(sandbox: SandboxServer, connection: LexsyncConnection) -> Iterator[LiveReceiver]:
    name = connection_name(connection)
    settings = ReceiverSettings(
        connection=name,
        # The sandbox's key, fetched once at start from lexoffice's path on the sandbox.
        public_key=f"{sandbox.base_url}/webhookSignature/public/public_key.pub",
        quiet_seconds=0.3,
    )
    run_flow = in_process_starter(name)
    live: LiveReceiver

    def start(batch: Batch) -> None:
        live.batches.append(batch)
        report = run_flow(batch)
        assert isinstance(report, RunReport)
        live.reports.append(report)

    runtime = build_receiver(settings, connection=connection, starter=start)
    with ReceiverServer(runtime.app) as server:
        live = LiveReceiver(server, runtime)
        with lexoffice_client(connection.lexoffice_settings()) as client:
            states = ensure_subscriptions(client, server.callback_url)
        assert [s.status for s in states] == ["created"] * 3
        yield live


def events(sessions: sessionmaker[Session]) -> list[dict[str, Any]]:
    with sessions.begin() as session:
        return queries.webhook_event_rows(session)


def all_processed(sessions: sessionmaker[Session], count: int) -> bool:
    rows = events(sessions)
    return len(rows) >= count and all(r["status"] == WebhookEventStatus.PROCESSED for r in rows)


def customer_of(sessions: sessionmaker[Session], contact_id: str) -> Any:
    with sessions.begin() as session:
        link = queries.get_link_by_lexoffice_id(session, SyncEntity.CUSTOMER, uuid.UUID(contact_id))
        return None if link is None else queries.get_customer(session, link.local_id)


def test_contact_edited_in_lexoffice_reaches_the_system_by_webhook(
    sandbox: SandboxServer,
    connection: LexsyncConnection,
    sessions: sessionmaker[Session],
    receiver: LiveReceiver,
) -> None:
    [contact_id] = seed(sandbox, "contacts", [lex_person("Amsel", "amsel@example.de")])
    sync_contacts([contact_id], connection=connection_name(connection))
    started = time.perf_counter()

    edit_in_lexoffice(sandbox, "contacts", contact_id, {"person": {"lastName": "Drossel"}})

    wait_until(lambda: customer_of(sessions, contact_id).last_name == "Drossel", timeout=60)
    elapsed = time.perf_counter() - started
    wait_until(lambda: all_processed(sessions, 1), timeout=30)
    [row] = events(sessions)
    assert (row["event_type"], str(row["resource_id"])) == ("contact.changed", contact_id)
    print(
        f"\nlexoffice edit → system customer updated: {elapsed:.2f} s "
        f"(receiver answered in {max(receiver.latencies()) * 1000:.1f} ms)"
    )


def test_echo_of_an_export_by_the_full_sync_makes_no_write(
    sandbox: SandboxServer,
    connection: LexsyncConnection,
    sessions: sessionmaker[Session],
    receiver: LiveReceiver,
) -> None:
    [contact_id] = seed(sandbox, "contacts", [lex_person("Star", "star@example.de")])
    name = connection_name(connection)
    full_sync(connection=name)  # imports the contact; no event (seeded without webhooks)
    customer = customer_of(sessions, contact_id)
    with sessions.begin() as session:
        queries.update_customers(session, [{"id": customer.id, "phone": "0341 123456"}])

    full_sync(connection=name)  # exports the change: a PUT, which fires contact.changed

    assert len(requests_log(sandbox, "PUT")) == 1
    wait_until(lambda: all_processed(sessions, 1), timeout=60)
    wait_until(lambda: receiver.reports, timeout=30)
    [report] = receiver.reports
    counts = report.section("customers", "lexoffice → system").counts
    assert counts["updated"] == counts["created"] == 0
    assert report.problems == []
    assert len(requests_log(sandbox, "PUT")) == 1  # nothing written back to lexoffice
    assert [r for r in requests_log(sandbox, "POST") if r["path"] == "/v1/contacts"] == []
    assert customer_of(sessions, contact_id).phone == "0341 123456"


def test_burst_of_500_events_syncs_every_contact_in_few_runs_answering_fast(
    sandbox: SandboxServer,
    connection: LexsyncConnection,
    sessions: sessionmaker[Session],
    receiver: LiveReceiver,
) -> None:
    people = [lex_person(f"Kunde {n:03d}", f"kunde{n}@example.de") for n in range(500)]
    started = time.perf_counter()

    created = sandbox.control.post("/seed/contacts?webhooks=true", json=people)
    contact_ids = created.json()["ids"]

    wait_until(lambda: all_processed(sessions, 500), timeout=240)
    elapsed = time.perf_counter() - started
    deliveries = sandbox.control.get("/webhooks").json()["deliveries"]
    import collections

    print(collections.Counter((d["outcome"], d["attempt"], d["status"], d["eventType"], d["error"]) for d in deliveries))
    assert len(deliveries) == 500
    # The sandbox's read timeout is lexoffice's 5 s: delivered at the first attempt means the
    # receiver answered within 5 s; a slower answer would have been retried.
    assert {(d["outcome"], d["attempt"], d["status"]) for d in deliveries} == {
        ("delivered", 1, 202)
    }
    latencies = receiver.latencies()
    assert max(latencies) < 5.0
    synced = [c for batch in receiver.batches for c in batch.contact_ids]
    assert sorted(synced) == sorted(contact_ids)  # every contact, each in one run
    assert len(receiver.batches) <= 10
    with sessions.begin() as session:
        assert len(queries.link_rows(session, SyncEntity.CUSTOMER)) == 500
    print(
        f"\n500 events: {len(receiver.batches)} flow runs "
        f"({[len(b.contact_ids) for b in receiver.batches]} contacts), all synced after "
        f"{elapsed:.1f} s; receiver answer max {max(latencies) * 1000:.1f} ms, "
        f"median {statistics.median(latencies) * 1000:.1f} ms"
    )
