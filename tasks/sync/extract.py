"""Extract: read one entity from both sides into frames (one query, one paged listing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import LinkStatus
from connectors.lexoffice.client import LexofficeClient
from tasks.mapping.remote import NotSynced, RemoteRecord
from tasks.mapping.tables import links_frame, local_frame, remote_frame
from tasks.sync.entities import EntitySide, raw
from tasks.sync.system_records import to_canonical_row


@dataclass
class SystemSide:
    """The system's records of one entity and their links, as the diff takes them.

    Records whose link is marked (their lexoffice record vanished) are held back: they are
    kept in the system but neither re-exported nor matched again.
    """

    local: pd.DataFrame
    links: pd.DataFrame
    held_back: int


@dataclass
class LexofficeSide:
    """lexoffice's records of one entity; `raw` keeps each record as lexoffice sent it, so a
    write can start from it (a Series, which Prefect does not walk record by record)."""

    remote: pd.DataFrame
    raw: pd.Series
    not_synced: int


def read_system_side(session: Session, side: EntitySide) -> SystemSide:
    """Every system record of the entity and every active link, in two queries."""
    link_rows = queries.link_rows(session, side.entity)
    active = [link for link in link_rows if link["status"] == LinkStatus.ACTIVE]
    held_back_ids = {link["local_id"] for link in link_rows if link["status"] != LinkStatus.ACTIVE}
    rows = [to_canonical_row(side.spec, row) for row in side.system_rows(session)]
    kept = [row for row in rows if row["local_id"] not in held_back_ids]
    links = [link_for_diff(link) for link in active]
    return SystemSide(
        local=local_frame(side.spec, kept),
        links=links_frame(side.spec, links),
        held_back=len(rows) - len(kept),
    )


def read_lexoffice_side(client: LexofficeClient, side: EntitySide) -> LexofficeSide:
    """Every lexoffice record of the entity: one paged listing at 250 per page."""
    records: list[RemoteRecord[Any]] = []
    raws: dict[str, dict[str, Any]] = {}
    not_synced = 0
    for model in side.list_remote(client):
        record = side.read_remote(raw_record := raw(model))
        if isinstance(record, NotSynced):
            not_synced += 1
            continue
        records.append(record)
        raws[record.lexoffice_id] = raw_record
    return LexofficeSide(
        remote=remote_frame(side.spec, records),
        raw=pd.Series(raws, dtype=object),
        not_synced=not_synced,
    )


def link_for_diff(link: dict[str, Any]) -> dict[str, Any]:
    return {
        "local_id": link["local_id"],
        "lexoffice_id": str(link["lexoffice_id"]),
        "lexoffice_version": link["lexoffice_version"],
        "base": link["synced_values"] or {},
    }


@task(cache_policy=NO_CACHE)
def extract_system_records(sessions: sessionmaker[Session], side: EntitySide) -> SystemSide:
    """Read the entity from the system database."""
    with sessions.begin() as session:
        return read_system_side(session, side)


@task(cache_policy=NO_CACHE)
def extract_lexoffice_records(client: LexofficeClient, side: EntitySide) -> LexofficeSide:
    """Read the entity from lexoffice."""
    return read_lexoffice_side(client, side)
