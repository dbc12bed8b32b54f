"""Bad input, stale versions, lost answers and rate limits: one record fails alone, none twice."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tasks.sync.entities import EntityName
from tests.flows.conftest import (
    connection_name,
    edit_in_lexoffice,
    inject_fault,
    lexoffice_records,
    requests_log,
    seed,
)
from tests.support.builders import add_customer, add_product, lex_person
from tests.support.sandbox import wait_until


def sync(connection_block: LexsyncConnection, *entities: EntityName) -> Any:
    return sync_master_data(connection=connection_name(connection_block), entities=list(entities))


HOLD_SECONDS = 2.0  # how long the sandbox holds the contact list back for the user's edit


def sync_with_edit_in_between(
    sandbox: SandboxServer, connection_block: LexsyncConnection, edit: Callable[[], None]
) -> Any:
    """The real customer sync, with a lexoffice user's edit between its reading and writing.

    The sandbox performs the sync's read of the contact list, then holds the answer back;
    meanwhile (once the read is in its log) the user edits, so the sync works on a list
    that is already stale when it arrives.
    """
    inject_fault(
        sandbox, fault="timeout", delay=HOLD_SECONDS, method="GET", path="/v1/contacts", count=1
    )

    def edit_once_the_list_is_held() -> None:
        wait_until(lambda: list_read_held(sandbox))
        edit()

    editor = ThreadPoolExecutor(max_workers=1)
    edited = editor.submit(edit_once_the_list_is_held)
    try:
        report = sync(connection_block, "customers")
    finally:
        editor.shutdown(wait=True)
    edited.result()  # the edit was made (raises if the read never came)
    held = [entry for entry in requests_log(sandbox, "GET") if entry.get("fault") == "timeout"]
    assert [entry["status"] for entry in held] == [200]  # the held list did arrive, stale
    return report


def list_read_held(sandbox: SandboxServer) -> bool:
    """The sandbox has performed the read of the contact list and holds its answer back."""
    return any(
        entry.get("fault") == "timeout" and "performedStatus" in entry and entry["status"] is None
        for entry in requests_log(sandbox, "GET")
    )


def linked_customer(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> tuple[int, str]:
    [lexoffice_id] = seed(sandbox, "contacts", [lex_person("Kranz", "kranz@example.de")])
    sync(connection_block, "customers")
    with sessions.begin() as session:
        [customer] = queries.list_customers(session)
    return customer.id, lexoffice_id


def test_stale_version_refetches_and_reapplies_change(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id, lexoffice_id = linked_customer(sandbox, connection_block, sessions)
    with sessions.begin() as session:
        queries.update_customers(session, [{"id": local_id, "phone": "0911 1"}])

    report = sync_with_edit_in_between(
        sandbox,
        connection_block,
        lambda: edit_in_lexoffice(
            sandbox, "contacts", lexoffice_id, {"note": "Schlüssel beim Nachbarn"}
        ),
    )

    assert report.failed == 0, report.problems
    assert [s.counts["failed"] for s in report.sections] == [0, 0]
    assert [entry["status"] for entry in requests_log(sandbox, "PUT")] == [409, 200]
    [contact] = lexoffice_records(sandbox, "contacts")
    assert contact["note"] == "Schlüssel beim Nachbarn"  # the user's edit survived
    assert contact["phoneNumbers"]["business"] == ["0911 1"]  # and lexsync's change arrived
    with sessions.begin() as session:
        customer = queries.get_customer(session, local_id)
        assert customer is not None and customer.note == "Schlüssel beim Nachbarn"


def test_same_field_edited_during_sync_becomes_a_conflict_not_an_overwrite(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id, lexoffice_id = linked_customer(sandbox, connection_block, sessions)
    with sessions.begin() as session:
        queries.update_customers(session, [{"id": local_id, "phone": "0911 1"}])
    edit = {"phoneNumbers": {"business": ["0911 2"]}}

    report = sync_with_edit_in_between(
        sandbox,
        connection_block,
        lambda: edit_in_lexoffice(sandbox, "contacts", lexoffice_id, edit),
    )

    conflicts = [p for s in report.sections for p in s.problems if p.kind == "conflict"]
    assert [c.field for c in conflicts] == ["phone"]
    [contact] = lexoffice_records(sandbox, "contacts")
    assert contact["phoneNumbers"]["business"] == ["0911 2"]


def test_lost_answer_after_create_links_the_contact_without_a_duplicate(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id = add_customer(sessions, last_name="Lorenz", email="lorenz@example.de")
    inject_fault(sandbox, fault="lose_response", method="POST", path="/v1/contacts", count=1)

    first = sync(connection_block, "customers")
    second = sync(connection_block, "customers")

    assert first.failed == 0, first.problems
    [contact] = lexoffice_records(sandbox, "contacts")
    assert len(requests_log(sandbox, "POST")) == 1
    with sessions.begin() as session:
        link = queries.get_link(session, SyncEntity.CUSTOMER, local_id)
        assert link is not None and str(link.lexoffice_id) == contact["id"]
    assert second.problems == []


def test_rate_limit_answers_are_waited_out(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    for index in range(3):
        add_customer(sessions, last_name=f"Kunde {index}")
    inject_fault(sandbox, fault="429", count=4)

    report = sync(connection_block, "customers")

    assert report.failed == 0, report.problems
    assert len(lexoffice_records(sandbox, "contacts")) == 3
    assert sum(1 for entry in requests_log(sandbox) if entry["status"] == 429) == 4


def test_bad_records_fail_alone_with_record_and_field_named(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    add_customer(sessions, last_name="Gut", email="gut@example.de")
    add_customer(sessions, last_name="Schlecht", email="kein-at-zeichen")
    add_product(sessions, "Altes Kabel", article_number="A-1", tax_rate=Decimal("16"))
    add_product(sessions, "Neues Kabel", article_number="A-2")

    report = sync(connection_block, "customers", "products")

    failures = {(p.field, p.record) for _, p in report.problems if p.kind == "error"}
    assert any(field == "email" and "Schlecht" in record for field, record in failures)
    assert any(field == "tax_rate" and "Altes Kabel" in record for field, record in failures)
    assert {c["person"]["lastName"] for c in lexoffice_records(sandbox, "contacts")} == {"Gut"}
    assert [a["title"] for a in lexoffice_records(sandbox, "articles")] == ["Neues Kabel"]
    with sessions.begin() as session:
        assert len(queries.list_customers(session)) == 2  # nothing deleted


def held_reads(sandbox: SandboxServer, path: str) -> int:
    """How many reads of `path` the sandbox performed and is holding back right now."""
    return sum(
        entry.get("fault") == "timeout" and entry["status"] is None and entry["path"] == path
        for entry in requests_log(sandbox, "GET")
    )


def test_a_record_changed_at_every_write_is_left_to_the_next_run(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    """A user edits the contact while each of lexsync's reads is on its way: every PUT is
    stale (409). After three the record is reported — in German, as the next run's job — and
    the next run, undisturbed, brings lexsync's change over without losing the user's."""
    local_id, lexoffice_id = linked_customer(sandbox, connection_block, sessions)
    with sessions.begin() as session:
        queries.update_customers(session, [{"id": local_id, "phone": "0911 1"}])
    one = f"/v1/contacts/{lexoffice_id}"
    inject_fault(sandbox, fault="timeout", delay=HOLD_SECONDS, method="GET", path="/v1/contacts")
    inject_fault(sandbox, fault="timeout", delay=HOLD_SECONDS, method="GET", path=one, count=2)

    def edit_during_each_read() -> None:
        wait_until(lambda: list_read_held(sandbox))
        edit_in_lexoffice(sandbox, "contacts", lexoffice_id, {"note": "Änderung 1"})
        for reread in (1, 2):
            wait_until(lambda: held_reads(sandbox, one) == 1)
            edit_in_lexoffice(sandbox, "contacts", lexoffice_id, {"note": f"Änderung {reread + 1}"})
            wait_until(lambda: held_reads(sandbox, one) == 0)

    editor = ThreadPoolExecutor(max_workers=1)
    edited = editor.submit(edit_during_each_read)
    try:
        first = sync(connection_block, "customers")
    finally:
        editor.shutdown(wait=True)
    edited.result()

    assert [entry["status"] for entry in requests_log(sandbox, "PUT")] == [409, 409, 409]
    [failure] = [p for s in first.sections for p in s.problems if p.kind == "error"]
    assert "in lexoffice inzwischen geändert; der nächste Lauf liest es neu" in failure.message
    second = sync(connection_block, "customers")
    assert second.failed == 0, second.problems
    [contact] = lexoffice_records(sandbox, "contacts")
    assert contact["note"] == "Änderung 3"
    assert contact["phoneNumbers"]["business"] == ["0911 1"]
