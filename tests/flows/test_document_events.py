"""Documents live: an order-confirmation or delivery-note event imports that one document."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.lexoffice.sandbox.server import SandboxServer
from flows.customer_events import sync_contacts
from tasks.connection import LexsyncConnection
from tasks.report import RunReport
from tasks.settings import DocumentImport as DocumentImportSetting
from tests.flows.conftest import connection_name, edit_in_lexoffice, requests_log, seed
from tests.flows.test_documents_flow import configure, counts, document, projects, run

OC = "order confirmations"


def document_event(connection_block: LexsyncConnection, **ids: Any) -> RunReport:
    return sync_contacts([], connection=connection_name(connection_block), **ids)


def test_order_confirmation_event_imports_that_document_exactly_once(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    chosen, _other = seed(sandbox, "order-confirmations", [document(), document()])

    first = document_event(connection_block, order_confirmation_ids=[chosen])
    again = document_event(connection_block, order_confirmation_ids=[chosen])

    [project] = projects(sessions)
    assert str(project.lexoffice_id) == chosen
    assert counts(first, OC)["created"] == 1
    assert counts(again, OC)["created"] == 0 and counts(again, OC)["unchanged"] == 1
    assert [r["path"] for r in requests_log(sandbox, "GET")].count(
        f"/v1/order-confirmations/{chosen}"
    ) == 2  # one read per event, no listing
    run(connection_block)  # the full import afterwards: the other one only
    assert len(projects(sessions)) == 2


def test_draft_arrives_once_finalized(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    configure(connection_block, document_import=DocumentImportSetting.BOTH)
    [draft] = seed(sandbox, "delivery-notes", [document(voucherStatus="draft")])

    skipped = document_event(connection_block, delivery_note_ids=[draft])
    assert projects(sessions) == []
    assert counts(skipped, "delivery notes")["skipped"] == 1

    edit_in_lexoffice(sandbox, "delivery-notes", draft, {"voucherStatus": "open"})
    document_event(connection_block, delivery_note_ids=[draft])
    [project] = projects(sessions)
    assert str(project.lexoffice_id) == draft


def test_events_of_a_switched_off_document_type_are_dropped_unread(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    configure(connection_block, document_import=DocumentImportSetting.ORDER_CONFIRMATIONS)
    [note] = seed(sandbox, "delivery-notes", [document()])

    report = document_event(connection_block, delivery_note_ids=[note])

    assert projects(sessions) == []
    assert requests_log(sandbox, "GET") == []
    found = report.section("delivery notes", "lexoffice → system").counts
    assert found["not imported (switched off)"] == 1
