"""The resource types the control API can seed, edit and delete "as a user"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..store import OrgStore
from ..util import new_id, now_iso
from . import articles, contacts, vouchers

Builder = Callable[[OrgStore, dict[str, Any], str, "dict[str, Any] | None"], dict[str, Any]]


@dataclass(frozen=True)
class Resource:
    """How the control API treats one collection."""

    collection: str
    event: str  # event-type prefix, e.g. "contact" → contact.created
    build: Builder  # a record from what a user typed in (API write rules do not apply)
    public: Callable[[dict[str, Any]], dict[str, Any]]
    first_version: int = 1
    # Where the timestamps live: contacts do not show them on GET, other resources do.
    created_key: str = "createdDate"
    updated_key: str = "updatedDate"

    def stamp(self, record: dict[str, Any], created: str, updated: str) -> None:
        record[self.created_key] = created
        record[self.updated_key] = updated


def _contact_as_user(
    org: OrgStore, body: dict[str, Any], record_id: str, stored: dict[str, Any] | None
) -> dict[str, Any]:
    return contacts.build_contact(org, body, record_id, stored, as_user=True)


def _article_as_user(
    org: OrgStore, body: dict[str, Any], record_id: str, stored: dict[str, Any] | None
) -> dict[str, Any]:
    return articles.build_article(org.organization_id, body, record_id, stored, as_user=True)


def _voucher_builder(kind: vouchers.Kind) -> Builder:
    def build(
        org: OrgStore, body: dict[str, Any], record_id: str, stored: dict[str, Any] | None
    ) -> dict[str, Any]:
        return vouchers.build_voucher(org, kind, body, record_id, stored, as_user=True)

    return build


def insert_as_user(org: OrgStore, resource: Resource, entry: dict[str, Any]) -> dict[str, Any]:
    """Store a record as a user typed it in; `id`, dates and `version` may be given."""
    record_id = str(entry.get("id") or new_id())
    record = resource.build(org, entry, record_id, None)
    created = entry.get("createdDate") or now_iso()
    resource.stamp(record, created, entry.get("updatedDate") or created)
    version = entry.get("version")
    valid = isinstance(version, int) and not isinstance(version, bool)
    record["version"] = version if valid else resource.first_version
    org.collection(resource.collection)[record_id] = record
    return record


RESOURCES: dict[str, Resource] = {
    "contacts": Resource(
        "contacts",
        "contact",
        _contact_as_user,
        contacts.public,
        created_key="_createdDate",
        updated_key="_updatedDate",
    ),
    "articles": Resource("articles", "article", _article_as_user, articles.public, 0),
    **{
        name: Resource(name, kind.event, _voucher_builder(kind), vouchers.public)
        for name, kind in vouchers.KINDS.items()
    },
}
