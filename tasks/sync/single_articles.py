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
from tasks.sync.entities import ACTIVITIES, PRODUCTS, EntitySide, RawRecord, raw
from tasks.sync.extract import LexofficeSide
from tasks.sync.single import import_chosen

ARTICLE_SIDES = (PRODUCTS, ACTIVITIES)


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
    linked = _linked_sides(sessions, set(article_ids))
    synced: dict[str, int] = {}
    for side in ARTICLE_SIDES:
        mine = {
            article_id: article
            for article_id, article in fetched.items()
            if _side_of(article_id, article, linked) is side
        }
        wanted = {article_id for article_id, article in mine.items() if article is not False}
        if not wanted:
            continue
        lexoffice = _lexoffice_side(side, mine, report)
        synced |= import_chosen(sessions, client, settings, side, wanted, lexoffice, run_id, report)
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


def _linked_sides(sessions: sessionmaker[Session], article_ids: set[str]) -> dict[str, EntitySide]:
    """The side each already linked article belongs to (its link knows, even when deleted)."""
    found: dict[str, EntitySide] = {}
    with sessions.begin() as session:
        for side in ARTICLE_SIDES:
            for article_id in article_ids:
                link = queries.get_link_by_lexoffice_id(session, side.entity, uuid.UUID(article_id))
                if link is not None:
                    found[article_id] = side
    return found


def _side_of(
    article_id: str, article: ArticleState, linked: dict[str, EntitySide]
) -> EntitySide | None:
    if article_id in linked:
        return linked[article_id]
    if not isinstance(article, dict):
        return None  # gone or unreadable, and never in the system: nothing to do
    return next((side for side in ARTICLE_SIDES if side.owns(article)), None)


def _lexoffice_side(
    side: EntitySide, articles: dict[str, ArticleState], report: RunReport
) -> LexofficeSide:
    records: list[RemoteRecord[Any]] = []
    raws: dict[str, RawRecord] = {}
    for article_id, article in articles.items():
        if not isinstance(article, dict):
            continue
        record = side.read_remote(article)
        if isinstance(record, NotSynced):
            section = report.section(side.name, "lexoffice → system")
            label = report_text.record("article", article_id)
            section.add_problem(Problem("skip", label, record.reason))
            continue
        records.append(record)
        raws[record.lexoffice_id] = article
    return LexofficeSide(remote_frame(side.spec, records), pd.Series(raws, dtype=object), 0)
