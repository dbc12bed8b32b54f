"""What the sync never does: overwrite what it does not manage, export what it must not."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import LinkStatus, SyncEntity
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tasks.sync.entities import EntityName
from tests.flows.conftest import (
    connection_name,
    edit_in_lexoffice,
    lexoffice_records,
    requests_log,
    seed,
)
from tests.support.builders import add_customer, add_product, lex_article, lex_person


def sync(connection_block: LexsyncConnection, *entities: EntityName) -> Any:
    return sync_master_data(
        connection=connection_name(connection_block), entities=list(entities) or None
    )


def only_customer(sessions: sessionmaker[Session]) -> Any:
    with sessions.begin() as session:
        [customer] = queries.list_customers(session, include_archived=True)
        return customer


def customer_named(sessions: sessionmaker[Session], last_name: str) -> Any:
    with sessions.begin() as session:
        customers = queries.list_customers(session, include_archived=True)
        [customer] = [c for c in customers if c.last_name == last_name]
        return customer


def rename(sessions: sessionmaker[Session], *customer_ids: int, first_name: str) -> None:
    with sessions.begin() as session:
        queries.update_customers(
            session, [{"id": i, "first_name": first_name} for i in customer_ids]
        )


def put_paths(sandbox: SandboxServer) -> list[str]:
    return [entry["path"] for entry in requests_log(sandbox, "PUT")]


def test_export_keeps_what_lexsync_does_not_manage_in_lexoffice(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    company = {
        "version": 0,
        "roles": {"customer": {}},
        "company": {
            "name": "Bau AG",
            "vatRegistrationId": "DE123456789",
            "contactPersons": [
                {"salutation": "Herr", "firstName": "Jan", "lastName": "Bauer", "primary": True}
            ],
        },
        "xRechnung": {"buyerReference": "04011000-1234512345-06", "vendorNumberAtCustomer": "V-7"},
    }
    [lexoffice_id] = seed(sandbox, "contacts", [company])
    sync(connection_block, "customers")
    with sessions.begin() as session:
        queries.update_customers(session, [{"id": only_customer(sessions).id, "phone": "0221 99"}])

    report = sync(connection_block, "customers")

    assert report.failed == 0, report.problems
    [contact] = lexoffice_records(sandbox, "contacts")
    assert contact["id"] == lexoffice_id
    assert contact["phoneNumbers"]["business"] == ["0221 99"]
    assert contact["company"]["vatRegistrationId"] == "DE123456789"
    assert contact["company"]["contactPersons"][0]["lastName"] == "Bauer"
    assert contact["xRechnung"]["vendorNumberAtCustomer"] == "V-7"


def test_contact_the_api_cannot_update_is_imported_and_its_export_reported(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    two_mails = lex_person("Doppel", emailAddresses={"business": ["a@example.de", "b@example.de"]})
    _, plain_id = seed(sandbox, "contacts", [two_mails, lex_person("Einfach", "e@example.de")])
    sync(connection_block, "customers")
    customer = customer_named(sessions, "Doppel")
    assert customer.email == "a@example.de"  # the first business address is taken
    rename(sessions, customer.id, customer_named(sessions, "Einfach").id, first_name="Eva")

    report = sync(connection_block, "customers")

    skips = [p for _, p in report.problems if p.kind == "skip"]
    assert any("in lexoffice von Hand ändern" in p.message for p in skips), report.problems
    # The same change to a writable contact is sent: the run did reach the writes.
    assert put_paths(sandbox) == [f"/v1/contacts/{plain_id}"]


def test_excluded_product_is_neither_exported_nor_changed_by_imports(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    seed(sandbox, "articles", [lex_article("Dübel", articleNumber="D-6", net="9.99")])
    add_product(sessions, "Dübel", article_number="D-6", exclude_from_sync=True)
    add_product(sessions, "Geheim", article_number="X-1", exclude_from_sync=True)
    add_product(sessions, "Offen", article_number="O-1")  # the control: exported

    sync(connection_block, "products")

    titles = sorted(a["title"] for a in lexoffice_records(sandbox, "articles"))
    assert titles == ["Dübel", "Offen"]
    with sessions.begin() as session:
        prices = {row["name"]: row["net_price"] for row in queries.product_rows(session)}
    assert prices["Dübel"] == Decimal("1.2500")


def test_archived_contact_is_imported_as_archived_and_never_exported(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    _, active_id = seed(
        sandbox, "contacts", [lex_person("Alt", archived=True), lex_person("Aktiv")]
    )
    sync(connection_block, "customers")
    archived = customer_named(sessions, "Alt")
    assert archived.archived
    rename(sessions, archived.id, customer_named(sessions, "Aktiv").id, first_name="Neu")

    report = sync(connection_block, "customers")

    assert report.failed == 0, report.problems
    # Only the active contact's change is sent: the run did write, just not the archived one.
    assert put_paths(sandbox) == [f"/v1/contacts/{active_id}"]
    assert customer_named(sessions, "Alt").archived


def test_record_deleted_in_lexoffice_is_kept_and_its_link_marked(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    [lexoffice_id] = seed(sandbox, "contacts", [lex_person("Weg")])
    sync(connection_block, "customers")
    sandbox.control.delete(f"/contacts/{lexoffice_id}").raise_for_status()

    first = sync(connection_block, "customers")
    second = sync(connection_block, "customers")

    customer = only_customer(sessions)
    with sessions.begin() as session:
        link = queries.get_link(session, SyncEntity.CUSTOMER, customer.id)
        assert link is not None and link.status == LinkStatus.MISSING_IN_LEXOFFICE
    assert any("nicht mehr in lexoffice" in p.message for _, p in first.problems)
    assert lexoffice_records(sandbox, "contacts") == []  # never re-created
    assert second.problems == []


def test_nothing_in_lexoffice_is_deleted_when_a_product_is_deleted_in_the_system(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    product_id = add_product(sessions, "Schalter", article_number="S-1")
    kept_id = add_product(sessions, "Dose", article_number="D-1")
    sync(connection_block, "products")
    with sessions.begin() as session:
        session.delete(queries.get_product(session, product_id))
        queries.update_products(session, [{"id": kept_id, "net_price": Decimal("2.5000")}])

    report = sync(connection_block, "products")

    assert report.failed == 0, report.problems
    articles = {a["title"]: a for a in lexoffice_records(sandbox, "articles")}
    assert sorted(articles) == ["Dose", "Schalter"]
    assert put_paths(sandbox) == [f"/v1/articles/{articles['Dose']['id']}"]
    assert requests_log(sandbox, "DELETE") == []


def test_lexoffice_edit_of_a_linked_record_is_imported(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    add_customer(sessions, last_name="Stein", billing_city="Bonn")
    sync(connection_block, "customers")
    [contact] = lexoffice_records(sandbox, "contacts")
    edit_in_lexoffice(sandbox, "contacts", contact["id"], {"person": {"firstName": "Petra"}})

    sync(connection_block, "customers")

    assert only_customer(sessions).first_name == "Petra"


def test_article_is_deleted_only_when_the_setting_says_so(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    product_id = add_product(sessions, "Stecker", article_number="ST-1")
    connection_block.settings.delete_articles_in_lexoffice = True
    connection_block.save(connection_name(connection_block), overwrite=True)
    sync(connection_block, "products")
    with sessions.begin() as session:
        session.delete(queries.get_product(session, product_id))

    sync(connection_block, "products")
    again = sync(connection_block, "products")

    assert lexoffice_records(sandbox, "articles") == []
    assert len(requests_log(sandbox, "DELETE")) == 1
    assert again.failed == 0
