"""The three synced entities side by side: how each is read and written on both sides.

| entity   | system table | lexoffice                 | settings switch |
| -------- | ------------ | ------------------------- | --------------- |
| customer | customers    | contacts (customer role)  | `customers`     |
| product  | products     | articles of type PRODUCT  | `products`      |
| activity | activities   | articles of type SERVICE  | `activities`    |
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from connectors.fieldservice import queries
from connectors.fieldservice.models import Activity, Base, Customer, Product, SyncEntity
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.models import ActionResult, Article, Contact
from connectors.lexoffice.paging import Listing
from tasks import report_text
from tasks.mapping.articles import (
    apply_activity_to_article,
    apply_product_to_article,
    article_to_activity,
    article_to_product,
)
from tasks.mapping.contacts import apply_customer_to_contact, contact_to_customer
from tasks.mapping.records import ACTIVITY, CUSTOMER, PRODUCT, EntitySpec
from tasks.mapping.remote import NotSynced, RemoteRecord

EntityName = Literal["customers", "products", "activities"]
ENTITY_NAMES: tuple[EntityName, ...] = ("customers", "products", "activities")
# The lexoffice collection an entity lives in: products and activities share the articles.
CollectionName = Literal["contacts", "articles"]
RawRecord = dict[str, Any]


@dataclass(frozen=True)
class EntityAdapter:
    """Everything the sync needs to know to move one entity between the two sides."""

    name: EntityName
    entity: SyncEntity
    spec: EntitySpec
    read_remote: Callable[[Mapping[str, Any]], RemoteRecord[Any] | NotSynced]
    write_body: Callable[[Mapping[str, Any] | None, Mapping[str, Any]], RawRecord]
    list_remote: Callable[[LexofficeClient], Iterator[BaseModel]]
    get_remote: Callable[[LexofficeClient, str], BaseModel]
    create_remote: Callable[[LexofficeClient, RawRecord], ActionResult]
    update_remote: Callable[[LexofficeClient, str, RawRecord], ActionResult]
    system_rows: Callable[[Session], list[dict[str, Any]]]
    insert_system: Callable[[Session, Sequence[Mapping[str, Any]]], list[int]]
    update_system: Callable[[Session, Sequence[Mapping[str, Any]]], None]
    system_model: type[Base]
    collection: CollectionName
    # Which records of the collection's listing are this entity's (an article's `type`).
    owns: Callable[[Mapping[str, Any]], bool]

    def label(self, values: Mapping[str, Any], local_id: Any = None) -> str:
        """How a person recognises the record in a report, by name and number, e.g.
        "Kunde 12 (Müller GmbH, Nr. 10004)" or "Material 3 (Kabel, Nr. K-1)"."""
        name = _printable(_display_name(self.spec.entity, values))
        number = _printable(_record_number(self.spec.entity, values))
        shown = ", ".join(part for part in (name, f"Nr. {number}" if number else None) if part)
        return report_text.record(self.spec.entity, local_id, shown)


def list_collection(client: LexofficeClient, collection: CollectionName) -> Listing[Any]:
    """One listing of a whole collection: every customer contact, or every article of both
    types (split locally by `EntityAdapter.owns`, so the articles are read once per sync)."""
    if collection == "contacts":
        return client.iter_contacts(customer=True)
    return client.iter_articles()


def system_row(session: Session, adapter: EntityAdapter, local_id: int) -> dict[str, Any] | None:
    """One system record as a dict of column values, or None if it is gone."""
    model = adapter.system_model
    rows = queries.table_rows(session, model, model.__table__.c.id == local_id)
    return rows[0] if rows else None


def raw(model: BaseModel) -> RawRecord:
    """A lexoffice record as the JSON dict lexoffice sent (unknown keys kept)."""
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def _display_name(entity: str, values: Mapping[str, Any]) -> str | None:
    if entity != "customer":
        return values.get("name")
    if values.get("kind") == "company":
        return values.get("company_name")
    names = [values.get("first_name"), values.get("last_name")]
    return " ".join(n for n in names if n) or None


def _record_number(entity: str, values: Mapping[str, Any]) -> str | None:
    """The number a person looks the record up by: customer or article number."""
    key = {"customer": "customer_number", "product": "article_number"}.get(entity)
    value = values.get(key) if key else None
    return None if value is None or value != value else str(value)  # NaN counts as none


def _printable(name: str | None, limit: int = 80) -> str | None:
    """A name fit for a report and the open-issues table: control characters escaped (a NUL
    cannot even be stored in PostgreSQL text), very long names shortened."""
    if name is None:
        return None
    shown = "".join(c if c.isprintable() or c == " " else ascii(c)[1:-1] for c in name)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _put_contact(client: LexofficeClient, lexoffice_id: str, body: RawRecord) -> ActionResult:
    return client.update_contact(Contact.model_validate(body | {"id": lexoffice_id}))


def _put_article(client: LexofficeClient, lexoffice_id: str, body: RawRecord) -> ActionResult:
    return client.update_article(Article.model_validate(body | {"id": lexoffice_id}))


def _article_lister(article_type: str) -> Callable[[LexofficeClient], Iterator[BaseModel]]:
    def list_articles(client: LexofficeClient) -> Iterator[BaseModel]:
        return iter(client.iter_articles(article_type=article_type))

    return list_articles


CUSTOMERS = EntityAdapter(
    name="customers",
    entity=SyncEntity.CUSTOMER,
    spec=CUSTOMER,
    read_remote=contact_to_customer,
    write_body=apply_customer_to_contact,
    list_remote=lambda client: iter(client.iter_contacts(customer=True)),
    get_remote=lambda client, lexoffice_id: client.get_contact(lexoffice_id),
    create_remote=lambda client, body: client.create_contact(Contact.model_validate(body)),
    update_remote=_put_contact,
    system_rows=queries.customer_rows,
    insert_system=lambda session, rows: queries.insert_customers(session, rows),
    update_system=queries.update_customers,
    system_model=Customer,
    collection="contacts",
    owns=lambda record: True,
)
PRODUCTS = EntityAdapter(
    name="products",
    entity=SyncEntity.PRODUCT,
    spec=PRODUCT,
    read_remote=article_to_product,
    write_body=apply_product_to_article,
    list_remote=_article_lister("PRODUCT"),
    get_remote=lambda client, lexoffice_id: client.get_article(lexoffice_id),
    create_remote=lambda client, body: client.create_article(Article.model_validate(body)),
    update_remote=_put_article,
    system_rows=queries.product_rows,
    insert_system=lambda session, rows: queries.insert_products(session, rows),
    update_system=queries.update_products,
    system_model=Product,
    collection="articles",
    owns=lambda record: record.get("type") == "PRODUCT",
)
ACTIVITIES = EntityAdapter(
    name="activities",
    entity=SyncEntity.ACTIVITY,
    spec=ACTIVITY,
    read_remote=article_to_activity,
    write_body=apply_activity_to_article,
    list_remote=_article_lister("SERVICE"),
    get_remote=lambda client, lexoffice_id: client.get_article(lexoffice_id),
    create_remote=lambda client, body: client.create_article(Article.model_validate(body)),
    update_remote=_put_article,
    system_rows=queries.activity_rows,
    insert_system=lambda session, rows: queries.insert_activities(session, rows),
    update_system=queries.update_activities,
    system_model=Activity,
    collection="articles",
    owns=lambda record: record.get("type") == "SERVICE",
)
ADAPTERS: dict[EntityName, EntityAdapter] = {
    adapter.name: adapter for adapter in (CUSTOMERS, PRODUCTS, ACTIVITIES)
}
