"""One fault-injection scenario: a mixed data set on both sides, faults, edits and rounds.

The data set is fixed; a seed chooses the fault schedule and when the lexoffice users edit.
Users only edit records that were typed into lexoffice before the first run, and only fields
the system never changes, so the end state does not depend on when an edit lands: the
fault-free reference applies the same edits before its first run.
"""

from __future__ import annotations

import os
import random
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import SecretStr
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.models import Customer, CustomerKind, Product
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.full_sync import full_sync
from flows.invoice import create_invoice
from tasks.connection import LexsyncConnection
from tasks.resources import system_sessions
from tests.faults.faults_end_state import EndState, end_state
from tests.faults.faults_org import Org
from tests.support.builders import (
    add_activity,
    add_customer,
    add_product,
    lex_article,
    lex_company,
    lex_person,
)
from tests.tasks.invoicing.invoicing_builders import seed_linked_work_report

WRITE_PATHS = ("/v1/contacts", "/v1/articles", "/v1/invoices")
READ_PATHS = ("/v1/contacts", "/v1/articles", "/v1/voucherlist", "/v1/profile")
MAYBE_PERFORMED = (
    "500",
    "504",
    "commit-502",
    "commit-503",
    "timeout",
    "lose_response",
    "unreadable",
)
# Every way a create can fail: refused before (429, 5xx) or performed and then answered
# badly (commit-then-5xx, 504, a real read timeout, a dropped connection, an unreadable 200).
CREATE_FAULTS = (
    "429",
    "500",
    "503",
    "commit-500",
    "commit-502",
    "commit-503",
    "504",
    "timeout",
    "lose_response",
    "unreadable",
)
# The client's read timeout in the suite (LEXSYNC_LEXOFFICE_READ_TIMEOUT) and how long a
# `timeout` fault holds the answer: longer, so the client really times out.
READ_TIMEOUT_SECONDS = 2.0
HELD_ANSWER_SECONDS = 2.5
SETTLE_ROUNDS = 3
DOCUMENT_DATE = "2026-03-02T10:00:00.000+01:00"
Edit = tuple[str, str, dict[str, Any]]  # resource, lexoffice id, changes


def fault_seeds(short: tuple[int, ...]) -> list[int]:
    """`short` in `make test`; `LEXSYNC_FAULT_SEEDS=N` runs seeds 0…N-1, `=17,42` those two."""
    chosen = os.environ.get("LEXSYNC_FAULT_SEEDS", "").strip()
    if not chosen:
        return list(short)
    if "," in chosen:
        return [int(part) for part in chosen.split(",") if part.strip()]
    return list(range(int(chosen)))


@dataclass
class Seeded:
    """What a scenario needs to know about the data it seeded."""

    work_report_id: int
    edits: list[Edit]  # what lexoffice users change
    system_edits: list[tuple[type[Any], int, dict[str, Any]]]  # what system users change


def seed_mixed_data(org: Org, sessions: sessionmaker[Session]) -> Seeded:
    """Customers, products and activities on both sides, documents, a completed work report."""
    seeded = seed_linked_work_report(sessions, org.control)
    add_customer(sessions, last_name="Ohnemail", first_name="Otto")  # no key to match by
    albrecht = add_customer(sessions, last_name="Albrecht", email="albrecht@example.de")
    add_customer(
        sessions, kind=CustomerKind.COMPANY, company_name="Dachbau Nord GmbH", phone="040 1"
    )
    add_customer(sessions, last_name="Beide", first_name="Erika", email="beide@example.de")
    socket = add_product(sessions, "Steckdose", article_number="SD-1", net_price=Decimal("3.45"))
    add_product(sessions, "Schalter", ean="4006381333931", net_price=Decimal("4.1000"))
    add_product(sessions, "Lüsterklemme", net_price=Decimal("0.2000"), unit="Stück")
    add_activity(sessions, "Fehlersuche", default_price=Decimal("65.0000"))
    contacts = org.seed(
        "contacts",
        [
            lex_person("Beide", "beide@example.de"),
            lex_person("Webkunde", "web@example.de"),
            lex_company("Hausverwaltung Süd GmbH"),
        ],
    )
    articles = org.seed(
        "articles",
        [
            lex_article("Kabelbinder", articleNumber="KB-1"),
            lex_article("Notdienst", "SERVICE", net="95.00"),
        ],
    )
    _seed_documents(org, contacts[1:])
    edits: list[Edit] = [
        ("contacts", contacts[1], {"note": "Hintereingang benutzen"}),
        ("contacts", contacts[2], {"phoneNumbers": {"business": ["089 555"]}}),
        ("articles", articles[0], {"price": {"netPrice": 0.15, "leadingPrice": "NET"}}),
        ("articles", articles[1], {"description": "Nachts und am Wochenende"}),
    ]
    system_edits: list[tuple[type[Any], int, dict[str, Any]]] = [
        (Customer, albrecht, {"phone": "0911 42"}),
        (Product, socket, {"net_price": Decimal("3.9900")}),
    ]
    return Seeded(seeded.work_report_id, edits, system_edits)


