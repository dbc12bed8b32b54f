"""Finding a record lexoffice may have created although its answer was lost.

A create whose outcome is unknown (timeout, 504, dropped connection) is never sent again
blindly: first lexoffice is searched with its own filters for an unlinked record whose
managed fields equal what was sent. Found → it is linked; not found → the caller reports it
and the next run creates it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.models import ActionResult
from connectors.lexoffice.search import MIN_SEARCH_LENGTH
from tasks.mapping.records import normalize_values
from tasks.mapping.remote import NotSynced
from tasks.sync.entities import EntityAdapter, raw


def find_created(
    client: LexofficeClient,
    sessions: sessionmaker[Session],
    adapter: EntityAdapter,
    sent: Mapping[str, Any],
) -> ActionResult | None:
    """The unlinked lexoffice record equal to `sent` in every exported field, if exactly one."""
    found = created_candidates(client, sessions, adapter, sent)
    return found[0] if len(found) == 1 else None


def created_candidates(
    client: LexofficeClient,
    sessions: sessionmaker[Session],
    adapter: EntityAdapter,
    sent: Mapping[str, Any],
) -> list[ActionResult]:
    """Every unlinked lexoffice record equal to `sent` in every exported field."""
    wanted = _exported(adapter, sent)
    matches = [
        record
        for model in _candidates(client, adapter, sent)
        if not isinstance(record := adapter.read_remote(raw(model)), NotSynced)
        and _exported(adapter, record.record.values()) == wanted
    ]
    return [
        ActionResult(id=record.lexoffice_id, version=record.version)
        for record in matches
        if not _is_linked(sessions, adapter, record.lexoffice_id)
    ]


def _exported(adapter: EntityAdapter, values: Mapping[str, Any]) -> dict[str, Any]:
    normalized = normalize_values(adapter.spec, values)
    return {name: normalized[name] for name in sorted(adapter.spec.export_fields)}


def _candidates(
    client: LexofficeClient, adapter: EntityAdapter, sent: Mapping[str, Any]
) -> Iterable[BaseModel]:
    """The narrowest listing lexoffice's filters allow for this record."""
    if adapter.spec.entity == "customer":
        return _contact_candidates(client, sent)
    if sent.get("article_number"):
        return client.iter_articles(article_number=str(sent["article_number"]))
    if sent.get("ean"):
        return client.iter_articles(gtin=str(sent["ean"]))
    return adapter.list_remote(client)


def _contact_candidates(client: LexofficeClient, sent: Mapping[str, Any]) -> Iterator[BaseModel]:
    name = sent.get("company_name") if sent.get("kind") == "company" else sent.get("last_name")
    if name and len(str(name)) >= MIN_SEARCH_LENGTH:
        return iter(client.iter_contacts(name=str(name), customer=True))
    if sent.get("email"):
        return iter(client.iter_contacts(email=str(sent["email"]), customer=True))
    return iter(client.iter_contacts(customer=True))


def _is_linked(sessions: sessionmaker[Session], adapter: EntityAdapter, lexoffice_id: str) -> bool:
    with sessions.begin() as session:
        link = queries.get_link_by_lexoffice_id(session, adapter.entity, UUID(lexoffice_id))
        return link is not None
