"""Benchmark (`make bench`): edit in lexoffice → signed webhook → receiver → flow → system, per
event family; prints p50 and max. Figures, not limits. Two ways:

- embedded: the receiver on loopback runs the events flow in its own process (quiet 0.3 s);
- through a worker: the service as `make up` starts it against this sandbox and database —
  a Prefect server, prefect.yaml deployed, a process worker (polling every
  `PREFECT_WORKER_QUERY_SECONDS`, 5 s as `make up` sets it), `lexsync receiver` starting a
  `customer-events` deployment run per batch after its 1 s quiet window. `make down` code
  stops all of it, also when the benchmark fails.

`LEXSYNC_LIVE_WORKER_ROUNDS` (default 5) edits per family through the worker; embedded: 5.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.cli import main
from deployments.processes import log_file
from deployments.service import SANDBOX_PUBLIC_KEY
from deployments.webhooks.config import CALLBACK_PATH, PUBLIC_KEY_ENV
from flows.customer_events import sync_contacts
from flows.invoice import create_invoice
from tasks.connection import LexsyncConnection
from tasks.resources import lexoffice_client
from tasks.subscriptions import ensure_subscriptions, wanted_event_types
from tests.flows.conftest import connection_name, edit_in_lexoffice, seed
from tests.flows.test_customer_events_e2e import (
    LiveReceiver,
    all_processed,
    customer_of,
    live_receiver,
)
from tests.flows.test_document_events import document
from tests.flows.test_documents_flow import projects
from tests.flows.test_invoice_status import pay, work_report
from tests.support.builders import lex_article, lex_person
from tests.support.environment import use_as_default_connection
from tests.support.prefect_server import awaited, free_port
from tests.support.sandbox import wait_until
from tests.tasks.invoicing.invoicing_builders import seed_linked_work_report

pytestmark = [pytest.mark.bench, pytest.mark.slow]
ROUNDS = 5
WORKER_ROUNDS = int(os.environ.get("LEXSYNC_LIVE_WORKER_ROUNDS", "5"))
Figures = dict[str, list[float]]


@dataclass(frozen=True)
class Subjects:
    """What the edits change: a linked contact, an article, an invoice lexsync created."""

    contact_id: str
    article_id: str
    work_report_id: int
    invoice_id: str


def subscribe(connection_block: LexsyncConnection, callback_url: str) -> None:
    wanted = wanted_event_types(connection_block.settings)
    with lexoffice_client(connection_block.lexoffice_settings()) as client:
        ensure_subscriptions(client, callback_url, wanted)


Runner = Callable[..., object]  # (deployment, **parameters): runs that job to its end


def prepare(sandbox: SandboxServer, sessions: sessionmaker[Session], run: Runner) -> Subjects:
    """The subjects, made and linked by the jobs themselves; then their events settle."""
    [contact_id] = seed(sandbox, "contacts", [lex_person("Amsel", "amsel@example.de")])
    run("customer-events", contact_ids=[contact_id])
    [article_id] = seed(sandbox, "articles", [lex_article("Kabel")])
    work_report_id = seed_linked_work_report(sessions, sandbox.control).work_report_id
    run("create-invoice", work_report_id=work_report_id)  # a draft
    invoice_id = str(work_report(sessions, work_report_id).lexoffice_invoice_id)
    wait_until(lambda: all_processed(sessions, 1), timeout=180)  # its invoice.created
    return Subjects(contact_id, article_id, work_report_id, invoice_id)


def in_process(connection_block: LexsyncConnection) -> Runner:
    """The jobs as flows in this process (the embedded way)."""
    flows: dict[str, Callable[..., object]] = {
        "customer-events": sync_contacts,
        "create-invoice": create_invoice,
    }
    return lambda job, **parameters: flows[job](
        connection=connection_name(connection_block), **parameters
    )


def timed(edit: Callable[[], object], arrived: Callable[[], bool]) -> float:
    started = time.perf_counter()
    edit()
    wait_until(arrived, timeout=180)
    return time.perf_counter() - started


def product_name(sessions: sessionmaker[Session], article_id: str) -> str | None:
    with sessions.begin() as session:
        link = queries.get_link_by_lexoffice_id(session, SyncEntity.PRODUCT, uuid.UUID(article_id))
        product = None if link is None else queries.get_product(session, link.local_id)
        return None if product is None else product.name


def measure(
    sandbox: SandboxServer, sessions: sessionmaker[Session], subjects: Subjects, rounds: int
) -> Figures:
    """Seconds from each edit to its change in the system database, per family."""
    contact_id, article_id = subjects.contact_id, subjects.article_id
    invoice_id, projects_before = subjects.invoice_id, len(projects(sessions))

    def contact(n: int) -> float:
        change = {"person": {"lastName": f"Drossel{n}"}}
        return timed(
            lambda: edit_in_lexoffice(sandbox, "contacts", contact_id, change),
            lambda: customer_of(sessions, contact_id).last_name == f"Drossel{n}",
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
            lambda: len(projects(sessions)) == projects_before + n + 1,
        )

    def state() -> Any:
        return work_report(sessions, subjects.work_report_id)

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

    # One invoice (the seeded work report exists once): finalized, paid in parts, voided.
    figures: Figures = {"invoice": [invoice_status("open")]}
    figures["payment"] = [payment() for _ in range(rounds)]
    figures["invoice"].append(invoice_status("voided"))
    for n in range(rounds):
        figures.setdefault("contact", []).append(contact(n))
        figures.setdefault("article", []).append(article(n))
        figures.setdefault("order-confirmation", []).append(order_confirmation(n))
    return figures


def print_figures(how: str, database_url: str, figures: Figures) -> None:
    backend = database_url.split(":", 1)[0].split("+", 1)[0]
    print(f"\nedit → system latency, {how}, {backend}:")
    for family, seconds in figures.items():
        print(
            f"  {family:<20} p50 {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s"
            f" ({len(seconds)} edits)"
        )


@pytest.fixture
def receiver(sandbox: SandboxServer, connection_block: LexsyncConnection) -> Iterator[LiveReceiver]:
    key_url = f"{sandbox.base_url}{SANDBOX_PUBLIC_KEY}"
    with live_receiver(sandbox, connection_block, key_url, subscribe=False) as live:
        subscribe(connection_block, live.server.callback_url)
        yield live


def test_edit_to_system_latency_per_family_embedded(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    receiver: LiveReceiver,
) -> None:
    subjects = prepare(sandbox, sessions, in_process(connection_block))
    figures = measure(sandbox, sessions, subjects, ROUNDS)
    print_figures("embedded receiver (quiet window 0.3 s)", connection_block.database_url, figures)


@dataclass(frozen=True)
class Service:
    """The parts `lexsync up` started: the Prefect API and the receiver's callback URL."""

    api_url: str
    callback_url: str
    worker_log: Path


