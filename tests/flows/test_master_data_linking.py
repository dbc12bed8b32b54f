"""First-time linking of records that exist on both sides, and ambiguous candidates."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tests.flows.conftest import connection_name, lexoffice_records, seed
from tests.support.builders import add_activity, add_customer, add_product, lex_article, lex_person


def customer_count(sessions: sessionmaker[Session]) -> int:
    with sessions.begin() as session:
        return len(queries.list_customers(session, include_archived=True))


def test_customers_link_by_customer_number_then_by_one_matching_email(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    by_number, by_email = seed(
        sandbox,
        "contacts",
        [
            lex_person("Albrecht", "a@example.de", roles={"customer": {"number": 10500}}),
            lex_person("Brandt", "Brandt@Example.de"),
        ],
    )
    first = add_customer(sessions, last_name="Albrecht", customer_number=10500)
    second = add_customer(sessions, last_name="Brandt", email="brandt@example.de")

    report = sync_master_data(connection=connection_name(connection_block), entities=["customers"])

    assert report.failed == 0
    assert len(lexoffice_records(sandbox, "contacts")) == 2  # nothing created in lexoffice
    assert customer_count(sessions) == 2  # nothing created in the system
    with sessions.begin() as session:
        links = {
            row["local_id"]: str(row["lexoffice_id"])
            for row in queries.link_rows(session, SyncEntity.CUSTOMER)
        }
        assert links == {first: by_number, second: by_email}


def test_ambiguous_email_is_reported_and_nothing_is_created_for_it(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    seed(
        sandbox,
        "contacts",
        [lex_person("Kurz", "same@example.de"), lex_person("Lang", "same@example.de")],
    )
    local_id = add_customer(sessions, last_name="Kurz", email="same@example.de")

    report = sync_master_data(connection=connection_name(connection_block), entities=["customers"])

    skips = [problem for _, problem in report.problems if problem.kind == "skip"]
    assert any("Kurz" in p.record or str(local_id) in p.record for p in skips), skips
    assert len(lexoffice_records(sandbox, "contacts")) == 2
    assert customer_count(sessions) == 1
    with sessions.begin() as session:
        assert queries.get_link(session, SyncEntity.CUSTOMER, local_id) is None


def test_products_link_by_article_number_then_ean_and_activities_by_exact_name(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    seed(
        sandbox,
        "articles",
        [
            lex_article("Kabel", articleNumber="K-1", netPrice=None),
            lex_article("Dose", gtin="4006381333931"),
            lex_article("Elektroinstallation", "SERVICE"),
        ],
    )
    add_product(sessions, "Kabel", article_number="K-1")
    add_product(sessions, "Dose", ean="4006381333931")
    add_activity(sessions, "Elektroinstallation")

    report = sync_master_data(connection=connection_name(connection_block))

    assert report.failed == 0, report.problems
    assert len(lexoffice_records(sandbox, "articles")) == 3
    with sessions.begin() as session:
        assert len(queries.link_rows(session, SyncEntity.PRODUCT)) == 2
        assert len(queries.link_rows(session, SyncEntity.ACTIVITY)) == 1
        assert len(queries.product_rows(session)) == 2
