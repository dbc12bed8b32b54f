"""The customer of an imported document: linked, imported first, or made from the address."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.models import Customer, CustomerKind, SyncEntity
from connectors.fieldservice.queries import (
    add,
    get_link_by_lexoffice_id,
    link_rows,
    list_customers,
    upsert_link,
)
from connectors.lexoffice.sandbox.server import SandboxServer
from tasks.connection import LexsyncConnection
from tests.flows.conftest import seed
from tests.flows.test_documents_flow import document, projects, run

ADDRESS = {
    "name": "Baustelle Meier",
    "supplement": "Hinterhaus",
    "street": "Hauptstr. 1",
    "zip": "10115",
    "city": "Berlin",
    "countryCode": "DE",
}


def customers(sessions: sessionmaker[Session]) -> list[Customer]:
    with sessions() as session:
        found = list_customers(session, include_archived=True)
        session.expunge_all()
        return found


def test_document_of_a_linked_contact_gets_the_linked_customer(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    [contact_id] = seed(sandbox, "contacts", [{"company": {"name": "Muster GmbH"}}])
    with sessions.begin() as session:
        customer = add(session, Customer(kind=CustomerKind.COMPANY, company_name="Muster GmbH"))
        upsert_link(session, SyncEntity.CUSTOMER, customer.id, uuid.UUID(contact_id), 1, {})
        customer_id = customer.id
    seed(sandbox, "order-confirmations", [document(address={"contactId": contact_id})])
    run(connection_block)
    [project] = projects(sessions)
    assert project.customer_id == customer_id
    assert project.name == "AB0001 – Muster GmbH"
    assert len(customers(sessions)) == 1


def test_one_time_addresses_become_customers_once_per_address_exported_in_the_same_run(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    other = {"name": "Familie Schulz", "city": "Potsdam", "countryCode": "DE"}
    seed(
        sandbox,
        "order-confirmations",
        [document(address=ADDRESS), document(address=ADDRESS), document(address=other)],
    )
    seed(sandbox, "delivery-notes", [document(address=ADDRESS)])
    run(connection_block)
    made = {customer.company_name: customer for customer in customers(sessions)}
    assert set(made) == {"Baustelle Meier", "Familie Schulz"}
    meier = made["Baustelle Meier"]
    assert (meier.kind, meier.billing_street, meier.billing_zip, meier.billing_city) == (
        CustomerKind.COMPANY,
        "Hauptstr. 1",
        "10115",
        "Berlin",
    )
    assert meier.note is not None and "Zusatz: Hinterhaus" in meier.note
    by_customer = sorted(project.customer_id for project in projects(sessions))
    assert by_customer == sorted([meier.id] * 3 + [made["Familie Schulz"].id])
    with sessions() as session:
        linked = {row["local_id"] for row in link_rows(session, SyncEntity.CUSTOMER)}
    assert linked == {meier.id, made["Familie Schulz"].id}  # exported to lexoffice at once
    assert all(c.customer_number is not None for c in customers(sessions))  # and numbered


def test_contact_not_yet_in_the_system_is_imported_first(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    contacts: list[dict[str, Any]] = [
        {"company": {"name": "Neukunde AG"}},
        {"company": {"name": "Nur Lieferant"}, "roles": {"vendor": {}}},
    ]
    [contact_id, vendor_id] = seed(sandbox, "contacts", contacts)
    seed(
        sandbox,
        "order-confirmations",
        [document(address={"contactId": contact_id}), document(address={"contactId": vendor_id})],
    )
    report = run(connection_block)
    [customer] = customers(sessions)
    assert customer.company_name == "Neukunde AG"
    with sessions() as session:
        link = get_link_by_lexoffice_id(session, SyncEntity.CUSTOMER, uuid.UUID(contact_id))
        assert link is not None and link.local_id == customer.id
    [project] = projects(sessions)
    assert project.customer_id == customer.id
    [failure] = [p for s, p in report.problems if s.entity == "order confirmations"]
    assert "konnte nicht zuerst als Kunde importiert" in failure.message
