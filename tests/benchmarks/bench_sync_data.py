"""The sync benchmark's data: half of the records start in the system, half in lexoffice.

For N customers and P products, the system database gets N/2 customers and P/2 products (the
synthetic generator, seed 1) and the sandbox N/2 other contacts and P/2 other articles (the
generator's rows with seed 2, written as lexsync would write them, with their own article
numbers, GTINs and e-mail addresses so that nothing matches). The first sync therefore writes
both ways and leaves N customers and P products, linked, on both sides. Changes for the "5 %
changed" scenario are made behind lexsync's back: SQL on the database, user edits (control API
PATCH) in the sandbox, on disjoint records so that none of them is a conflict.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import sqlalchemy as sa

from connectors.fieldservice.db import make_engine, migrate, session_factory
from connectors.fieldservice.ean import with_check_digit
from connectors.fieldservice.generator import customer_rows, generate, product_rows
from connectors.fieldservice.models import (
    Customer,
    LexofficeLink,
    LinkStatus,
    Product,
    SyncEntity,
)
from tasks.mapping.articles import apply_product_to_article
from tasks.mapping.contacts import apply_customer_to_contact

SYSTEM_SEED, LEXOFFICE_SEED = 1, 2
SEED_BATCH = 5000
# Every 20th linked record is changed: 5 %. The system and lexoffice take different residues.
CHANGE_EVERY, SYSTEM_RESIDUE, LEXOFFICE_RESIDUE = 20, 0, 10


@dataclass(frozen=True)
class Changed:
    """How many records a scenario changed on one side, per entity."""

    customers: int
    products: int

    @property
    def total(self) -> int:
        return self.customers + self.products


def seed_system(url: str, customers: int, products: int) -> None:
    """Migrate the database and fill it with the system's half of the records."""
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        generate(session, customers=customers // 2, products=products // 2, seed=SYSTEM_SEED)
    engine.dispose()


def seed_lexoffice(control: httpx.Client, customers: int, products: int) -> None:
    """Seed lexoffice's half of the records through the sandbox's control API."""
    for batch in _batches(lexoffice_contacts(customers // 2)):
        control.post("/seed/contacts", json=batch).raise_for_status()
    for batch in _batches(lexoffice_articles(products // 2)):
        control.post("/seed/articles", json=batch).raise_for_status()


def lexoffice_contacts(count: int) -> Iterator[dict[str, Any]]:
    for index, row in enumerate(customer_rows(count, seed=LEXOFFICE_SEED)):
        values = {
            "kind": row["kind"],
            "salutation": row["salutation"],
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "company_name": row["company_name"],
            "billing_street": row["billing_street"],
            "billing_zip": row["billing_zip"],
            "billing_city": row["billing_city"],
            "billing_country": "DE",
            "email": f"lx{index}.{row['email']}",  # never one of the system's addresses
            "phone": row["phone"],
        }
        yield _json(apply_customer_to_contact(None, values))


def lexoffice_articles(count: int) -> Iterator[dict[str, Any]]:
    for index, row in enumerate(product_rows(count, seed=LEXOFFICE_SEED)):
        values = {
            "name": row["name"],
            "description": row["description"],
            "unit": row["unit"],
            "article_number": f"L-{index + 1:07d}",
            "ean": with_check_digit(f"29{index:010d}"),  # the system's start with 20
            "net_price": row["net_price"],
            "tax_rate": row["tax_rate"],
        }
        yield _json(apply_product_to_article(None, values))


def exportable(url: str) -> Changed:
    """System records not yet linked that a sync must create in lexoffice (one POST each)."""
    engine = make_engine(url)
    with engine.connect() as connection:
        linked = _linked_ids_query
        customers = connection.scalar(
            sa.select(sa.func.count())
            .select_from(Customer)
            .where(~Customer.archived, Customer.id.not_in(linked(SyncEntity.CUSTOMER)))
        )
        products = connection.scalar(
            sa.select(sa.func.count())
            .select_from(Product)
            .where(~Product.exclude_from_sync, Product.id.not_in(linked(SyncEntity.PRODUCT)))
        )
    engine.dispose()
    return Changed(int(customers or 0), int(products or 0))


def change_system(url: str) -> Changed:
    """Change 5 % of the linked customers (phone) and products (description) by SQL."""
    engine = make_engine(url)
    with engine.begin() as connection:
        customers = _every_20th(connection, SyncEntity.CUSTOMER, SYSTEM_RESIDUE)
        products = _every_20th(connection, SyncEntity.PRODUCT, SYSTEM_RESIDUE)
        connection.execute(
            sa.update(Customer)
            .where(Customer.id.in_([local for local, _ in customers]))
            .values(phone=sa.func.coalesce(Customer.phone, "") + " 0")
        )
        connection.execute(
            sa.update(Product)
            .where(Product.id.in_([local for local, _ in products]))
            .values(description=sa.func.coalesce(Product.description, "") + " (geändert)")
        )
    engine.dispose()
    return Changed(len(customers), len(products))


def change_lexoffice(url: str, control: httpx.Client) -> Changed:
    """Change 5 % of the linked contacts (phone) and articles (description) as a user would."""
    engine = make_engine(url)
    with engine.connect() as connection:
        contacts = _every_20th(connection, SyncEntity.CUSTOMER, LEXOFFICE_RESIDUE)
        articles = _every_20th(connection, SyncEntity.PRODUCT, LEXOFFICE_RESIDUE)
    engine.dispose()
    for local_id, lexoffice_id in contacts:
        phone = {"phoneNumbers": {"business": [f"030 555{local_id:05d}"]}}
        control.patch(f"/contacts/{lexoffice_id}", json=phone).raise_for_status()
    for local_id, lexoffice_id in articles:
        description = {"description": f"in lexoffice geändert ({local_id})"}
        control.patch(f"/articles/{lexoffice_id}", json=description).raise_for_status()
    return Changed(len(contacts), len(articles))


def _linked_ids_query(entity: SyncEntity) -> sa.Select[Any]:
    return sa.select(LexofficeLink.local_id).where(LexofficeLink.entity == entity)


def _every_20th(
    connection: sa.Connection, entity: SyncEntity, residue: int
) -> list[tuple[int, str]]:
    """(local_id, lexoffice_id) of every 20th active link of the entity, by local id."""
    rows = connection.execute(
        sa.select(LexofficeLink.local_id, LexofficeLink.lexoffice_id)
        .where(LexofficeLink.entity == entity, LexofficeLink.status == LinkStatus.ACTIVE)
        .order_by(LexofficeLink.local_id)
    ).all()
    return [
        (local, str(remote))
        for i, (local, remote) in enumerate(rows)
        if i % CHANGE_EVERY == residue
    ]


def _batches(records: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) == SEED_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _json(body: dict[str, Any]) -> dict[str, Any]:
    """The body as JSON would carry it (Decimal prices become numbers)."""
    loaded: dict[str, Any] = json.loads(json.dumps(body, default=float))
    return loaded
