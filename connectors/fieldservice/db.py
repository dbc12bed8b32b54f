"""Engine, sessions and migrations of the field-service database (SQLite or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, ExceptionContext
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.column_types import dumps_json
from connectors.fieldservice.urls import with_driver

MIGRATIONS = Path(__file__).with_name("migrations")

# How long a transaction waits for another process's write to commit before it fails with
# "database is locked". Write transactions are short (a chunk, one record's link), so a wait
# this long means something hangs; bounded so that it is reported rather than waited out.
SQLITE_BUSY_TIMEOUT_MS = 30_000
_SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous = NORMAL",
)


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for the database at `url`; on SQLite with foreign keys and real transactions.

    Its errors never carry the statement's parameters, nor PostgreSQL's DETAIL line that
    quotes the row or key ("Failing row contains (…)"): they are customer data (names,
    addresses, e-mails), and an error's text reaches logs, run states and reports.
    """
    if isinstance(url, str):
        url = with_driver(url)  # a `postgres://` URL from another tool works here too
    kwargs["hide_parameters"] = True
    engine = sa.create_engine(url, json_serializer=dumps_json, pool_pre_ping=True, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    event.listen(engine, "handle_error", _without_row_data)
    return engine


def _without_row_data(context: ExceptionContext) -> None:
    """Cuts a PostgreSQL error to its primary message; the rest stays in `orig.diag`."""
    orig = context.original_exception
    primary = getattr(getattr(orig, "diag", None), "message_primary", None)
    if not primary or str(orig) == primary:
        return
    orig.args = (primary,)
    wrapper = context.sqlalchemy_exception
    if wrapper is not None:  # its text was made from the driver's; make it again
        wrapper.args = (f"({type(orig).__module__}.{type(orig).__name__}) {primary}",)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite opens transactions on its own and never around DDL; handing BEGIN to SQLAlchemy
    # makes migrations atomic and SAVEPOINTs work (SQLAlchemy's documented pysqlite recipe).
    in_memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
        if not in_memory:
            # Readers do not block the writer, e.g. a report open while a sync runs.
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # IMMEDIATE: take the write lock when the transaction starts, waiting (busy_timeout)
        # for another writer. A deferred BEGIN that reads, then writes while another process
        # wrote in between fails at once with "database is locked" — the busy wait does not
        # apply to that upgrade in WAL mode (its snapshot is stale). The receiver, webhook
        # runs, the full sync and the invoice button write one file; each transaction is
        # short, so serialising them costs little. Readers still never wait (WAL).
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on `engine`; the caller owns the transaction (`with sessions.begin() as s:`)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config() -> Config:
    """Alembic's configuration for the migrations shipped in this package (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(target: str | URL | Engine, revision: str = "head") -> None:
    """Upgrade the database to `revision` (default: the newest); the only way the schema changes."""
    with _migration_connection(target) as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(target: str | URL | Engine, revision: str = "base") -> None:
    """Downgrade the database to `revision` (default: empty)."""
    with _migration_connection(target) as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(target: str | URL | Engine) -> str | None:
    """The revision the database is at, None for a database never migrated."""
    with _engine_for(target) as engine, engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision the shipped migrations know."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@contextmanager
def _engine_for(target: str | URL | Engine) -> Iterator[Engine]:
    if isinstance(target, Engine):
        yield target
        return
    engine = make_engine(target)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _migration_connection(target: str | URL | Engine) -> Iterator[sa.Connection]:
    """A connection in a transaction; on SQLite with foreign keys off, checked at the end.

    SQLite changes a table by copying it (Alembic's batch mode); with foreign keys on, dropping
    the old copy would cascade into the rows that reference it. SQLite ignores the pragma
    inside a transaction, hence the raw connection before BEGIN.
    """
    with _engine_for(target) as engine, engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, "OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    _check_foreign_keys(connection)
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, "ON")


def _sqlite_foreign_keys(connection: sa.Connection, state: str) -> None:
    # On the driver's connection: through SQLAlchemy the pragma would start a transaction.
    driver_connection: Any = connection.connection.driver_connection
    driver_connection.execute(f"PRAGMA foreign_keys = {state}")


def _check_foreign_keys(connection: sa.Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left rows with dangling foreign keys: {broken[:10]}")