def apply_system_edits(sessions: sessionmaker[Session], seeded: Seeded) -> None:
    """Users of the field-service app change records (lexsync then updates lexoffice)."""
    with sessions.begin() as session:
        for model, record_id, changes in seeded.system_edits:
            record = session.get(model, record_id)
            for name, value in changes.items():
                setattr(record, name, value)


def _seed_documents(org: Org, contact_ids: list[str]) -> None:
    item = {
        "type": "custom",
        "name": "Elektroinstallation",
        "quantity": 2,
        "unitName": "Std",
        "unitPrice": {"currency": "EUR", "netAmount": 45.0, "taxRatePercentage": 19},
    }
    common = {
        "voucherDate": DOCUMENT_DATE,
        "voucherStatus": "open",
        "lineItems": [item],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
    }
    org.seed("order-confirmations", [common | {"address": {"contactId": contact_ids[0]}}])
    org.seed("delivery-notes", [common | {"address": {"contactId": contact_ids[1]}}])


def apply_edits(org: Org, edits: list[Edit]) -> None:
    for resource, record_id, changes in edits:
        org.control.patch(f"/{resource}/{record_id}", json=changes).raise_for_status()


def fault_schedule(seed_value: int) -> list[dict[str, Any]]:
    """The faults one seed arms (the sandbox keeps one random rule; counted rules go first).

    - the first create on one endpoint fails one way, chosen so that every 30 consecutive
      seeds cover every endpoint × every kind of `CREATE_FAULTS`;
    - a random share of POSTs fails any way lexoffice can fail (lost answers included);
    - one PUT and one or two reads fail in a way the call may or may not have happened;
    - two 429 bursts of one to three answers hit a random endpoint.
    A `timeout` holds the answer longer than the client's read timeout (see
    `READ_TIMEOUT_SECONDS`): the call was performed, the client never learns it.
    """
    rng = random.Random(seed_value)
    kind = CREATE_FAULTS[seed_value % len(CREATE_FAULTS)]
    endpoint = WRITE_PATHS[(seed_value // len(CREATE_FAULTS)) % len(WRITE_PATHS)]
    schedule: list[dict[str, Any]] = [
        {"fault": kind, "count": 1, "method": "POST", "path": endpoint},
        {"fault": rng.choice(MAYBE_PERFORMED), "count": 1, "method": "PUT"},
        {
            "fault": rng.choice(MAYBE_PERFORMED),
            "count": rng.randint(1, 2),
            "method": "GET",
            "path": rng.choice(READ_PATHS),
        },
    ]
    schedule += [
        {"fault": "429", "count": rng.randint(1, 3), "path": rng.choice(WRITE_PATHS)}
        for _ in range(2)
    ]
    random_posts = list(CREATE_FAULTS)
    schedule.append({"rate": 0.3, "seed": seed_value, "faults": random_posts, "method": "POST"})
    for rule in schedule:
        rule["delay"] = HELD_ANSWER_SECONDS
    return schedule


def arm(org: Org, schedule: list[dict[str, Any]]) -> None:
    for rule in schedule:
        org.control.post("/faults", json=rule).raise_for_status()


def disarm(org: Org) -> None:
    org.control.delete("/faults").raise_for_status()


@contextmanager
def edits_during_run(org: Org, edits: list[Edit], rng: random.Random) -> Iterator[None]:
    """Users edit in lexoffice while a run is going: each edit after the k-th API request."""
    points = sorted(rng.randint(1, 40) for _ in edits)
    stop = threading.Event()

    def edit_when_due() -> None:
        pending = list(zip(points, edits, strict=True))
        while pending and not stop.wait(0.02):
            seen = len(org.requests())
            while pending and pending[0][0] <= seen:
                apply_edits(org, [pending.pop(0)[1]])
        if pending:  # the run ended first: the users still make their edits
            apply_edits(org, [edit for _, edit in pending])

    editor = threading.Thread(target=edit_when_due, daemon=True)
    editor.start()
    try:
        yield
    finally:
        stop.set()
        editor.join(timeout=10)


@dataclass
class RunOutcome:
    """One round (full sync, then the invoice): its problems, failures and lexoffice writes."""

    problems: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    writes: list[dict[str, Any]] = field(default_factory=list)
    invoiced: bool = False

    @property
    def clean(self) -> bool:
        return not self.problems and not self.failures


def run_round(
    org: Org, connection: str, work_report_id: int | None, finalize: bool = False
) -> RunOutcome:
    """A full sync and (until it succeeded) the invoice flow, as schedule and button would."""
    before = len(org.requests())
    outcome = RunOutcome()
    _run_into(outcome, "full sync", lambda: full_sync(connection=connection))
    if work_report_id is not None:
        invoiced = _run_into(
            outcome, "invoice", lambda: create_invoice(work_report_id, connection, finalize)
        )
        outcome.invoiced = invoiced
    log = org.requests()[before:]
    outcome.writes = [r for r in log if r["method"] in ("POST", "PUT")]
    return outcome


def _run_into(outcome: RunOutcome, name: str, run: Callable[[], Any]) -> bool:
    """Runs one flow; False when the flow run failed (raised)."""
    try:
        result = run()
    except Exception as error:  # the flow run failed: its state says so
        outcome.failures.append(f"{name}: {type(error).__name__}: {error}")
        return False
    problems = getattr(result, "problems", [])
    outcome.problems += [f"{name}: {p.kind} {p.record}: {p.message}" for _, p in problems]
    return True


def save_connection(sandbox: SandboxServer, api_key: str, database_url: str) -> str:
    """A connection block on one sandbox organization. An unconfirmed create (record or
    invoice) the look-up does not find is sent again at once: the sandbox shows every record
    immediately, so the waits real lexoffice needs would only stop the rounds settling."""
    block = LexsyncConnection(
        database_url=database_url,
        lexoffice_base_url=sandbox.base_url,
        lexoffice_api_key=SecretStr(api_key),
        lexoffice_rate_per_second=90.0,
    )
    block.settings.recreate_unconfirmed_after_seconds = 0
    block.settings.invoicing.resend_after_seconds = 0
    name = f"faults-{uuid.uuid4().hex[:12]}"
    block.save(name)
    return name


def settle(
    org: Org, name: str, work_report_id: int, invoiced: bool, finalize: bool = False
) -> list[RunOutcome]:
    """Rounds without faults until one reports nothing and writes nothing to lexoffice."""
    outcomes: list[RunOutcome] = []
    for _ in range(SETTLE_ROUNDS):
        outcome = run_round(org, name, None if invoiced else work_report_id, finalize)
        invoiced = invoiced or outcome.invoiced
        outcomes.append(outcome)
        if outcome.clean and not outcome.writes and invoiced:
            break
    return outcomes


def fault_free_end_state(sandbox: SandboxServer, database_url: str) -> EndState:
    """The same data and edits synced without faults, in an organization of its own."""
    body = {"companyName": "Referenz ohne Fehler"}
    key = sandbox.control.post("/organizations", json=body).json()["apiKey"]
    org = Org(sandbox, key)
    sessions = system_sessions(database_url)
    seeded = seed_mixed_data(org, sessions)
    apply_edits(org, seeded.edits)
    apply_system_edits(sessions, seeded)
    name = save_connection(sandbox, key, database_url)
    outcomes = settle(org, name, seeded.work_report_id, invoiced=False)
    # One round does everything, the second finds nothing left: the faulted runs rely on it.
    assert len(outcomes) == 2 and outcomes[0].clean and not outcomes[1].writes, outcomes
    return end_state(org, sessions)
