"""Reports name every record by name and number and every waiting change by field and both
values; open issues carry the record's ids; document imports are journalled; `lexsync status`
shows both values of a conflict."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncIssue, SyncJournal
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.cli import main
from flows.documents import import_documents
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tests.flows.conftest import connection_name, edit_in_lexoffice, seed
from tests.flows.test_documents_flow import document
from tests.support.builders import lex_article, lex_person


def _customer_id(sessions: sessionmaker[Session]) -> int:
    with sessions.begin() as session:
        [row] = queries.customer_rows(session)
    return int(row["id"])


def test_change_waiting_on_a_contact_the_api_cannot_update_names_field_and_both_values(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    contact = lex_person("Doppelt", "a@doppelt.de")
    contact["emailAddresses"]["business"].append("b@doppelt.de")
    seed(sandbox, "contacts", [contact])
    sync_master_data(connection=connection_name(connection_block), entities=["customers"])
    local_id = _customer_id(sessions)
    with sessions.begin() as session:
        queries.update_customers(session, [{"id": local_id, "phone": "030 1234"}])

    report = sync_master_data(connection=connection_name(connection_block), entities=["customers"])

    [problem] = [p for _, p in report.problems]
    assert problem.message.startswith("in lexoffice von Hand ändern")
    assert (problem.field, problem.system_value, problem.lexoffice_value) == (
        "phone",
        "030 1234",
        None,
    )
    assert "Erika Doppelt" in problem.record and "Nr. 10001" in problem.record
    with sessions.begin() as session:
        [issue] = session.scalars(sa.select(SyncIssue)).all()
        assert (issue.local_id, issue.field) == (local_id, "phone")
        assert issue.values == {"system": "030 1234", "lexoffice": None}


def test_open_conflict_is_kept_with_its_ids_and_status_shows_both_values(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
) -> None:
    [article_id] = seed(sandbox, "articles", [lex_article("Kabel", articleNumber="K-1")])
    name = connection_name(connection_block)
    sync_master_data(connection=name, entities=["products"])
    edit_in_lexoffice(sandbox, "articles", article_id, {"title": "Kabel rot"})
    with sessions.begin() as session:
        [row] = queries.product_rows(session)
        queries.update_products(session, [{"id": row["id"], "name": "Kabel blau"}])

    report = sync_master_data(connection=name, entities=["products"])

    [problem] = [p for _, p in report.problems]
    assert problem.kind == "conflict" and "Nr. K-1" in problem.record
    with sessions.begin() as session:
        [issue] = session.scalars(sa.select(SyncIssue)).all()
        assert issue.local_id == row["id"] and str(issue.lexoffice_id) == article_id
    capsys.readouterr()
    main(["status", "--connection", name])
    out = capsys.readouterr().out
    assert "· Bezeichnung: " in out and "(System: „Kabel blau“, lexoffice: „Kabel rot“)" in out


def test_project_and_customer_made_from_a_document_address_are_journalled(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    seed(sandbox, "order-confirmations", [document()])

    import_documents(connection_name(connection_block))

    with sessions.begin() as session:
        entries = session.scalars(sa.select(SyncJournal).order_by(SyncJournal.id)).all()
        made = [e for e in entries if e.after and "created_from_address" in e.after]
        [entry] = made
        assert entry.direction == "import" and entry.action == "create"
        assert entry.after is not None and entry.after["company_name"] == "Baustelle Meier"
        exported = [e for e in entries if e.direction == "export" and e.local_id == entry.local_id]
        assert len(exported) == 1  # exported in the same run
        [project] = [e for e in entries if e.entity == "project"]
        assert (project.action, project.direction) == ("create", "import")
        assert project.after is not None and project.after["customer_id"] == entry.local_id
