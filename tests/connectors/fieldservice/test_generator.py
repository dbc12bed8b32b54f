"""The synthetic data generator, at a small size."""

from __future__ import annotations

from sqlalchemy.orm import Session

from connectors.fieldservice import queries
from connectors.fieldservice.ean import is_valid_gtin
from connectors.fieldservice.generator import customer_rows, generate, product_rows
from connectors.fieldservice.models import Customer, Product


def test_generator_inserts_the_requested_numbers(session: Session, count_rows) -> None:
    result = generate(session, customers=250, products=120, batch_size=100)
    assert (result.customers, result.products) == (250, 120)
    assert count_rows(session, Customer) == 250
    assert count_rows(session, Product) == 120


def test_generated_rows_are_valid_and_varied(session: Session) -> None:
    generate(session, customers=90, products=60, seed=3)
    customers = queries.customer_rows(session)
    assert {row["kind"] for row in customers} == {"person", "company"}
    assert all(row["company_name"] for row in customers if row["kind"] == "company")
    assert len({row["email"] for row in customers}) == 90
    products = queries.product_rows(session)
    assert all(is_valid_gtin(row["ean"]) for row in products)
    assert len({row["ean"] for row in products}) == 60
    assert len({row["article_number"] for row in products}) == 60


def test_same_seed_gives_the_same_rows_and_another_seed_others() -> None:
    assert list(customer_rows(40, seed=1)) == list(customer_rows(40, seed=1))
    assert list(product_rows(40, seed=1)) == list(product_rows(40, seed=1))
    assert list(customer_rows(40, seed=1)) != list(customer_rows(40, seed=2))
