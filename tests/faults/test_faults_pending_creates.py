"""The pending-create marker: a create whose outcome is unknown is settled before anything else.

A 500 answer to a POST leaves the outcome unknown (lexoffice may have performed it); the
immediate look-up finds nothing, so the customer's marker stays. What the next run does:
found exactly once → linked; found twice → held; not found → held until the wait is over.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import PendingCreate, SyncEntity
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tasks.report import RunReport
from tests.flows.conftest import (
    connection_name,
    inject_fault,
    lexoffice_records,
    requests_log,
    seed,
)
from tests.support.builders import add_customer, lex_person

WITHOUT_EMAIL: dict[str, Any] = {"first_name": "Otto", "last_name": "Ohnemail"}


def sync(connection_block: LexsyncConnection) -> RunReport:
    return sync_master_data(connection=connection_name(connection_block), entities=["customers"])


def unconfirmed_create(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> int:
    """A customer whose create got a 500: reported, and its marker left behind."""
    local_id = add_customer(sessions, **WITHOUT_EMAIL)
    inject_fault(sandbox, fault="500", method="POST", path="/v1/contacts")
    report = sync(connection_block)
    [(_, problem)] = report.problems
    assert problem.record == f"Kunde {local_id} (Otto Ohnemail)"
    assert problem.message.startswith("lexoffice bestätigte nicht, ob es ausgeführt wurde")
    assert markers(sessions) == [local_id]
    return local_id


def markers(sessions: sessionmaker[Session]) -> list[int]:
    with sessions.begin() as session:
        return [m.local_id for m in queries.pending_creates(session, SyncEntity.CUSTOMER)]


def as_lexoffice_created_it() -> dict[str, Any]:
    """The contact the lost POST would have created (what lexsync sends for this customer)."""
    contact = lex_person("Ohnemail", None)
    contact["person"] = {"firstName": "Otto", "lastName": "Ohnemail"}
    contact.pop("addresses")
    return contact


def post_count(sandbox: SandboxServer) -> int:
    return sum(1 for r in requests_log(sandbox, "POST") if r["path"] == "/v1/contacts")


def test_faults_a_create_found_later_is_linked_not_sent_again(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id = unconfirmed_create(sandbox, connection_block, sessions)
    [contact_id] = seed(sandbox, "contacts", [as_lexoffice_created_it()])

    report = sync(connection_block)

    assert report.problems == []
    assert post_count(sandbox) == 1 and markers(sessions) == []
    with sessions.begin() as session:
        link = queries.get_link(session, SyncEntity.CUSTOMER, local_id)
        assert link is not None and str(link.lexoffice_id) == contact_id
        assert len(queries.list_customers(session)) == 1  # not imported as a new customer
    assert sync(connection_block).problems == []


def test_faults_a_create_not_found_is_held_and_reported_until_the_wait_is_over(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id = unconfirmed_create(sandbox, connection_block, sessions)

    held = sync(connection_block)

    [(_, problem)] = held.problems
    assert problem.record == f"Kunde {local_id} (Otto Ohnemail)"
    assert "noch nicht in lexoffice gefunden; ab" in problem.message
    assert post_count(sandbox) == 1 and markers(sessions) == [local_id]
    with sessions.begin() as session:
        [marker] = session.query(PendingCreate).all()
        marker.sent_at -= dt.timedelta(seconds=301)  # the connection's wait (300 s) is over

    assert sync(connection_block).problems == []
    assert post_count(sandbox) == 2 and markers(sessions) == []
    assert len(lexoffice_records(sandbox, "contacts")) == 1


def test_faults_a_create_found_twice_is_never_sent_again(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id = unconfirmed_create(sandbox, connection_block, sessions)
    seed(sandbox, "contacts", [as_lexoffice_created_it(), as_lexoffice_created_it()])
    with sessions.begin() as session:
        [marker] = session.query(PendingCreate).all()
        marker.sent_at -= dt.timedelta(days=1)

    report = sync(connection_block)

    assert any("mehrere Datensätze in lexoffice gleichen" in p.message for _, p in report.problems)
    assert post_count(sandbox) == 1 and markers(sessions) == [local_id]
