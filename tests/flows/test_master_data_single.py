"""Syncing chosen customers only (documents, invoices, webhooks) with the full sync's rules."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.lexoffice.sandbox.server import SandboxServer
from tasks.connection import LexsyncConnection
from tasks.report import RunReport
from tasks.resources import lexoffice_client
from tasks.settings import SyncSettings
from tasks.sync.single import export_customers, import_contacts
from tests.flows.conftest import lexoffice_records, requests_log, seed
from tests.support.builders import add_customer, lex_person


def test_import_contacts_imports_only_the_chosen_contact(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    chosen, _other = seed(sandbox, "contacts", [lex_person("Gewählt"), lex_person("Andere")])
    add_customer(sessions, last_name="Nur lokal")
    report = RunReport("test")

    with lexoffice_client(connection_block.lexoffice_settings()) as client:
        ids = import_contacts(sessions, client, SyncSettings(), [chosen], "run-1", report)

    with sessions.begin() as session:
        names = sorted(c.last_name or "" for c in queries.list_customers(session))
        assert names == ["Gewählt", "Nur lokal"]
        customer = queries.get_customer(session, ids[chosen])
        assert customer is not None and customer.last_name == "Gewählt"
    assert requests_log(sandbox, "POST") == []  # the unlinked local customer was not exported


def test_import_contacts_respects_the_import_switch(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    [chosen] = seed(sandbox, "contacts", [lex_person("Gesperrt")])
    settings = SyncSettings.model_validate({"customers": {"import_enabled": False}})

    with lexoffice_client(connection_block.lexoffice_settings()) as client:
        ids = import_contacts(sessions, client, settings, [chosen], "run-2", RunReport("test"))

    assert ids == {}
    with sessions.begin() as session:
        assert queries.list_customers(session) == []


def test_export_customers_links_a_matching_contact_instead_of_creating_a_second(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    [existing] = seed(sandbox, "contacts", [lex_person("Seidel", "seidel@example.de")])
    local_id = add_customer(sessions, last_name="Seidel", email="seidel@example.de")
    new_id = add_customer(sessions, last_name="Neu", billing_city="Jena")
    add_customer(sessions, last_name="Unbeteiligt")
    report = RunReport("test")

    with lexoffice_client(connection_block.lexoffice_settings()) as client:
        ids = export_customers(sessions, client, SyncSettings(), [local_id, new_id], "r", report)

    assert ids[local_id] == existing
    names = sorted(c["person"]["lastName"] for c in lexoffice_records(sandbox, "contacts"))
    assert names == ["Neu", "Seidel"]
    assert report.failed == 0
