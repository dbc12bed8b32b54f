"""Extract: read one entity from both sides into frames (one query, one paged listing)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import LinkStatus
from connectors.lexoffice.client import LexofficeClient
from tasks import error_text
from tasks.mapping.remote import NotSynced, RemoteRecord
from tasks.mapping.tables import links_frame, local_frame, remote_frame
from tasks.sync.entities import (
    CollectionName,
    EntityAdapter,
    EntityName,
    list_collection,
    raw,
)
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


@dataclass(frozen=True)
class Unreadable:
    """A lexoffice record lexsync could not read: reported, and left alone on both sides."""

    lexoffice_id: str | None
    field: str | None
    reason: str


@dataclass
class LexofficeSide:
    """lexoffice's records of one entity; `raw` keeps each record as lexoffice sent it, so a
    write can start from it (a Series, which Prefect does not walk record by record).
    `unreadable` are the records whose JSON or values lexsync cannot read."""

    remote: pd.DataFrame
    raw: pd.Series
    not_synced: int
    unreadable: list[Unreadable] = field(default_factory=list)


def read_system_side(session: Session, adapter: EntityAdapter) -> SystemSide:
    """Every system record of the entity and every active link, in two queries."""
    link_rows = queries.link_rows(session, adapter.entity)
    active = [link for link in link_rows if link["status"] == LinkStatus.ACTIVE]
    held_back_ids = {link["local_id"] for link in link_rows if link["status"] != LinkStatus.ACTIVE}
    rows = [to_canonical_row(adapter.spec, row) for row in adapter.system_rows(session)]
    kept = [row for row in rows if row["local_id"] not in held_back_ids]
    links = [link_for_diff(link) for link in active]
    return SystemSide(
        local=local_frame(adapter.spec, kept),
        links=links_frame(adapter.spec, links),
        held_back=len(rows) - len(kept),
    )


def read_lexoffice_side(client: LexofficeClient, adapter: EntityAdapter) -> LexofficeSide:
    """Every lexoffice record of the entity: one paged listing at 250 per page."""
    return read_lexoffice_sides(client, [adapter])[adapter.name]


def read_lexoffice_sides(
    client: LexofficeClient,
    adapters: Sequence[EntityAdapter],
    all_requested: threading.Event | None = None,
) -> dict[EntityName, LexofficeSide]:
    """The records of entities that share one lexoffice collection, from a single listing.

    Products and activities are both articles: one listing of all articles, split locally by
    type, saves a request per sync. An unreadable record goes to the entity its type names,
    else to the first. `all_requested` is set once every page has been asked for.
    """
    [collection] = {adapter.collection for adapter in adapters}
    readers = {adapter.name: _SideReader(adapter) for adapter in adapters}
    listing = list_collection(client, collection)
    if all_requested is not None:
        listing.signal_when_all_requested(all_requested)
    for model in listing:
        raw_record = raw(model)
        _owner(adapters, raw_record, readers).add(raw_record)
    for item in listing.rejected:
        record = item.raw or {"id": item.id}
        _owner(adapters, record, readers).reject(record, item.field, error_text.rejected(item))
    return {name: reader.result() for name, reader in readers.items()}


def _owner(
    adapters: Sequence[EntityAdapter],
    record: dict[str, Any],
    readers: dict[EntityName, _SideReader],
) -> _SideReader:
    owner = next((adapter for adapter in adapters if adapter.owns(record)), adapters[0])
    return readers[owner.name]


class _SideReader:
    """Collects one entity's records from a listing: readable, not synced, or unreadable."""

    def __init__(self, adapter: EntityAdapter) -> None:
        self.adapter = adapter
        self.records: list[RemoteRecord[Any]] = []
        self.raws: dict[str, dict[str, Any]] = {}
        self.unreadable: list[Unreadable] = []
        self.not_synced = 0

    def add(self, raw_record: dict[str, Any]) -> None:
        if not isinstance(raw_record.get("id"), str):
            self.reject(raw_record, "id", "der Datensatz hat keine ID")
            return
        try:
            record = self.adapter.read_remote(raw_record)
        except (ValueError, TypeError, KeyError, ArithmeticError) as error:
            # One odd record must not stop the listing: it is reported and left alone.
            self.reject(raw_record, getattr(error, "field", None), error_text.message(error))
            return
        if isinstance(record, NotSynced) and record.field is not None:
            self.reject(raw_record, record.field, record.reason)
        elif isinstance(record, NotSynced):
            self.not_synced += 1
        else:
            self.records.append(record)
            self.raws[record.lexoffice_id] = raw_record

    def reject(self, record: dict[str, Any], field_name: str | None, reason: str) -> None:
        self.unreadable.append(_unreadable(record, field_name, reason))

    def result(self) -> LexofficeSide:
        return LexofficeSide(
            remote=remote_frame(self.adapter.spec, self.records),
            raw=pd.Series(self.raws, dtype=object),
            not_synced=self.not_synced,
            unreadable=self.unreadable,
        )


