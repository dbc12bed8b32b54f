"""Syncing a few chosen lexoffice articles with exactly the full sync's rules (an event named
them). An article is a product (type PRODUCT) or an activity (type SERVICE); each chosen one is
read once and applied through `tasks.sync.single.import_chosen`, the code the contacts use:
mapping, import switch, archived flag, conflict policy, links, journal. An article gone from
lexoffice (deleted) keeps its system record and has its link marked, as in the full sync.
"""

from __future__ import annotations

import uuid
from typing import Any

import pandas as pd
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import NotFoundError
from tasks import error_text, report_text
from tasks.mapping.remote import NotSynced, RemoteRecord
from tasks.mapping.tables import remote_frame
from tasks.report import Problem, RunReport
from tasks.settings import SyncSettings
from tasks.sync.entities import ACTIVITIES, PRODUCTS, EntityAdapter, RawRecord, raw
from tasks.sync.extract import LexofficeSide
from tasks.sync.single import import_chosen

ARTICLE_ADAPTERS = (PRODUCTS, ACTIVITIES)


def import_articles(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    article_ids: list[str],
    run_id: str,
    report: RunReport,
) -> dict[str, int]:
    """Apply these lexoffice articles to their products or activities; returns lexoffice id →
    local id. One GET per article, nothing else is read from lexoffice."""
    fetched = {article_id: _fetch(client, article_id, report) for article_id in article_ids}
    linked = _linked_adapters(sessions, set(article_ids))
    synced: dict[str, int] = {}
    for adapter in ARTICLE_ADAPTERS:
        mine = {
            article_id: article
            for article_id, article in fetched.items()
            if _adapter_of(article_id, article, linked) is adapter
        }
        wanted = {article_id for article_id, article in mine.items() if article is not False}
        if not wanted:
            continue
        lexoffice = _lexoffice_side(adapter, mine, report)
        synced |= import_chosen(
            sessions, client, settings, adapter, wanted, lexoffice, run_id, report
        )
    return synced


# An article's state: its JSON, None when gone from lexoffice, False when unreadable.
ArticleState = RawRecord | None | bool


def _fetch(client: LexofficeClient, article_id: str, report: RunReport) -> ArticleState:
    try:
        return raw(client.get_article(article_id))
    except NotFoundError:
        return None
    except ValidationError as error:  # edited into a shape the API documents nowhere
        where = ".".join(str(part) for part in error.errors()[0]["loc"])
        why = error_text.unreadable(error.errors()[0])
        message = f"lexoffice schickte einen Datensatz, den lexsync nicht lesen kann: {why}"
        report.section("products", "lexoffice → system").add_problem(
            Problem("error", report_text.record("article", article_id), message, where)
        )
        return False


def _linked_adapters(
    sessions: sessionmaker[Session], article_ids: set[str]
) -> dict[str, EntityAdapter]:
    """The entity each already linked article belongs to (its link knows, even when deleted)."""
    found: dict[str, EntityAdapter] = {}
    with sessions.begin() as session:
        for adapter in ARTICLE_ADAPTERS:
            for article_id in article_ids:
                link = queries.get_link_by_lexoffice_id(
                    session, adapter.entity, uuid.UUID(article_id)
                )
                if link is not None:
                    found[article_id] = adapter
    return found


def _adapter_of(
    article_id: str, article: ArticleState, linked: dict[str, EntityAdapter]
) -> EntityAdapter | None:
    if article_id in linked:
        return linked[article_id]
    if not isinstance(article, dict):
        return None  # gone or unreadable, and never in the system: nothing to do
    return next((adapter for adapter in ARTICLE_ADAPTERS if adapter.owns(article)), None)


def _lexoffice_side(
    adapter: EntityAdapter, articles: dict[str, ArticleState], report: RunReport
) -> LexofficeSide:
    records: list[RemoteRecord[Any]] = []
    raws: dict[str, RawRecord] = {}
    for article_id, article in articles.items():
        if not isinstance(article, dict):
            continue
        record = adapter.read_remote(article)
        if isinstance(record, NotSynced):
            section = report.section(adapter.name, "lexoffice → system")
            label = report_text.record("article", article_id)
            section.add_problem(Problem("skip", label, record.reason))
            continue
        records.append(record)
        raws[record.lexoffice_id] = article
    return LexofficeSide(remote_frame(adapter.spec, records), pd.Series(raws, dtype=object), 0)
