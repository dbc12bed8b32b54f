"""Bad input, stale versions, lost answers and rate limits: one record fails alone, none twice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tasks.diff.engine import diff_records
from tasks.resources import lexoffice_client
from tasks.settings import SyncSettings
from tasks.sync.entities import CUSTOMERS, EntityName
from tasks.sync.extract import read_lexoffice_side, read_system_side
from tasks.sync.load import apply_entity_plan
from tasks.sync.plan import diff_settings_for
from tests.flows.conftest import (
    connection_name,
    edit_in_lexoffice,
    inject_fault,
    lexoffice_records,
    requests_log,
    seed,
)
from tests.support.builders import add_customer, add_product, lex_person


def sync(connection: LexsyncConnection, *entities: EntityName) -> Any:
    return sync_master_data(connection=connection_name(connection), entities=list(entities))


def sync_with_edit_in_between(
    connection: LexsyncConnection, sessions: sessionmaker[Session], edit: Any
) -> Any:
    """A customer sync where a lexoffice user edits between reading and writing."""
    settings = diff_settings_for(SyncSettings(), CUSTOMERS)
    with lexoffice_client(connection.lexoffice_settings()) as client:
        with sessions.begin() as session:
            system = read_system_side(session, CUSTOMERS)
        lexoffice = read_lexoffice_side(client, CUSTOMERS)
        plan = diff_records(CUSTOMERS.spec, system.local, lexoffice.remote, system.links, settings)
        edit()
        return apply_entity_plan(
            client, sessions, CUSTOMERS, plan, system, lexoffice, settings, "run-409"
        )


def linked_customer(
    sandbox: SandboxServer, connection: LexsyncConnection, sessions: sessionmaker[Session]
) -> tuple[int, str]:
    [lexoffice_id] = seed(sandbox, "contacts", [lex_person("Kranz", "kranz@example.de")])
    sync(connection, "customers")
    with sessions.begin() as session:
        [customer] = queries.list_customers(session)
    return customer.id, lexoffice_id


def test_stale_version_refetches_and_reapplies_change(
    sandbox: SandboxServer, connection: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id, lexoffice_id = linked_customer(sandbox, connection, sessions)
    with sessions.begin() as session:
        queries.update_customers(session, [{"id": local_id, "phone": "0911 1"}])

    sections = sync_with_edit_in_between(
        connection,
        sessions,
        lambda: edit_in_lexoffice(
            sandbox, "contacts", lexoffice_id, {"note": "Schlüssel beim Nachbarn"}
        ),
    )

    assert [s.counts["failed"] for s in sections] == [0, 0]
    assert [entry["status"] for entry in requests_log(sandbox, "PUT")] == [409, 200]
    [contact] = lexoffice_records(sandbox, "contacts")
    assert contact["note"] == "Schlüssel beim Nachbarn"  # the user's edit survived
    assert contact["phoneNumbers"]["business"] == ["0911 1"]  # and lexsync's change arrived
    with sessions.begin() as session:
        customer = queries.get_customer(session, local_id)
        assert customer is not None and customer.note == "Schlüssel beim Nachbarn"


def test_same_field_edited_during_sync_becomes_a_conflict_not_an_overwrite(
    sandbox: SandboxServer, connection: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id, lexoffice_id = linked_customer(sandbox, connection, sessions)
    with sessions.begin() as session:
        queries.update_customers(session, [{"id": local_id, "phone": "0911 1"}])
    edit = {"phoneNumbers": {"business": ["0911 2"]}}

    sections = sync_with_edit_in_between(
        connection, sessions, lambda: edit_in_lexoffice(sandbox, "contacts", lexoffice_id, edit)
    )

    conflicts = [p for s in sections for p in s.problems if p.kind == "conflict"]
    assert [c.field for c in conflicts] == ["phone"]
    [contact] = lexoffice_records(sandbox, "contacts")
    assert contact["phoneNumbers"]["business"] == ["0911 2"]


@pytest.mark.parametrize(
    "fault", ["commit-500", "commit-502", "commit-503", "504", "lose_response", "unreadable"]
)
def test_lost_answer_after_create_links_the_contact_without_a_duplicate(
    sandbox: SandboxServer,
    connection: LexsyncConnection,
    sessions: sessionmaker[Session],
    fault: str,
) -> None:
    local_id = add_customer(sessions, last_name="Lorenz", email="lorenz@example.de")
    inject_fault(sandbox, fault=fault, method="POST", path="/v1/contacts", count=1)

    first = sync(connection, "customers")
    second = sync(connection, "customers")

    assert first.failed == 0, first.problems
    [contact] = lexoffice_records(sandbox, "contacts")
    assert len(requests_log(sandbox, "POST")) == 1
    with sessions.begin() as session:
        link = queries.get_link(session, SyncEntity.CUSTOMER, local_id)
        assert link is not None and str(link.lexoffice_id) == contact["id"]
    assert second.problems == []


@pytest.mark.parametrize("fault", ["commit-503", "lose_response", "unreadable"])
def test_lost_answer_after_create_links_the_article_without_a_duplicate(
    sandbox: SandboxServer,
    connection: LexsyncConnection,
    sessions: sessionmaker[Session],
    fault: str,
) -> None:
    local_id = add_product(sessions, "Steckdose", article_number="SD-9")
    inject_fault(sandbox, fault=fault, method="POST", path="/v1/articles", count=1)

    first = sync(connection, "products")
    second = sync(connection, "products")

    assert first.failed == 0, first.problems
    [article] = lexoffice_records(sandbox, "articles")
    assert len(requests_log(sandbox, "POST")) == 1
    with sessions.begin() as session:
        link = queries.get_link(session, SyncEntity.PRODUCT, local_id)
        assert link is not None and str(link.lexoffice_id) == article["id"]
    assert second.problems == []


def test_rate_limit_answers_are_waited_out(
    sandbox: SandboxServer, connection: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    for index in range(3):
        add_customer(sessions, last_name=f"Kunde {index}")
    inject_fault(sandbox, fault="429", count=4)

    report = sync(connection, "customers")

    assert report.failed == 0, report.problems
    assert len(lexoffice_records(sandbox, "contacts")) == 3
    assert sum(1 for entry in requests_log(sandbox) if entry["status"] == 429) == 4


def test_bad_records_fail_alone_with_record_and_field_named(
    sandbox: SandboxServer, connection: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    add_customer(sessions, last_name="Gut", email="gut@example.de")
    add_customer(sessions, last_name="Schlecht", email="kein-at-zeichen")
    add_product(sessions, "Altes Kabel", article_number="A-1", tax_rate=Decimal("16"))
    add_product(sessions, "Neues Kabel", article_number="A-2")

    report = sync(connection, "customers", "products")

    failures = {(p.field, p.record) for _, p in report.problems if p.kind == "error"}
    assert any(field == "email" and "Schlecht" in record for field, record in failures)
    assert any(field == "tax_rate" and "Altes Kabel" in record for field, record in failures)
    assert {c["person"]["lastName"] for c in lexoffice_records(sandbox, "contacts")} == {"Gut"}
    assert [a["title"] for a in lexoffice_records(sandbox, "articles")] == ["Neues Kabel"]
    with sessions.begin() as session:
        assert len(queries.list_customers(session)) == 2  # nothing deleted
