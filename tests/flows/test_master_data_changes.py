"""Changes found by the three-way comparison, conflicts and the direction switches."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity, SyncJournal
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tasks.diff.settings import ConflictPolicy
from tasks.report import RunReport
from tests.flows.conftest import connection_name, edit_in_lexoffice, seed
from tests.support.builders import lex_person


def synced_pair(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> tuple[int, str]:
    """One customer linked on both sides after a first sync: (local id, lexoffice id)."""
    [lexoffice_id] = seed(sandbox, "contacts", [lex_person("Vogel", "vogel@example.de")])
    sync(connection_block)
    with sessions.begin() as session:
        [customer] = queries.list_customers(session)
        return customer.id, lexoffice_id


def sync(connection_block: LexsyncConnection, **parameters: Any) -> RunReport:
    return sync_master_data(
        connection=connection_name(connection_block), entities=["customers"], **parameters
    )


def set_customer(sessions: sessionmaker[Session], local_id: int, **values: Any) -> None:
    with sessions.begin() as session:
        queries.update_customers(session, [{"id": local_id, **values}])


def get_customer(sessions: sessionmaker[Session], local_id: int) -> Any:
    with sessions.begin() as session:
        return queries.get_customer(session, local_id)


def lexoffice_contact(sandbox: SandboxServer, lexoffice_id: str) -> dict[str, Any]:
    with sandbox.client() as http:
        return dict(http.get(f"/v1/contacts/{lexoffice_id}").json())


def save_settings(connection_block: LexsyncConnection) -> None:
    connection_block.save(connection_name(connection_block), overwrite=True)


def test_fields_changed_on_different_sides_merge(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id, lexoffice_id = synced_pair(sandbox, connection_block, sessions)
    set_customer(sessions, local_id, phone="030 1234567")
    edit_in_lexoffice(sandbox, "contacts", lexoffice_id, {"note": "Hund im Hof"})

    report = sync(connection_block)

    assert report.failed == 0, report.problems
    assert get_customer(sessions, local_id).note == "Hund im Hof"
    assert lexoffice_contact(sandbox, lexoffice_id)["phoneNumbers"]["business"] == ["030 1234567"]
    with sessions.begin() as session:
        actions = [(e.direction, e.action) for e in queries.journal_entries(session, _run(session))]
    assert ("export", "update") in actions and ("import", "update") in actions


def _run(session: Session) -> str:
    """The id of the newest run that journalled anything."""
    newest = sa.select(SyncJournal.run_id).order_by(SyncJournal.id.desc())
    return str(session.scalars(newest).first())


def test_conflict_is_reported_with_both_values_and_nothing_is_overwritten_by_default(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id, lexoffice_id = synced_pair(sandbox, connection_block, sessions)
    set_customer(sessions, local_id, email="neu-system@example.de")
    edit_in_lexoffice(
        sandbox, "contacts", lexoffice_id, {"emailAddresses": {"business": ["neu-lex@example.de"]}}
    )

    report = sync(connection_block)

    [conflict] = [p for _, p in report.problems if p.kind == "conflict"]
    assert conflict.field == "email"
    assert (conflict.system_value, conflict.lexoffice_value) == (
        "neu-system@example.de",
        "neu-lex@example.de",
    )
    assert get_customer(sessions, local_id).email == "neu-system@example.de"
    assert lexoffice_contact(sandbox, lexoffice_id)["emailAddresses"]["business"] == [
        "neu-lex@example.de"
    ]


def test_lexoffice_wins_policy_takes_lexoffice_value_on_conflict(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id, lexoffice_id = synced_pair(sandbox, connection_block, sessions)
    connection_block.settings.conflict_policy = ConflictPolicy.LEXOFFICE_WINS
    save_settings(connection_block)
    set_customer(sessions, local_id, billing_city="Potsdam")
    edit_in_lexoffice(
        sandbox,
        "contacts",
        lexoffice_id,
        {
            "addresses": {
                "billing": [
                    {
                        "street": "Hauptstr. 1",
                        "zip": "10115",
                        "city": "Spandau",
                        "countryCode": "DE",
                    }
                ]
            }
        },
    )

    report = sync(connection_block)

    assert [p.field for _, p in report.problems if p.kind == "conflict"] == ["billing_city"]
    assert get_customer(sessions, local_id).billing_city == "Spandau"
    assert sync(connection_block).problems == []  # settled: nothing left to decide


def test_disabled_import_keeps_lexoffice_change_pending_until_switched_on(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id, lexoffice_id = synced_pair(sandbox, connection_block, sessions)
    connection_block.settings.customers.import_enabled = False
    save_settings(connection_block)
    edit_in_lexoffice(sandbox, "contacts", lexoffice_id, {"person": {"lastName": "Vogelsang"}})

    held = sync(connection_block)
    assert get_customer(sessions, local_id).last_name == "Vogel"
    assert sum(s.counts["pending (import switched off)"] for s in held.sections) == 1

    connection_block.settings.customers.import_enabled = True
    save_settings(connection_block)
    sync(connection_block)

    assert get_customer(sessions, local_id).last_name == "Vogelsang"


def test_disabled_export_writes_nothing_to_lexoffice_and_applies_later(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id, lexoffice_id = synced_pair(sandbox, connection_block, sessions)
    set_customer(sessions, local_id, mobile="0171 555")

    sync(
        connection_block,
        directions={"customers": {"import_enabled": True, "export_enabled": False}},
    )
    assert "mobile" not in lexoffice_contact(sandbox, lexoffice_id).get("phoneNumbers", {})

    sync(connection_block)
    assert lexoffice_contact(sandbox, lexoffice_id)["phoneNumbers"]["mobile"] == ["0171 555"]


def test_own_writes_do_not_come_back_as_changes(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id, _ = synced_pair(sandbox, connection_block, sessions)
    set_customer(sessions, local_id, first_name="Erna")
    sync(connection_block)

    report = sync(connection_block)

    assert [(s.counts["created"], s.counts["updated"]) for s in report.sections] == [(0, 0), (0, 0)]
    with sessions.begin() as session:
        link = queries.get_link(session, SyncEntity.CUSTOMER, local_id)
        assert link is not None and link.synced_values["first_name"] == "Erna"
