"""Fixtures for the field-service database, on SQLite and on PostgreSQL.

Every test that takes `backend`, `engine`, `session` or `empty_url` runs twice: on a SQLite
file and on a throwaway database of the PostgreSQL server. The PostgreSQL runs are marked
`postgres`; if the server cannot be reached they fail (CI starts it), they never skip.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from connectors.fieldservice.db import make_engine, migrate
from connectors.fieldservice.models import Base, Customer, CustomerKind, Product
from tests.support.databases import ThrowawayDatabases

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a new, empty database (for migration tests)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fieldservice.db'}"
        return
    databases: ThrowawayDatabases = request.getfixturevalue("postgres_databases")
    url = databases.create()
    yield url
    databases.drop(url)


@pytest.fixture(scope="session")
def engine(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Engine]:
    """An engine on a database migrated to head, shared by the whole test session."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fieldservice') / 'fieldservice.db'}"
    else:
        url = request.getfixturevalue("postgres_databases").create()
    migrate(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, even if the test commits."""
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()


class Build:
    """Builders for valid records; a test overrides only what it is about."""

    @staticmethod
    def customer(**overrides: Any) -> Customer:
        values: dict[str, Any] = {
            "kind": CustomerKind.PERSON,
            "salutation": "Herr",
            "first_name": "Jürgen",
            "last_name": "Weiß",
            "billing_street": "Hauptstraße 5",
            "billing_zip": "28195",
            "billing_city": "Bremen",
        }
        return Customer(**(values | overrides))

    @staticmethod
    def product(**overrides: Any) -> Product:
        values: dict[str, Any] = {
            "name": "SCHUKO-Steckdose reinweiß",
            "article_number": f"T-{secrets.token_hex(3)}",
            "ean": "4006381333931",
            "unit": "Stück",
            "net_price": Decimal("4.9900"),
            "tax_rate": Decimal("19.00"),
        }
        return Product(**(values | overrides))

    @staticmethod
    def customer_row(**overrides: Any) -> dict[str, Any]:
        row: dict[str, Any] = {
            "kind": "company",
            "last_name": None,
            "company_name": "Müller Elektro GmbH",
            "billing_city": "Köln",
        }
        return row | overrides


@pytest.fixture
def build() -> type[Build]:
    return Build


def _count_rows(connection: sa.Connection | Session, model: type[Base]) -> int:
    statement = sa.select(sa.func.count()).select_from(model.__table__)
    return int(connection.execute(statement).scalar_one())


@pytest.fixture
def count_rows() -> Callable[[sa.Connection | Session, type[Base]], int]:
    """How many rows a model's table has, seen through a connection or session."""
    return _count_rows


@pytest.fixture
def sql_statements(engine: Engine) -> Callable[[], AbstractContextManager[list[str]]]:
    """A context manager collecting the SQL statements sent while it is open."""

    @contextmanager
    def collect() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)

    return collect
