"""A full sync leaves nothing for the next one: the second, straight after, only lists.

On the demo data and on a realistic account: archived, vendor-only and write-restricted
contacts, an archived article, order confirmations and delivery notes to one-time addresses
(the collective contact), a system with overlapping customers, products and activities.
"""

from __future__ import annotations

import math
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.demo import seed_demo
from connectors.fieldservice.models import Base
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.full_sync import full_sync
from tasks.connection import LexsyncConnection
from tasks.report import RunReport
from tests.flows.conftest import connection_name, lexoffice_records, requests_log, seed
from tests.flows.test_documents_flow import document
from tests.support.builders import (
    add_activity,
    add_customer,
    add_product,
    lex_article,
    lex_company,
    lex_person,
)

LISTINGS = ("/v1/contacts", "/v1/articles", "/v1/voucherlist")
SYSTEM_TABLES = (
    "customers",
    "products",
    "activities",
    "projects",
    "lexoffice_links",
    "sync_journal",
    "document_imports",
)


def test_second_full_sync_of_the_demo_data_writes_nothing_and_only_lists(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    sandbox.control.post("/seed-demo").raise_for_status()
    with sessions.begin() as session:
        seed_demo(session)

    _assert_second_sync_only_lists(sandbox, connection_block, sessions)


def test_second_full_sync_of_a_realistic_account_writes_nothing_and_only_lists(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    _seed_realistic_account(sandbox, sessions)

    first = _assert_second_sync_only_lists(sandbox, connection_block, sessions)

    exported = first.section("customers", "system → lexoffice").counts["created"]
    assert exported >= 3  # the overlap-free local customer and the two address customers
    names = {_contact_name(c) for c in lexoffice_records(sandbox, "contacts")}
    assert {"Baustelle Meier", "Familie Schulz"} <= names


def _assert_second_sync_only_lists(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> RunReport:
    first = full_sync(connection=connection_name(connection_block))
    before = _system_snapshot(sessions)
    sandbox.control.delete("/requests").raise_for_status()

    second = full_sync(connection=connection_name(connection_block))

    log = requests_log(sandbox)
    assert [(e["method"], e["path"]) for e in log if e["path"] not in LISTINGS] == []
    assert {e["method"] for e in log} == {"GET"}
    contacts = sum(
        1 for c in lexoffice_records(sandbox, "contacts") if "customer" in c.get("roles", {})
    )
    articles = len(lexoffice_records(sandbox, "articles"))
    voucherlist = sum(1 for e in log if e["path"] == "/v1/voucherlist")
    assert voucherlist == 1  # one listing for both document types, since the cursors
    minimum = math.ceil(contacts / 250) + math.ceil(articles / 250) + voucherlist
    assert len(log) == minimum
    after = _system_snapshot(sessions)
    for name in SYSTEM_TABLES:
        assert after[name] == before[name], (name, set(after[name]) ^ set(before[name]))
    for section in second.sections:
        assert section.counts["created"] == section.counts["updated"] == 0, section
    return first


def _system_snapshot(sessions: sessionmaker[Session]) -> dict[str, list[Any]]:
    """Every row of the tables a sync writes, as stored (timestamps included)."""
    tables = Base.metadata.tables
    with sessions() as session:
        return {
            name: [tuple(row) for row in session.execute(sa.select(tables[name]).order_by(
                *tables[name].primary_key.columns))]
            for name in SYSTEM_TABLES
        }  # fmt: skip


def _contact_name(contact: dict[str, Any]) -> str | None:
    company = contact.get("company") or {}
    return company.get("name") or (contact.get("person") or {}).get("lastName")


def _seed_realistic_account(sandbox: SandboxServer, sessions: sessionmaker[Session]) -> None:
    restricted = lex_person("Doppelt", "a@doppelt.de")
    restricted["emailAddresses"]["business"].append("b@doppelt.de")
    [active, *_] = seed(
        sandbox,
        "contacts",
        [
            lex_person("Kunde", "kunde@example.de"),
            lex_person("Archiviert", "alt@example.de", archived=True),
            lex_company("Nur Lieferant GmbH", roles={"vendor": {}}),
            restricted,
            lex_company("Gemeinsam GmbH", emailAddresses={"business": ["info@gemeinsam.de"]}),
        ],
    )
    seed(
        sandbox,
        "articles",
        [
            lex_article("Kabel", articleNumber="K-1", gtin="4006381333931"),
            lex_article("Altlast", articleNumber="K-2", archived=True),
            lex_article("Montage", "SERVICE"),
            lex_article("Wartung", "SERVICE", archived=True),
        ],
    )
    one_time = {"name": "Baustelle Meier", "street": "Hauptstr. 1", "zip": "10115",
                "city": "Berlin", "countryCode": "DE"}  # fmt: skip
    other = {"name": "Familie Schulz", "street": "Am See 2", "zip": "14467", "city": "Potsdam",
             "countryCode": "DE"}  # fmt: skip
    seed(
        sandbox,
        "order-confirmations",
        [
            document(address=one_time),
            document(address=one_time),
            document(address={"contactId": active}),
        ],
    )
    seed(sandbox, "delivery-notes", [document(address=other)])
    add_customer(sessions, last_name="Lokal", email="lokal@example.de")
    add_customer(sessions, kind="company", company_name="Gemeinsam GmbH", email="info@gemeinsam.de")
    add_product(sessions, "Kabel", article_number="K-1")
    add_product(sessions, "Dose", article_number="D-1")
    add_activity(sessions, "Montage")
    add_activity(sessions, "Beratung")