class LexofficeReader:
    """Reads each lexoffice collection once per run, for all the entities of the run that
    live in it, and hands out each entity's records when its turn comes.

    The listings run in background threads from the start, one collection after the other,
    each starting as soon as the one before has asked for its last page: while the customers
    are compared and written, the articles are already being listed, and no answer time is
    lost between two listings (the pacer keeps the key within its budget either way). Use it
    as a context manager: leaving it waits for a listing still running.
    """

    def __init__(self, client: LexofficeClient, adapters: Sequence[EntityAdapter]) -> None:
        self.client, self.adapters = client, list(adapters)
        self._read: dict[EntityName, LexofficeSide] = {}
        collections = list(dict.fromkeys(adapter.collection for adapter in self.adapters))
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, len(collections)), thread_name_prefix="lexoffice-listing"
        )
        self._listings: dict[CollectionName, Future[dict[EntityName, LexofficeSide]]] = {}
        before: threading.Event | None = None
        for collection in collections:
            members = [adapter for adapter in self.adapters if adapter.collection == collection]
            requested = threading.Event()
            self._listings[collection] = self._pool.submit(
                self._list_after, before, members, requested
            )
            before = requested

    def _list_after(
        self,
        before: threading.Event | None,
        members: list[EntityAdapter],
        requested: threading.Event,
    ) -> dict[EntityName, LexofficeSide]:
        try:
            if before is not None:
                before.wait()
            return read_lexoffice_sides(self.client, members, requested)
        finally:
            requested.set()

    def __enter__(self) -> LexofficeReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def read(self, adapter: EntityAdapter) -> LexofficeSide:
        """The entity's lexoffice side (from its collection's listing, read once)."""
        if adapter.name not in self._read:
            listing = self._listings.pop(adapter.collection, None)
            if listing is not None:
                self._read |= listing.result()
            else:
                self._read |= read_lexoffice_sides(self.client, [adapter])
        return self._read.pop(adapter.name)


def _unreadable(record: dict[str, Any], field_name: str | None, reason: str) -> Unreadable:
    record_id = record.get("id")
    name = _name_of(record)
    where = f" ({name!r})" if name else ""
    message = f"lexoffice schickte einen Datensatz, den lexsync nicht lesen kann{where}: {reason}"
    return Unreadable(record_id if isinstance(record_id, str) else None, field_name, message)


def _name_of(record: dict[str, Any]) -> str | None:
    """The record's name as far as it can be read, so a person finds it in lexoffice."""
    company, person = record.get("company"), record.get("person")
    candidates = [
        record.get("title"),
        company.get("name") if isinstance(company, dict) else None,
        person.get("lastName") if isinstance(person, dict) else None,
    ]
    return next((str(c) for c in candidates if isinstance(c, str) and c.strip()), None)


def link_for_diff(link: dict[str, Any]) -> dict[str, Any]:
    return {
        "local_id": link["local_id"],
        "lexoffice_id": str(link["lexoffice_id"]),
        "lexoffice_version": link["lexoffice_version"],
        "base": link["synced_values"] or {},
    }


@task(cache_policy=NO_CACHE)
def extract_system_records(sessions: sessionmaker[Session], adapter: EntityAdapter) -> SystemSide:
    """Read the entity from the system database."""
    with sessions.begin() as session:
        return read_system_side(session, adapter)


@task(cache_policy=NO_CACHE)
def extract_lexoffice_records(reader: LexofficeReader, adapter: EntityAdapter) -> LexofficeSide:
    """Read the entity from lexoffice (its collection's listing, read once for the run)."""
    return reader.read(adapter)
