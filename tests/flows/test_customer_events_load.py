"""Webhook load (issue 10): 1,000 signed callbacks in one burst from 50 concurrent senders,
mixed with a flood of forged ones and with lexoffice's at-least-once duplicates.

Every genuine event is stored once and applied once, every answer comes within lexoffice's
5 s, and no forged callback stores or triggers anything. A benchmark, not a test: its limits
hold on an idle machine, so `make bench` runs it (`pytest -m bench -s` for the figures).
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import (
    SyncAction,
    SyncDirection,
    SyncEntity,
    SyncJournal,
    WebhookEventStatus,
)
from connectors.lexoffice.sandbox.server import SandboxServer
from connectors.lexoffice.sandbox.signing import Signer
from deployments.webhooks.store import Batch
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tests.flows.conftest import connection_name, seed
from tests.flows.test_customer_events_e2e import live_receiver
from tests.support.builders import lex_person
from tests.support.sandbox import wait_until
from tests.support.webhook_load import (
    Answer,
    Callback,
    by_kind,
    event,
    forgeries,
    percentile,
    send_all,
    signed,
)

pytestmark = [pytest.mark.slow, pytest.mark.bench]

GENUINE, DUPLICATES, BAIT, FORGED_PER_KIND, SENDERS = 1000, 100, 20, 110, 50
FORGED_ANSWERS = {
    "random_signature": 401,
    "no_signature": 401,
    "not_base64_signature": 401,
    "signature_of_another_body": 401,
    "tampered_organization": 401,
    "other_key": 401,
    "oversized": 413,
    "foreign_organization": 403,
    "not_an_event": 400,
}
# Generated keys are shared per size within a process (see Signer): two sizes, two keys.
LEXOFFICE = Signer(key_size=3072)  # stands in for lexoffice's 4096-bit key, quicker to pre-sign
IMPOSTOR = Signer(key_size=2048)


def edited_name(n: int) -> str:
    return f"Geändert {n:04d}"


def prepare_contacts(
    sandbox: SandboxServer, connection_block: LexsyncConnection
) -> tuple[list[str], list[str]]:
    """Contacts already in both systems, then edited in lexoffice (no webhook subscribed)."""
    ids = seed(sandbox, "contacts", [lex_person(f"Kunde {n:04d}") for n in range(GENUINE + BAIT)])
    report = sync_master_data(connection=connection_name(connection_block), entities=["customers"])
    assert report.failed == 0
    for n, contact_id in enumerate(ids):  # bait too: a forged event must not import this
        changes = {"person": {"lastName": edited_name(n)}}
        sandbox.control.patch(f"/contacts/{contact_id}", json=changes).raise_for_status()
    return ids[:GENUINE], ids[GENUINE:]


def burst(organization: str, edited: list[str], bait: list[str]) -> list[Callback]:
    """Genuine events, in-burst duplicates and forgeries, shuffled (seeded)."""
    date = "2026-11-27T12:00:00.000+01:00"
    genuine = [
        signed("genuine", event(organization, "contact.changed", c, date), LEXOFFICE)
        for c in edited
    ]
    duplicates = [Callback("duplicate", c.body, c.headers) for c in genuine[:DUPLICATES]]
    forged: list[Callback] = []
    for n in range(FORGED_PER_KIND):
        bait_event = event(organization, "contact.changed", bait[n % len(bait)], date)
        kinds = forgeries(genuine[n], bait_event, LEXOFFICE, IMPOSTOR, str(uuid.uuid4()))
        forged += kinds.values()
    callbacks = genuine + duplicates + forged
    random.Random(10).shuffle(callbacks)
    return callbacks


def imports_per_contact(sessions: sessionmaker[Session]) -> dict[str, int]:
    """How often the webhook runs changed each customer (journal entries, import updates)."""
    with sessions.begin() as session:
        statement = (
            sa.select(SyncJournal.lexoffice_id, sa.func.count())
            .where(
                SyncJournal.direction == SyncDirection.IMPORT,
                SyncJournal.action == SyncAction.UPDATE,
            )
            .group_by(SyncJournal.lexoffice_id)
        )
        return {str(lexoffice_id): count for lexoffice_id, count in session.execute(statement)}


def last_names(sessions: sessionmaker[Session]) -> dict[str, str]:
    with sessions.begin() as session:
        links = {row["local_id"]: row for row in queries.link_rows(session, SyncEntity.CUSTOMER)}
        return {
            str(links[row["id"]]["lexoffice_id"]): row["last_name"]
            for row in queries.customer_rows(session)
        }


def stored_events(sessions: sessionmaker[Session]) -> list[dict[str, Any]]:
    with sessions.begin() as session:
        return queries.webhook_event_rows(session)


def all_applied(sessions: sessionmaker[Session]) -> bool:
    rows = stored_events(sessions)
    return len(rows) >= GENUINE and all(r["status"] == WebhookEventStatus.PROCESSED for r in rows)


def test_burst_of_1000_signed_events_and_forged_flood_applies_each_genuine_event_once(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    edited, bait = prepare_contacts(sandbox, connection_block)
    names_before = last_names(sessions)
    organization = sandbox.client().get("/v1/profile").json()["organizationId"]
    callbacks = burst(organization, edited, bait)
    key_file = tmp_path / "public_key.pub"
    key_file.write_bytes(LEXOFFICE.public_pem())

    with live_receiver(sandbox, connection_block, str(key_file), subscribe=False) as receiver:
        started = time.perf_counter()
        answers = send_all(receiver.server.callback_url, callbacks, SENDERS)
        answered = time.perf_counter() - started
        wait_until(lambda: all_applied(sessions), timeout=240)
        applied = time.perf_counter() - started
        batches = list(receiver.batches)

    assert_answers(answers)
    assert_applied_once(sessions, edited, bait, names_before, batches)
    print_figures(answers, answered, applied, batches)


def assert_answers(answers: list[Answer]) -> None:
    """Genuine: one 202 per event, 200 "duplicate" for each copy; forged: refused by kind."""
    assert max(answer.seconds for answer in answers) < 5.0  # lexoffice's read timeout
    per_event: dict[bytes, list[tuple[int, str | None]]] = defaultdict(list)
    for answer in answers:
        if answer.callback.kind in ("genuine", "duplicate"):
            per_event[answer.callback.body].append((answer.status, answer.outcome))
    assert len(per_event) == GENUINE
    for pairs in per_event.values():
        copies = [(200, "duplicate")] * (len(pairs) - 1)
        assert sorted(pairs) == sorted([(202, "stored"), *copies])
    forged = by_kind(answers, lambda a: a.callback.kind in FORGED_ANSWERS)
    assert {kind: {status for status, _ in pairs} for kind, pairs in forged.items()} == {
        kind: {status} for kind, status in FORGED_ANSWERS.items()
    }


def assert_applied_once(
    sessions: sessionmaker[Session],
    edited: list[str],
    bait: list[str],
    names_before: dict[str, str],
    batches: list[Batch],
) -> None:
    rows = stored_events(sessions)
    assert sorted(str(row["resource_id"]) for row in rows) == sorted(edited)  # each once
    synced = [contact for batch in batches for contact in batch.contact_ids]
    assert sorted(synced) == sorted(edited)  # each handed to exactly one run; no bait
    assert imports_per_contact(sessions) == dict.fromkeys(edited, 1)
    names = last_names(sessions)
    assert [names[c] for c in edited] == [edited_name(n) for n in range(len(edited))]
    assert [names[c] for c in bait] == [names_before[c] for c in bait]  # forged: not applied


def print_figures(
    answers: list[Answer], answered: float, applied: float, batches: list[Batch]
) -> None:
    seconds = [answer.seconds for answer in answers]
    genuine = [a.seconds for a in answers if a.callback.kind in ("genuine", "duplicate")]
    print(
        f"\n{len(answers)} callbacks ({GENUINE} genuine, {DUPLICATES} duplicates, "
        f"{len(answers) - GENUINE - DUPLICATES} forged), {SENDERS} concurrent senders: "
        f"all answered in {answered:.1f} s; answer max {max(seconds) * 1000:.0f} ms, "
        f"p99 {percentile(seconds, 0.99) * 1000:.0f} ms, median "
        f"{statistics.median(seconds) * 1000:.0f} ms (genuine p99 "
        f"{percentile(genuine, 0.99) * 1000:.0f} ms); {len(batches)} flow runs "
        f"({[len(b.contact_ids) for b in batches]} contacts); all {GENUINE} applied "
        f"{applied:.1f} s after the first callback"
    )
