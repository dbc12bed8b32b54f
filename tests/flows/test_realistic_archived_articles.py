"""Archived articles: archived in lexoffice → archived in the system, never exported, shown."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tasks.report import RunReport
from tests.flows.conftest import connection_name, edit_in_lexoffice, requests_log, seed
from tests.support.builders import add_product, lex_article

IMPORTING = "lexoffice → system"


def _archived(sessions: sessionmaker[Session]) -> dict[str, bool]:
    with sessions.begin() as session:
        rows = queries.product_rows(session) + queries.activity_rows(session)
    return {row["name"]: row["archived"] for row in rows}


def _counts(report: RunReport, entity: str) -> Any:
    return report.section(entity, IMPORTING).counts


def _sync(connection_block: LexsyncConnection) -> RunReport:
    return sync_master_data(connection=connection_name(connection_block))


def test_archived_articles_arrive_archived_and_follow_lexoffice_back(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    [_, old_product, _, old_activity] = seed(
        sandbox,
        "articles",
        [
            lex_article("Kabel"),
            lex_article("Altlast", archived=True),
            lex_article("Montage", "SERVICE"),
            lex_article("Wartung", "SERVICE", archived=True),
        ],
    )

    first = _sync(connection_block)

    assert _archived(sessions) == {
        "Kabel": False,
        "Altlast": True,
        "Montage": False,
        "Wartung": True,
    }
    assert _counts(first, "products")["archived (as in lexoffice)"] == 1
    assert _counts(first, "activities")["archived (as in lexoffice)"] == 1

    edit_in_lexoffice(sandbox, "articles", old_product, {"archived": False})
    edit_in_lexoffice(sandbox, "articles", old_activity, {"archived": False})
    second = _sync(connection_block)

    assert not any(_archived(sessions).values())
    assert _counts(second, "products")["un-archived (as in lexoffice)"] == 1
    assert _counts(second, "activities")["un-archived (as in lexoffice)"] == 1


def test_archived_article_takes_no_change_from_the_system_and_says_so(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    [article_id] = seed(sandbox, "articles", [lex_article("Kabel", articleNumber="K-1")])
    _sync(connection_block)
    edit_in_lexoffice(sandbox, "articles", article_id, {"archived": True})
    with sessions.begin() as session:
        [row] = queries.product_rows(session)
        queries.update_products(session, [{"id": row["id"], "name": "Kabel neu"}])
    sandbox.control.delete("/requests").raise_for_status()

    report = _sync(connection_block)

    assert [e for e in requests_log(sandbox) if e["method"] != "GET"] == []
    assert _archived(sessions) == {"Kabel neu": True}
    [problem] = [p for _, p in report.problems]
    assert "in lexoffice archiviert" in problem.message
    assert "Kabel neu" in problem.record and "Nr. K-1" in problem.record
    assert (problem.field, problem.system_value, problem.lexoffice_value) == (
        "name",
        "Kabel neu",
        "Kabel",
    )


def test_product_archived_in_the_system_is_never_exported(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    add_product(sessions, "Ausgemustert", article_number="A-1", archived=True)
    add_product(sessions, "Aktuell", article_number="A-2")

    report = _sync(connection_block)

    posted = [e for e in requests_log(sandbox, "POST") if e["path"] == "/v1/articles"]
    assert len(posted) == 1
    exporting = report.section("products", "system → lexoffice").counts
    assert exporting["archived, never exported"] == 1
