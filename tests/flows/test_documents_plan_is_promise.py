"""The document import's dry run is a promise: its report is what the real run straight after it
does, entry by entry, for the contacts imported first and the customers made from addresses
(and exported to lexoffice) as much as for the projects; and it writes nothing."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.models import Customer, CustomerKind, SyncEntity
from connectors.fieldservice.queries import add, upsert_link
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.documents import import_documents
from flows.full_sync import full_sync
from tasks.connection import LexsyncConnection
from tasks.report import RunReport
from tests.flows.conftest import connection_name, requests_log, seed
from tests.flows.test_documents_customers import customers
from tests.flows.test_documents_flow import document, projects
from tests.support.builders import lex_company

ONE_TIME = {"name": "Baustelle Meier", "street": "Hauptstr. 1", "zip": "10115",
            "city": "Berlin", "countryCode": "DE"}  # fmt: skip
KNOWN = {"name": "Familie Schulz", "street": "Am See 2", "zip": "14467", "city": "Potsdam",
         "countryCode": "DE"}  # fmt: skip
FLOWS: dict[str, Callable[..., Any]] = {"document-import": import_documents, "full-sync": full_sync}
WRITES = ("POST", "PUT", "DELETE")


@pytest.mark.parametrize("flow_name", list(FLOWS))
def test_dry_run_reports_what_the_document_import_then_does(
    connection_block: LexsyncConnection,
    sandbox: SandboxServer,
    sessions: sessionmaker[Session],
    flow_name: str,
) -> None:
    _seed_documents(sandbox, sessions)
    run_flow = FLOWS[flow_name]
    name = connection_name(connection_block)
    customers_before = len(customers(sessions))

    planned = run_flow(connection=name, dry_run=True)
    assert isinstance(planned, RunReport)
    assert [e for e in requests_log(sandbox) if e["method"] in WRITES] == []
    assert projects(sessions) == [] and len(customers(sessions)) == customers_before

    done = run_flow(connection=name)
    assert isinstance(done, RunReport)

    assert _entries(planned) == _entries(done)
    planned_counts, planned_problems = _entries(planned)
    # The promise covers the customers, not only the projects: made from the one-time address
    # (once for two documents; the known address reuses its customer) and exported at once.
    made = planned_counts[("order confirmations", "lexoffice → system",
                           "customers created from the address")]  # fmt: skip
    assert made == 1
    assert planned_counts[("order confirmations", "lexoffice → system", "created")] == 4
    assert planned_counts[("delivery notes", "lexoffice → system", "created")] == 1
    [vendor_failure] = [p for p in planned_problems if p[0] == "order confirmations"]
    assert "konnte nicht zuerst als Kunde importiert werden" in vendor_failure[5]
    exported = planned_counts[("customers", "system → lexoffice", "created")]
    imported = planned_counts[("customers", "lexoffice → system", "created")]
    if flow_name == "document-import":  # the unlinked contact is imported first, by this run
        assert (exported, imported) == (1, 1)
    else:  # and by the master-data step here, which also exports the system's own customer
        assert (exported, imported) == (2, 1)
    assert len(projects(sessions)) == 5


def _entries(report: RunReport) -> tuple[Counter[Any], Counter[Any]]:
    """Every non-zero count and every problem (with its named record), by section."""
    counts: Counter[Any] = Counter()
    problems: Counter[Any] = Counter()
    for section in report.sections:
        where = (section.entity, section.direction)
        counts.update({(*where, k): v for k, v in section.counts.items() if v})
        problems.update((*where, p.kind, p.record, p.field, p.message) for p in section.problems)
    return counts, problems


def _seed_documents(sandbox: SandboxServer, sessions: sessionmaker[Session]) -> None:
    """Documents to a linked contact, an unlinked one, a vendor-only one (fails), a one-time
    address twice, and an address an existing customer has already."""
    [linked, unlinked, vendor] = seed(
        sandbox,
        "contacts",
        [
            lex_company("Muster GmbH"),
            lex_company("Neukunde AG"),
            lex_company("Nur Lieferant GmbH", roles={"vendor": {}}),
        ],
    )
    with sessions.begin() as session:
        customer = add(session, Customer(kind=CustomerKind.COMPANY, company_name="Muster GmbH"))
        upsert_link(session, SyncEntity.CUSTOMER, customer.id, uuid.UUID(linked), 1, {})
        add(
            session,
            Customer(
                kind=CustomerKind.COMPANY,
                company_name="Familie Schulz",
                billing_street="Am See 2",
                billing_zip="14467",
                billing_city="Potsdam",
                billing_country_code="DE",
            ),
        )
    seed(
        sandbox,
        "order-confirmations",
        [
            document(address={"contactId": linked}),
            document(address={"contactId": unlinked}),
            document(address={"contactId": vendor}),
            document(address=ONE_TIME),
            document(address=ONE_TIME),
        ],
    )
    seed(sandbox, "delivery-notes", [document(address=KNOWN)])
