"""Benchmark (`make bench`): edit in lexoffice → signed webhook → receiver → flow (embedded, in
the receiver's process) → system, per event family; prints p50 and max. A figure, not a limit.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.customer_events import sync_contacts
from tasks.connection import LexsyncConnection
from tasks.resources import lexoffice_client
from tasks.subscriptions import ensure_subscriptions, wanted_event_types
from tests.flows.conftest import connection_name, edit_in_lexoffice, seed
from tests.flows.test_customer_events_e2e import LiveReceiver, customer_of, live_receiver
from tests.flows.test_document_events import document
from tests.flows.test_documents_flow import projects
from tests.flows.test_invoice_status import invoiced, pay, work_report
from tests.support.builders import lex_article, lex_person
from tests.support.sandbox import wait_until

pytestmark = [pytest.mark.bench, pytest.mark.slow]
ROUNDS = 5


@pytest.fixture
def receiver(sandbox: SandboxServer, connection: LexsyncConnection) -> Iterator[LiveReceiver]:
    key_url = f"{sandbox.base_url}/webhookSignature/public/public_key.pub"
    with live_receiver(sandbox, connection, key_url) as live:
        wanted = wanted_event_types(connection.settings)
        with lexoffice_client(connection.lexoffice_settings()) as client:
            ensure_subscriptions(client, live.server.callback_url, wanted)
        yield live


def timed(edit: Callable[[], object], arrived: Callable[[], bool]) -> float:
    started = time.perf_counter()
    edit()
    wait_until(arrived, timeout=60)
    return time.perf_counter() - started


def product_name(sessions: sessionmaker[Session], article_id: str) -> str | None:
    with sessions.begin() as session:
        link = queries.get_link_by_lexoffice_id(session, SyncEntity.PRODUCT, uuid.UUID(article_id))
        product = None if link is None else queries.get_product(session, link.local_id)
        return None if product is None else product.name


def test_edit_to_system_latency_per_family_embedded(
    sandbox: SandboxServer,
    connection: LexsyncConnection,
    sessions: sessionmaker[Session],
    receiver: LiveReceiver,
) -> None:
    figures: dict[str, list[float]] = {}
    [contact_id] = seed(sandbox, "contacts", [lex_person("Amsel", "amsel@example.de")])
    sync_contacts([contact_id], connection=connection_name(connection))
    [article_id] = seed(sandbox, "articles", [lex_article("Kabel")])

    def contact(n: int) -> float:
        name = f"Drossel{n}"
        change = {"person": {"lastName": name}}
        return timed(
            lambda: edit_in_lexoffice(sandbox, "contacts", contact_id, change),
            lambda: customer_of(sessions, contact_id).last_name == name,
        )

    def article(n: int) -> float:
        return timed(
            lambda: edit_in_lexoffice(sandbox, "articles", article_id, {"title": f"K{n}"}),
            lambda: product_name(sessions, article_id) == f"K{n}",
        )

    def order_confirmation(n: int) -> float:
        return timed(
            lambda: sandbox.control.post(
                "/seed/order-confirmations?webhooks=true", json=[document()]
            ).raise_for_status(),
            lambda: len(projects(sessions)) == n + 1,
        )

    # One invoice (the seeded work report exists once): finalized, paid in parts, voided.
    work_report_id, invoice_id = invoiced(connection, sessions, sandbox)

    def state() -> Any:
        return work_report(sessions, work_report_id)

    def invoice_status(change: str) -> float:
        return timed(
            lambda: edit_in_lexoffice(sandbox, "invoices", invoice_id, {"voucherStatus": change}),
            lambda: state().lexoffice_invoice_status == change,
        )

    def payment() -> float:
        owed = state().lexoffice_open_amount
        return timed(
            lambda: pay(sandbox, invoice_id, Decimal("1.00")),
            lambda: state().lexoffice_open_amount == owed - Decimal("1.00"),
        )

    figures["invoice"] = [invoice_status("open")]
    figures["payment"] = [payment() for _ in range(ROUNDS)]
    figures["invoice"].append(invoice_status("voided"))
    for n in range(ROUNDS):
        figures.setdefault("contact", []).append(contact(n))
        figures.setdefault("article", []).append(article(n))
        figures.setdefault("order-confirmation", []).append(order_confirmation(n))
    backend = connection.database_url.split(":", 1)[0].split("+", 1)[0]
    print(f"\nedit → system latency, embedded receiver (quiet window 0.3 s), {backend}:")
    for family, seconds in figures.items():
        print(
            f"  {family:<20} p50 {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s"
            f" ({len(seconds)} edits)"
        )
