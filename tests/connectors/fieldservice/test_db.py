"""Engine, sessions and migrations: the schema comes from Alembic only, on both databases."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from setuptools import find_packages
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from connectors.fieldservice.db import (
    MIGRATIONS,
    SQLITE_BUSY_TIMEOUT_MS,
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    migrate,
    session_factory,
)
from connectors.fieldservice.models import Base, Customer

FIELD_SERVICE_TABLES = {
    "customers",
    "products",
    "activities",
    "employee_functions",
    "vehicles",
    "machines",
    "projects",
    "work_reports",
    "work_report_sections",
    "work_report_labour",
    "work_report_materials",
    "work_report_vehicles",
    "work_report_machines",
    "work_report_additional_positions",
}
BOOKKEEPING_TABLES = {"lexoffice_links", "sync_journal", "sync_issues"}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_create_every_table_from_empty(empty_url: str) -> None:
    assert _tables(empty_url) == set()
    migrate(empty_url)
    assert _tables(empty_url) == set(Base.metadata.tables)  # every model, from migrations alone
    assert _tables(empty_url) >= FIELD_SERVICE_TABLES | BOOKKEEPING_TABLES
    assert current_revision(empty_url) == head_revision()


def test_bookkeeping_tables_come_in_their_own_migration(empty_url: str) -> None:
    migrate(empty_url, "0001")
    assert _tables(empty_url) == FIELD_SERVICE_TABLES
    migrate(empty_url, "0002")
    assert _tables(empty_url) == FIELD_SERVICE_TABLES | BOOKKEEPING_TABLES


def test_downgrade_to_base_and_upgrade_again(empty_url: str) -> None:
    migrate(empty_url)
    downgrade(empty_url)
    assert _tables(empty_url) == set()
    assert current_revision(empty_url) is None
    migrate(empty_url)
    assert current_revision(empty_url) == head_revision()


def test_migrate_accepts_an_engine_and_is_idempotent(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        migrate(engine)
        migrate(engine)
        assert current_revision(engine) == head_revision()
        if engine.dialect.name == "sqlite":  # switched off while migrating, on again after
            with engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_sqlite_engine_enforces_foreign_keys_and_uses_wal(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/pragmas.db")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert (
                connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
            )
    finally:
        engine.dispose()


def test_sqlite_rolls_back_ddl_and_supports_savepoints(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/transactions.db")
    try:
        with engine.connect() as connection, connection.begin() as transaction:
            connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            savepoint = connection.begin_nested()
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
            savepoint.rollback()
            transaction.rollback()
        assert "t" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_session_factory_leaves_the_transaction_to_the_caller(engine: Engine) -> None:
    sessions = session_factory(engine)
    with sessions() as session:
        assert not session.in_transaction()
        session.execute(sa.text("SELECT 1"))
        assert session.in_transaction()


def test_migrations_are_shipped_as_package_data() -> None:
    packages = find_packages(include=["connectors*"], where=str(MIGRATIONS.parents[2]))
    assert "connectors.fieldservice.migrations" in packages
    assert "connectors.fieldservice.migrations.versions" in packages
    assert (MIGRATIONS / "script.py.mako").is_file()  # matched by the "*.mako" package data
    names = sorted(p.name for p in (MIGRATIONS / "versions").glob("0*.py"))
    assert names[:2] == ["0001_field_service_schema.py", "0002_lexsync_bookkeeping.py"]
    # One file per revision, numbered without gaps up to the head.
    assert [name[:4] for name in names] == [f"{n:04}" for n in range(1, len(names) + 1)]
    assert names[-1][:4] == head_revision()


def test_sqlite_writers_that_read_first_wait_for_each_other_instead_of_failing(
    tmp_path: object,
) -> None:
    """Two processes' read-then-write transactions (the receiver and a sync) both commit.

    With a deferred BEGIN the first one's write would fail at once with "database is
    locked": the other committed after its read, and SQLite's busy wait does not cover that.
    """
    url = f"sqlite:///{tmp_path}/writers.db"
    first, second = make_engine(url), make_engine(url)  # two engines: two processes' pools
    try:
        with first.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE events (n INTEGER)")
        failures: list[BaseException] = []

        def other_writer() -> None:
            try:
                with second.begin() as connection:
                    connection.exec_driver_sql("SELECT count(*) FROM events").scalar()
                    connection.exec_driver_sql("INSERT INTO events VALUES (2)")
            except BaseException as error:
                failures.append(error)

        thread = threading.Thread(target=other_writer)
        with first.begin() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM events").scalar()
            thread.start()
            thread.join(timeout=1.0)  # deferred BEGIN: it commits now; IMMEDIATE: it waits
            connection.exec_driver_sql("INSERT INTO events VALUES (1)")
        thread.join()
        assert failures == []
        with first.connect() as connection:
            rows = connection.exec_driver_sql("SELECT n FROM events ORDER BY n").scalars()
            assert list(rows) == [1, 2]
    finally:
        first.dispose()
        second.dispose()


@pytest.mark.parametrize("refused", ["the same id twice", "a required column empty"])
def test_a_failing_insert_names_the_statement_but_no_customer_data(
    engine: Engine, refused: str
) -> None:
    """Issue 14: a failed run showed the rows it wrote. The error's text reaches logs and run
    states; the values (customer data) stay out of it — SQLAlchemy's parameters and
    PostgreSQL's DETAIL line ("Failing row contains (…)") — the statement stays in (to debug)."""
    row = {
        "id": 987_654,
        "kind": "person",
        "first_name": "Verschwiegene",
        "last_name": "Kundin",
        "billing_street": "Geheimweg 7",
        "billing_city": "Diskretshausen",
    }
    with engine.connect() as connection, connection.begin():
        if refused == "the same id twice":
            connection.execute(sa.insert(Customer), row)
        else:
            row["kind"] = None
        with pytest.raises(IntegrityError) as raised:
            connection.execute(sa.insert(Customer), row)
        connection.rollback()
    texts = [str(raised.value), str(raised.value.orig), repr(raised.value.orig)]
    assert "INSERT INTO customers" in texts[0]  # the error is the insert's, with its text
    assert raised.value.params  # the values were there to leak
    assert "parameters hidden" in texts[0]
    for value in ("Verschwiegene", "Kundin", "Geheimweg", "Diskretshausen"):
        assert not any(value in text for text in texts), texts
