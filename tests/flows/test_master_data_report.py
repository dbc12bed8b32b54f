"""Dry runs, the report a person reads, the journal, and how few requests a sync needs."""

from __future__ import annotations

import asyncio
import math
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    ArtifactFilterKey,
)
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity, SyncJournal
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tasks.report import render_markdown
from tests.flows.conftest import connection_name, lexoffice_records, requests_log, seed
from tests.support.builders import add_customer, add_product, lex_article, lex_person


def test_dry_run_shows_the_plan_and_writes_nothing_on_either_side(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    seed(sandbox, "contacts", [lex_person("Neu")])
    add_customer(sessions, last_name="Lokal")

    report = sync_master_data(connection=connection_name(connection_block), dry_run=True)

    counts = {(s.entity, s.direction): s.counts["created"] for s in report.sections}
    assert counts[("customers", "lexoffice → system")] == 1
    assert counts[("customers", "system → lexoffice")] == 1
    assert [entry for entry in requests_log(sandbox) if entry["method"] != "GET"] == []
    with sessions.begin() as session:
        assert [c.last_name for c in queries.list_customers(session)] == ["Lokal"]
        assert queries.link_rows(session, SyncEntity.CUSTOMER) == []
    assert "Probelauf" in render_markdown(report)


def test_report_is_published_with_conflicts_and_failures_in_plain_words(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    add_customer(sessions, last_name="Ohne Mail", email="falsch")

    sync_master_data(connection=connection_name(connection_block), entities=["customers"])

    key = f"master-data-{connection_name(connection_block)}"
    artifacts = _artifacts(key)
    assert artifacts, "no report artifact published"
    markdown = str(artifacts[0].data)
    assert "**Aus dem System nach lexoffice**" in markdown and "| Kunden |" in markdown
    assert "Ohne Mail" in markdown and "E-Mail" in markdown and "„falsch“" in markdown
    [table] = _artifacts(f"{key}-problems")
    assert "E-Mail" in str(table.data) and "Ohne Mail" in str(table.data)
    assert '"Wert im System": "falsch"' in str(table.data)


def _artifacts(key: str | None = None, flow_run_id: UUID | None = None) -> list[Any]:
    """The artifacts published under `key` or by one flow run, newest first."""
    wanted = ArtifactFilter(
        key=ArtifactFilterKey(any_=[key]) if key else None,
        flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]) if flow_run_id else None,
    )

    async def read() -> list[Any]:
        async with get_client() as client:
            found = await client.read_artifacts(artifact_filter=wanted)
            return sorted(found, key=lambda artifact: artifact.created, reverse=True)

    return asyncio.run(read())


def test_every_applied_change_is_journalled_with_before_and_after(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id = add_customer(sessions, last_name="Jung", email="jung@example.de")
    sync_master_data(connection=connection_name(connection_block), entities=["customers"])
    with sessions.begin() as session:
        queries.update_customers(session, [{"id": local_id, "email": "jung@beispiel.de"}])

    sync_master_data(connection=connection_name(connection_block), entities=["customers"])

    with sessions.begin() as session:
        entries = [e for e in _all_journal(session) if e.action == "update"]
    [update] = entries
    assert update.direction == "export" and update.local_id == local_id
    assert update.before == {"email": "jung@example.de"}
    assert update.after == {"email": "jung@beispiel.de"}


def _all_journal(session: Session) -> list[SyncJournal]:
    return list(session.scalars(sa.select(SyncJournal).order_by(SyncJournal.id)))


def test_unchanged_sync_reads_each_collection_once_in_pages_of_250_and_writes_nothing(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    seed(sandbox, "contacts", [lex_person(f"Kunde {i:03}", f"k{i}@example.de") for i in range(260)])
    seed(
        sandbox, "articles", [lex_article(f"Artikel {i}", articleNumber=f"A{i}") for i in range(30)]
    )
    seed(sandbox, "articles", [lex_article("Montage", "SERVICE")])
    add_product(sessions, "Eigenes", article_number="E-1")
    sync_master_data(connection=connection_name(connection_block))
    sandbox.control.delete("/requests")

    sync_master_data(connection=connection_name(connection_block))

    log = requests_log(sandbox)
    assert [entry for entry in log if entry["method"] != "GET"] == []
    contact_pages = [e for e in log if e["path"] == "/v1/contacts"]
    article_pages = [e for e in log if e["path"] == "/v1/articles"]
    assert len(contact_pages) == math.ceil(260 / 250)
    assert len(article_pages) == 1  # one listing of all articles, split into both entities
    assert all("type=" not in str(e.get("query")) for e in article_pages)
    assert len(log) == len(contact_pages) + len(article_pages)
    assert all("size=250" in str(e.get("query")) for e in contact_pages + article_pages)
    assert len(lexoffice_records(sandbox, "articles")) == 32
    with sessions.begin() as session:
        assert [a["name"] for a in queries.activity_rows(session)] == ["Montage"]
        assert len(queries.product_rows(session)) == 31


def test_a_run_with_writes_shows_its_progress_in_the_ui(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    for index in range(3):
        add_customer(sessions, last_name=f"Fortschritt {index}")

    state = sync_master_data(
        connection=connection_name(connection_block), entities=["customers"], return_state=True
    )

    run_id = state.state_details.flow_run_id
    progress = [a for a in _artifacts(flow_run_id=run_id) if a.type == "progress"]
    assert [float(a.data) for a in progress] == [100.0]


def test_problems_of_the_latest_run_are_kept_as_open_issues(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    local_id = add_customer(sessions, last_name="Fehlerhaft", email="kaputt")
    sync_master_data(connection=connection_name(connection_block), entities=["customers"])
    with sessions.begin() as session:
        [issue] = queries.list_issues(session, unresolved_only=True)
        assert (issue.kind, issue.field) == ("error", "email")
        queries.update_customers(session, [{"id": local_id, "email": "heil@example.de"}])

    sync_master_data(connection=connection_name(connection_block), entities=["customers"])

    with sessions.begin() as session:
        assert queries.list_issues(session, unresolved_only=True) == []