@pytest.fixture
def service(
    sandbox: SandboxServer,
    system_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Service]:
    """`lexsync up` as with a real lexoffice key: this sandbox and database as `default`."""
    use_as_default_connection(monkeypatch, sandbox, system_url)
    monkeypatch.setenv(PUBLIC_KEY_ENV, f"{sandbox.base_url}{SANDBOX_PUBLIC_KEY}")
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    var, port, receiver_port = tmp_path / "var", free_port(), free_port()
    argv = ["--var", str(var), "--port", str(port), "--receiver-port", str(receiver_port)]
    try:
        assert main(["up", *argv, "--sandbox-port", str(free_port())]) == 0
        api_url = f"http://127.0.0.1:{port}/api"
        callback_url = f"http://127.0.0.1:{receiver_port}{CALLBACK_PATH}"
        yield Service(api_url, callback_url, log_file(var, "worker"))
        wait_until(lambda: unfinished_runs(api_url) == 0, timeout=180)
    finally:
        main(["down", "--var", str(var)])


def receiver_runs(api_url: str, action: str, *states: str) -> Any:
    """The `customer-events` runs (tag `webhooks`) in these states: `filter` or `count`."""
    found: dict[str, Any] = {"tags": {"all_": ["webhooks"]}}
    if states:
        found["state"] = {"type": {"any_": list(states)}}
    return httpx.post(f"{api_url}/flow_runs/{action}", json={"flow_runs": found}, timeout=10).json()


def unfinished_runs(api_url: str) -> int:
    return int(receiver_runs(api_url, "count", "SCHEDULED", "PENDING", "RUNNING"))


def print_run_phases(api_url: str) -> None:
    """Where a run's time went: created → running (worker poll, flow-run process start-up)
    and running → done (the events flow itself), medians over the `customer-events` runs."""
    runs = receiver_runs(api_url, "filter", "COMPLETED")
    waited = [_seconds(r["created"], r["start_time"]) for r in runs]
    ran = [_seconds(r["start_time"], r["end_time"]) for r in runs]
    print(
        f"  of which (median of {len(runs)} runs): run created → running "
        f"{statistics.median(waited):.2f} s, running → done {statistics.median(ran):.2f} s"
    )


def _seconds(start: str, end: str) -> float:
    return (dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)).total_seconds()


def on_the_worker(service: Service) -> Runner:
    """The jobs as runs of their deployments, on the worker (as the receiver starts them)."""
    return lambda job, **parameters: awaited(
        service.api_url, f"{job}/{job}", service.worker_log, connection="default", **parameters
    )


def test_edit_to_system_latency_per_family_through_a_worker(
    sandbox: SandboxServer, sessions: sessionmaker[Session], system_url: str, service: Service
) -> None:
    with temporary_settings({PREFECT_API_URL: service.api_url}):
        connection = LexsyncConnection.load("default")  # saved by `lexsync up`
        assert isinstance(connection, LexsyncConnection)
        subscribe(connection, service.callback_url)
        subjects = prepare(sandbox, sessions, on_the_worker(service))
        figures = measure(sandbox, sessions, subjects, WORKER_ROUNDS)
    poll = os.environ.get("PREFECT_WORKER_QUERY_SECONDS", "5")
    how = f"through a worker (quiet window 1 s, worker poll {poll} s)"
    print_figures(how, system_url, figures)
    wait_until(lambda: unfinished_runs(service.api_url) == 0, timeout=180)
    print_run_phases(service.api_url)
