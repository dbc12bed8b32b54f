"""Article events: one article applied to its product or activity with the full sync's rules."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import LinkStatus, SyncEntity
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.customer_events import sync_contacts
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tasks.report import RunReport
from tasks.resources import lexoffice_client
from tasks.settings import SyncSettings
from tasks.sync.single_articles import import_articles
from tests.flows.conftest import connection_name, edit_in_lexoffice, requests_log, seed
from tests.support.builders import add_product, lex_article

IMPORTING = "lexoffice → system"


def _rows(sessions: sessionmaker[Session]) -> dict[str, dict[str, Any]]:
    with sessions.begin() as session:
        rows = queries.product_rows(session) + queries.activity_rows(session)
    return {row["name"]: row for row in rows}


def _link(sessions: sessionmaker[Session], entity: SyncEntity, article_id: str) -> Any:
    with sessions.begin() as session:
        link = queries.get_link_by_lexoffice_id(session, entity, uuid.UUID(article_id))
        return None if link is None else (link.local_id, link.status)


def _articles_event(connection_block: LexsyncConnection, article_ids: list[str]) -> RunReport:
    return sync_contacts([], connection=connection_name(connection_block), article_ids=article_ids)


def test_article_events_import_only_the_named_product_and_activity(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    product, activity, _ = seed(
        sandbox,
        "articles",
        [lex_article("Kabel"), lex_article("Montage", "SERVICE"), lex_article("Unbenannt")],
    )

    report = _articles_event(connection_block, [product, activity])

    assert set(_rows(sessions)) == {"Kabel", "Montage"}
    assert _link(sessions, SyncEntity.PRODUCT, product)[1] == LinkStatus.ACTIVE
    assert _link(sessions, SyncEntity.ACTIVITY, activity)[1] == LinkStatus.ACTIVE
    assert report.section("products", IMPORTING).counts["created"] == 1
    assert report.section("activities", IMPORTING).counts["created"] == 1
    # One GET per named article, no listing.
    assert sorted(r["path"] for r in requests_log(sandbox, "GET")) == sorted(
        [f"/v1/articles/{product}", f"/v1/articles/{activity}"]
    )


def test_article_changed_and_archived_in_lexoffice_follows_like_the_full_sync(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    [product] = seed(sandbox, "articles", [lex_article("Kabel")])
    _articles_event(connection_block, [product])

    edit_in_lexoffice(sandbox, "articles", product, {"title": "Kabel 3x1,5", "archived": True})
    report = _articles_event(connection_block, [product])

    row = _rows(sessions)["Kabel 3x1,5"]
    assert row["archived"] is True
    counts = report.section("products", IMPORTING).counts
    assert counts["updated"] == 1 and counts["archived (as in lexoffice)"] == 1


def test_article_deleted_in_lexoffice_keeps_the_product_and_marks_its_link(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    [product] = seed(sandbox, "articles", [lex_article("Kabel")])
    _articles_event(connection_block, [product])
    sandbox.control.delete(f"/articles/{product}").raise_for_status()

    report = _articles_event(connection_block, [product])

    assert "Kabel" in _rows(sessions)
    assert _link(sessions, SyncEntity.PRODUCT, product)[1] == LinkStatus.MISSING_IN_LEXOFFICE
    [problem] = report.section("products", IMPORTING).problems
    assert "nicht mehr in lexoffice" in problem.message


def test_article_event_respects_the_import_switch(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    [product] = seed(sandbox, "articles", [lex_article("Gesperrt")])
    settings = SyncSettings.model_validate({"products": {"import_enabled": False}})

    with lexoffice_client(connection_block.lexoffice_settings()) as client:
        ids = import_articles(sessions, client, settings, [product], "run-1", RunReport("t"))

    assert ids == {}
    assert _rows(sessions) == {}


def test_echo_of_an_article_export_makes_no_write(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    add_product(sessions, "Schalter", article_number="S-1")
    sync_master_data(connection=connection_name(connection_block))  # exports it: POST /v1/articles
    with sessions.begin() as session:
        [link] = queries.link_rows(session, SyncEntity.PRODUCT)
    writes = len(requests_log(sandbox, "POST")) + len(requests_log(sandbox, "PUT"))

    report = _articles_event(connection_block, [str(link["lexoffice_id"])])

    counts = report.section("products", IMPORTING).counts
    assert counts["updated"] == counts["created"] == 0
    assert report.problems == []
    assert len(requests_log(sandbox, "POST")) + len(requests_log(sandbox, "PUT")) == writes
    assert _rows(sessions)["Schalter"]["article_number"] == "S-1"
