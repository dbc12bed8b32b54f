"""A full sync while lexoffice sends a company's contact webhooks (issue 14 item 5).

The receiver stores 250 signed contact.changed events while the full sync of the same company
writes the same database (links, customers, journal): on SQLite (WAL, BEGIN IMMEDIATE, a
bounded busy wait) and on PostgreSQL. Both complete without a "database is locked"; every
event is stored once and applied; no customer, link or lexoffice contact exists twice. The
webhook runs wait for the company's write lock, so they start after the sync. Run with `-s`
for the figures.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity, WebhookEventStatus
from connectors.lexoffice.sandbox.server import SandboxServer
from connectors.lexoffice.sandbox.signing import Signer
from flows.full_sync import full_sync
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tests.flows.conftest import connection_name, lexoffice_records, requests_log, seed
from tests.flows.test_customer_events_e2e import live_receiver
from tests.support.builders import add_customer, lex_person
from tests.support.sandbox import wait_until
from tests.support.webhook_load import event, send_all, signed

pytestmark = pytest.mark.slow

EVENTS, NEW_IN_SYSTEM, SENDERS = 250, 100, 20
LEXOFFICE = Signer(key_size=3072)


def edited_name(n: int) -> str:
    return f"Geändert {n:04d}"


def test_full_sync_while_250_contact_webhooks_arrive_completes_and_loses_nothing(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    name = connection_name(connection_block)
    edited = linked_then_edited_contacts(sandbox, name)
    for n in range(NEW_IN_SYSTEM):  # the sync exports these: lexoffice writes + new links
        add_customer(sessions, last_name=f"Neu {n:04d}")
    organization = sandbox.client().get("/v1/profile").json()["organizationId"]
    date = "2026-12-05T08:00:00.000+01:00"
    callbacks = [
        signed("genuine", event(organization, "contact.changed", c, date), LEXOFFICE)
        for c in edited
    ]
    key_file = tmp_path / "public_key.pub"
    key_file.write_bytes(LEXOFFICE.public_pem())
    outcome: dict[str, Any] = {}

    def sync() -> None:
        outcome["state"] = full_sync(connection=name, return_state=True)
        outcome["sync_done"] = time.perf_counter()

    with live_receiver(sandbox, connection_block, str(key_file), subscribe=False) as receiver:
        started = time.perf_counter()
        thread = threading.Thread(target=sync)
        thread.start()
        wait_until(lambda: sync_is_writing(sandbox), timeout=120)
        answers = send_all(receiver.server.callback_url, callbacks, SENDERS)
        answered = time.perf_counter()
        thread.join(timeout=600)
        wait_until(lambda: all_processed(sessions), timeout=300)
        applied = time.perf_counter()
        reports = list(receiver.reports)

    state = outcome["state"]
    assert (state.type.value, state.message) == ("COMPLETED", "Ohne Probleme")
    assert [a.status for a in answers] == [202] * EVENTS
    assert all(report.failed == 0 for report in reports)
    assert_nothing_lost_nothing_twice(sandbox, sessions, edited)
    print(
        f"\n{EVENTS} signed contact webhooks during a full sync ({len(edited)} contacts "
        f"edited in lexoffice, {NEW_IN_SYSTEM} exported): all answered 202 "
        f"{answered - started:.1f} s after the sync started, the sync finished after "
        f"{outcome['sync_done'] - started:.1f} s (still running when the last event was "
        f"stored: {outcome['sync_done'] > answered}), all events applied after "
        f"{applied - started:.1f} s in {len(reports)} webhook runs"
    )


def linked_then_edited_contacts(sandbox: SandboxServer, name: str) -> list[str]:
    """Contacts in both systems, then edited in lexoffice (no webhook subscribed yet)."""
    ids = seed(sandbox, "contacts", [lex_person(f"Kunde {n:04d}") for n in range(EVENTS)])
    assert sync_master_data(connection=name, entities=["customers"]).failed == 0
    for n, contact_id in enumerate(ids):
        changes = {"person": {"lastName": edited_name(n)}}
        sandbox.control.patch(f"/contacts/{contact_id}", json=changes).raise_for_status()
    sandbox.control.delete("/requests").raise_for_status()
    return ids


def sync_is_writing(sandbox: SandboxServer) -> bool:
    return any(entry["method"] == "POST" for entry in requests_log(sandbox))


def all_processed(sessions: sessionmaker[Session]) -> bool:
    with sessions.begin() as session:
        rows = queries.webhook_event_rows(session)
    return len(rows) >= EVENTS and all(r["status"] == WebhookEventStatus.PROCESSED for r in rows)


def assert_nothing_lost_nothing_twice(
    sandbox: SandboxServer, sessions: sessionmaker[Session], edited: list[str]
) -> None:
    with sessions.begin() as session:
        events = queries.webhook_event_rows(session)
        customers = queries.customer_rows(session)
        links = queries.link_rows(session, SyncEntity.CUSTOMER)
    assert sorted(str(row["resource_id"]) for row in events) == sorted(edited)  # each once
    names = Counter(row["last_name"] for row in customers)
    expected = [edited_name(n) for n in range(EVENTS)] + [
        f"Neu {n:04d}" for n in range(NEW_IN_SYSTEM)
    ]
    assert names == Counter(expected)  # every edit arrived, no customer twice
    assert len(links) == len(customers)
    assert len({row["local_id"] for row in links}) == len({row["lexoffice_id"] for row in links})
    in_lexoffice = Counter(c["person"]["lastName"] for c in lexoffice_records(sandbox, "contacts"))
    assert in_lexoffice == Counter(expected)  # no contact created twice
