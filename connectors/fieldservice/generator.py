"""Large synthetic data sets (10,000 or 100,000 customers and products) for benchmarks.

Faker is asked once for pools of German names, streets and cities; rows are then combined from
the pools with a seeded random generator, which is ~50 times faster than a Faker call per
field, and bulk-inserted in batches. The same seed gives the same rows.

    python -m connectors.fieldservice.generator sqlite:///var/bench.db --customers 100000
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from faker import Faker
from sqlalchemy.orm import Session

from connectors.fieldservice import vocabulary as vocab
from connectors.fieldservice.db import make_engine, migrate, session_factory
from connectors.fieldservice.demo import email_for
from connectors.fieldservice.ean import with_check_digit
from connectors.fieldservice.queries import insert_customers, insert_products

Row = dict[str, Any]
POOL_SIZE = 1000
BATCH_SIZE = 5000


@dataclass(frozen=True)
class Pools:
    """German names and places from Faker, drawn once."""

    female_names: list[str]
    male_names: list[str]
    last_names: list[str]
    company_suffixes: list[str]
    streets: list[str]
    places: list[tuple[str, str]]
    mail_domains: list[str]

    @classmethod
    def draw(cls, seed: int, size: int = POOL_SIZE) -> Pools:
        fake = Faker("de_DE")
        fake.seed_instance(seed)
        return cls(
            female_names=[fake.first_name_female() for _ in range(size)],
            male_names=[fake.first_name_male() for _ in range(size)],
            last_names=[fake.last_name() for _ in range(size)],
            company_suffixes=["GmbH", "GmbH & Co. KG", "KG", "AG", "e.K.", "GbR", "OHG"],
            streets=[fake.street_name() for _ in range(size)],
            places=[(fake.postcode(), fake.city()) for _ in range(size)],
            mail_domains=[fake.free_email_domain() for _ in range(20)],
        )


def customer_rows(count: int, seed: int = 0) -> Iterator[Row]:
    """`count` synthetic customers as rows for insert_customers: a third of them companies."""
    pools, rng = Pools.draw(seed), random.Random(seed)
    for index in range(count):
        female = rng.random() < 0.5
        first = rng.choice(pools.female_names if female else pools.male_names)
        last = rng.choice(pools.last_names)
        is_company = index % 3 == 0
        zip_code, city = rng.choice(pools.places)
        yield {
            "kind": "company" if is_company else "person",
            "salutation": "Frau" if female else "Herr",
            "first_name": first,
            "last_name": last,
            "company_name": (
                f"{rng.choice(pools.last_names)} {rng.choice(pools.company_suffixes)}"
                if is_company
                else None
            ),
            "billing_street": f"{rng.choice(pools.streets)} {rng.randint(1, 180)}",
            "billing_zip": zip_code,
            "billing_city": city,
            "billing_country_code": "DE",
            "email": email_for(f"{first}.{last}{index}", rng.choice(pools.mail_domains)),
            "phone": f"0{rng.randint(30, 9999)} {rng.randint(10000, 9999999)}",
            "archived": rng.random() < 0.02,
        }


def product_rows(count: int, seed: int = 0) -> Iterator[Row]:
    """`count` synthetic products with unique article numbers and valid, unique EANs."""
    rng = random.Random(seed)
    families = vocab.PRODUCT_FAMILIES
    for index in range(count):
        family = families[index % len(families)]
        low, high = family.price_range
        yield {
            "name": f"{rng.choice(family.names())} ({index + 1})",
            "article_number": f"G-{index + 1:07d}",
            # 20–29 are GS1's in-store numbers: unique here, and never a real product's.
            "ean": with_check_digit(f"2{index:011d}"),
            "description": family.description,
            "unit": family.unit,
            "net_price": Decimal(round(rng.uniform(low, high), 2)).quantize(Decimal("0.01")),
            "tax_rate": Decimal(7) if index % 50 == 0 else Decimal(19),
            "stock_on_hand": Decimal(rng.randrange(0, 500)),
            "exclude_from_sync": family.consumable,
        }


@dataclass(frozen=True)
class Generated:
    """How many rows were inserted, and how long it took."""

    customers: int
    products: int
    seconds: float


def generate(
    session: Session, *, customers: int, products: int, seed: int = 0, batch_size: int = BATCH_SIZE
) -> Generated:
    """Bulk-insert synthetic customers and products into the session; never commits."""
    started = time.perf_counter()
    _insert_in_batches(session, insert_customers, customer_rows(customers, seed), batch_size)
    _insert_in_batches(session, insert_products, product_rows(products, seed), batch_size)
    return Generated(customers, products, time.perf_counter() - started)


def _insert_in_batches(
    session: Session,
    insert: Callable[..., list[int]],
    rows: Iterator[Row],
    batch_size: int,
) -> None:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == batch_size:
            insert(session, batch, return_ids=False)
            batch = []
    if batch:
        insert(session, batch, return_ids=False)


def main(argv: list[str] | None = None) -> None:
    """Migrate the database at URL and fill it with synthetic customers and products."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("url")
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    migrate(args.url)
    engine = make_engine(args.url)
    with session_factory(engine).begin() as session:
        result = generate(session, customers=args.customers, products=args.products, seed=args.seed)
    engine.dispose()
    print(f"{result.customers} customers, {result.products} products in {result.seconds:.1f} s")


if __name__ == "__main__":
    main()
