"""Moving a system database from SQLite to PostgreSQL: every row, exact values, ids continue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from connectors.fieldservice import queries
from connectors.fieldservice.copy import CopyRefusedError, copy_database
from connectors.fieldservice.db import make_engine, migrate, session_factory
from connectors.fieldservice.demo import seed_demo
from connectors.fieldservice.models import Base, Customer, Product, WorkReport
from tests.support.databases import ThrowawayDatabases

pytestmark = pytest.mark.postgres


@pytest.fixture
def sqlite_demo(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'lexsync.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        seed_demo(session)
    engine.dispose()
    return url


@pytest.fixture
def postgres_url(postgres_databases: ThrowawayDatabases) -> Iterator[str]:
    url = postgres_databases.create().replace("postgresql://", "postgresql+psycopg://", 1)
    migrate(url)
    yield url
    postgres_databases.drop(url)


def _snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: sorted(
                    (tuple(row) for row in connection.execute(sa.select(table))), key=repr
                )
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_copy_keeps_every_row_and_value_and_new_ids_follow_the_copied_ones(
    sqlite_demo: str, postgres_url: str
) -> None:
    counts = copy_database(sqlite_demo, postgres_url)

    assert counts["customers"] > 0 and counts["work_reports"] > 0
    assert _snapshot(postgres_url) == _snapshot(sqlite_demo)
    engine = make_engine(postgres_url)
    with session_factory(engine).begin() as session:
        highest = session.scalar(sa.select(sa.func.max(Customer.id)))
        product = session.scalars(sa.select(Product).limit(1)).one()
        report = session.scalars(sa.select(WorkReport).limit(1)).one()
        session.add(Customer(kind="person", last_name="Neu nach dem Umzug"))
        session.flush()
        newest = session.scalar(sa.select(sa.func.max(Customer.id)))
        assert queries.list_customers(session)
    engine.dispose()
    assert newest == (highest or 0) + 1
    assert product.tax_rate is not None and str(product.tax_rate).count(".") == 1
    assert report.created_at is None or report.created_at.tzinfo is not None


def test_copy_into_a_database_with_data_is_refused(sqlite_demo: str, postgres_url: str) -> None:
    copy_database(sqlite_demo, postgres_url)

    with pytest.raises(CopyRefusedError, match="not empty"):
        copy_database(sqlite_demo, postgres_url)


def test_copy_from_an_old_schema_is_refused(tmp_path: Path, postgres_url: str) -> None:
    old = f"sqlite:///{tmp_path / 'old.db'}"
    migrate(old, "0004")

    with pytest.raises(CopyRefusedError, match="revision 0004"):
        copy_database(old, postgres_url)
