"""The master-data sync end to end: sandbox over HTTP, a real database, Prefect's harness."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import Customer, CustomerKind, Product
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tests.flows.conftest import connection_name, seed


def person_contact(last: str, email: str, **extra: Any) -> dict[str, Any]:
    return {
        "version": 0,
        "roles": {"customer": {}},
        "person": {"salutation": "Frau", "firstName": "Erika", "lastName": last},
        "addresses": {
            "billing": [
                {"street": "Hauptstr. 1", "zip": "10115", "city": "Berlin", "countryCode": "DE"}
            ]
        },
        "emailAddresses": {"business": [email]},
        **extra,
    }


def add_customer(sessions: sessionmaker[Session], **values: Any) -> int:
    with sessions.begin() as session:
        customer = Customer(kind=CustomerKind.PERSON, **values)
        session.add(customer)
        session.flush()
        return customer.id


def lexoffice_contacts(sandbox: SandboxServer) -> list[dict[str, Any]]:
    with sandbox.client() as http:
        page = http.get("/v1/contacts", params={"size": 250}).json()
    return list(page["content"])


def test_first_sync_links_imports_and_exports_and_second_sync_writes_nothing(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    seed(sandbox, "contacts", [person_contact("Müller", "mueller@example.de")])
    add_customer(sessions, last_name="Schröder", email="schroeder@example.de", billing_city="Köln")
    with sessions.begin() as session:
        session.add(
            Product(
                name="NYM-J 3x1,5",
                article_number="K-100",
                net_price=Decimal("1.2500"),
                tax_rate=Decimal("19"),
                unit="Meter",
            )
        )

    first = sync_master_data(connection=connection_name(connection_block))

    assert first.failed == 0, first.problems
    names = sorted(c["person"]["lastName"] for c in lexoffice_contacts(sandbox))
    assert names == ["Müller", "Schröder"]
    with sessions.begin() as session:
        customers = {c.last_name: c for c in queries.list_customers(session)}
        assert set(customers) == {"Müller", "Schröder"}
        assert customers["Müller"].email == "mueller@example.de"
        assert customers["Schröder"].customer_number is not None
    sandbox.control.delete("/requests")

    second = sync_master_data(connection=connection_name(connection_block))

    log = sandbox.control.get("/requests").json()
    assert [r for r in log if r["method"] != "GET"] == []
    # The control: the second run did read both sides and finished cleanly, it just had no work.
    assert second.failed == 0 and second.problems == []
    assert any(r["path"] == "/v1/contacts" for r in log)
    assert all(s.counts["created"] == s.counts["updated"] == 0 for s in second.sections)


def test_numbers_of_many_new_contacts_are_read_with_one_listing_not_one_get_each(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    for name in ("Adler", "Biber", "Dachs", "Elch"):
        add_customer(sessions, last_name=name, email=f"{name.lower()}@example.de")

    report = sync_master_data(connection=connection_name(connection_block), entities=["customers"])

    assert report.failed == 0, report.problems
    log = sandbox.control.get("/requests").json()
    contact_reads = [r["path"] for r in log if r["method"] == "GET" and "contacts" in r["path"]]
    assert contact_reads == ["/v1/contacts", "/v1/contacts"]  # the run's listing, then one more
    numbers = {c["person"]["lastName"]: c["roles"]["customer"]["number"] for c in
               lexoffice_contacts(sandbox)}  # fmt: skip
    with sessions.begin() as session:
        assert {c.last_name: c.customer_number for c in queries.list_customers(session)} == numbers
    sandbox.control.delete("/requests")
    again = sync_master_data(connection=connection_name(connection_block), entities=["customers"])
    assert [r["method"] for r in sandbox.control.get("/requests").json()] == ["GET"]
    assert all(s.counts["updated"] == 0 for s in again.sections)
