"""End to end with the sandbox: a signed webhook → the receiver (uvicorn on loopback) → the
customer flow (in-process dispatcher, Prefect's test harness) → the system database."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity, WebhookEventStatus
from connectors.lexoffice.sandbox.server import SandboxServer
from connectors.lexoffice.sandbox.signing import Signer
from deployments.webhooks.config import ReceiverSettings
from deployments.webhooks.dispatcher import in_process_starter
from deployments.webhooks.runtime import ReceiverRuntime, build_receiver
from deployments.webhooks.server import ReceiverServer
from deployments.webhooks.store import Batch
from flows.customer_events import sync_contacts
from flows.full_sync import full_sync
from tasks.connection import LexsyncConnection
from tasks.report import RunReport
from tasks.resources import lexoffice_client
from tasks.subscriptions import ensure_subscriptions
from tests.flows.conftest import connection_name, edit_in_lexoffice, requests_log, seed
from tests.support.builders import lex_person
from tests.support.sandbox import wait_until

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


@contextmanager
def live_receiver(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    public_key: str,
    subscribe: bool = True,
) -> Iterator[LiveReceiver]:
    """The receiver on loopback (in-process dispatcher), subscribed in the sandbox if asked."""
    name = connection_name(connection_block)
    settings = ReceiverSettings(connection=name, public_key=public_key, quiet_seconds=0.3)
    run_flow = in_process_starter(name)
    live: LiveReceiver

    def start(batch: Batch) -> None:
        live.batches.append(batch)
        report = run_flow(batch)
        assert isinstance(report, RunReport)
        live.reports.append(report)

    runtime = build_receiver(settings, connection_block=connection_block, starter=start)
    with ReceiverServer(runtime.app) as server:
        live = LiveReceiver(server, runtime)
        if subscribe:
            with lexoffice_client(connection_block.lexoffice_settings()) as client:
                states = ensure_subscriptions(client, server.callback_url)
            assert [s.status for s in states] == ["created"] * 3
        yield live


@pytest.fixture
def receiver(sandbox: SandboxServer, connection_block: LexsyncConnection) -> Iterator[LiveReceiver]:
    """Verifying with the sandbox's key, fetched once at start from lexoffice's path."""
    key_url = f"{sandbox.base_url}/webhookSignature/public/public_key.pub"
    with live_receiver(sandbox, connection_block, key_url) as live:
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
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    receiver: LiveReceiver,
) -> None:
    [contact_id] = seed(sandbox, "contacts", [lex_person("Amsel", "amsel@example.de")])
    sync_contacts([contact_id], connection=connection_name(connection_block))
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
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    receiver: LiveReceiver,
) -> None:
    [contact_id] = seed(sandbox, "contacts", [lex_person("Star", "star@example.de")])
    name = connection_name(connection_block)
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
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    contact_ids = seed(sandbox, "contacts", [lex_person(f"Kunde {n:03d}") for n in range(400)])
    # 400 contacts created, 100 of them changed again: 500 events, sent as lexoffice would
    # (signed with a stand-in key, pre-signed so the sender's CPU does not skew the timing).
    lexoffice = Signer()
    key_file = tmp_path / "public_key.pub"
    key_file.write_bytes(lexoffice.public_pem())
    organization = sandbox.client().get("/v1/profile").json()["organizationId"]
    bodies = [event_body(organization, "contact.created", c, 0) for c in contact_ids]
    bodies += [event_body(organization, "contact.changed", c, 1) for c in contact_ids[:100]]
    requests = [(body, lexoffice.sign(body)) for body in bodies]

    with live_receiver(sandbox, connection_block, str(key_file), subscribe=False) as receiver:
        started = time.perf_counter()
        answers = send_concurrently(receiver.server.callback_url, requests, senders=50)
        wait_until(lambda: all_processed(sessions, 500), timeout=240)
        elapsed = time.perf_counter() - started

    assert [status for status, _ in answers] == [202] * 500
    latencies = sorted(seconds for _, seconds in answers)
    assert latencies[-1] < 5.0  # lexoffice's read timeout
    synced = [c for batch in receiver.batches for c in batch.contact_ids]
    # Every contact synced; only a contact whose second event came after its first batch was
    # handed out (the burst outlasted the 10 s coalescing window) may be synced twice.
    assert set(synced) == set(contact_ids)
    twice = {c for c in synced if synced.count(c) > 1}
    assert twice <= set(contact_ids[:100]) and len(synced) <= 500
    assert len(receiver.batches) <= 10
    with sessions.begin() as session:
        assert len(queries.link_rows(session, SyncEntity.CUSTOMER)) == 400
    print(
        f"\n500 events, 50 concurrent senders: answers max {latencies[-1] * 1000:.0f} ms, "
        f"p99 {latencies[494] * 1000:.0f} ms, median {statistics.median(latencies) * 1000:.0f} ms;"
        f" {len(receiver.batches)} flow runs ({[len(b.contact_ids) for b in receiver.batches]} "
        f"contacts); all 400 contacts in the system {elapsed:.1f} s after the first event"
    )


def event_body(organization: str, event_type: str, contact_id: str, second: int) -> bytes:
    event = {
        "organizationId": organization,
        "eventType": event_type,
        "resourceId": contact_id,
        "eventDate": f"2026-11-27T12:00:0{second}.000+01:00",
    }
    return json.dumps(event, separators=(",", ":")).encode()


def send_concurrently(
    url: str, requests: list[tuple[bytes, str]], senders: int
) -> list[tuple[int, float]]:
    """POST every (body, signature) from `senders` threads; (status, seconds) per request."""
    limits = httpx.Limits(max_connections=senders)
    with httpx.Client(timeout=30.0, limits=limits) as http:

        def send(request: tuple[bytes, str]) -> tuple[int, float]:
            body, signature = request
            headers = {"Content-Type": "application/json", "X-Lxo-Signature": signature}
            began = time.perf_counter()
            response = http.post(url, content=body, headers=headers)
            return response.status_code, time.perf_counter() - began

        with ThreadPoolExecutor(max_workers=senders) as pool:
            return list(pool.map(send, requests))
