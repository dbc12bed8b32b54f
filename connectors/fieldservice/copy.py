"""Copy a whole system database into another one, e.g. from SQLite to PostgreSQL.

Rows go through the models' column types (exact decimals, UTC timestamps, JSON), table by
table in foreign-key order, in one transaction on the target. Both databases must be at the
newest schema and the target empty, so a half-finished or repeated copy is refused rather
than mixed. Afterwards PostgreSQL's id sequences continue after the copied ids.

    python -m connectors.fieldservice.copy SOURCE_URL TARGET_URL
"""

from __future__ import annotations

import sys

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from connectors.fieldservice.db import current_revision, head_revision, make_engine
from connectors.fieldservice.models import Base

CHUNK = 1000


class CopyRefusedError(RuntimeError):
    """The copy would not be faithful (schema not current, target not empty)."""


def copy_database(source_url: str, target_url: str) -> dict[str, int]:
    """Copies every table; returns the number of rows per table."""
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        _require_current(source, "source")
        _require_current(target, "target")
        with source.connect() as reading, target.begin() as writing:
            _require_empty(writing)
            counts = {t.name: _copy_table(t, reading, writing) for t in Base.metadata.sorted_tables}
            if writing.dialect.name == "postgresql":
                _continue_sequences(writing)
        return counts
    finally:
        source.dispose()
        target.dispose()


def _require_current(engine: Engine, which: str) -> None:
    found, head = current_revision(engine), head_revision()
    if found != head:
        raise CopyRefusedError(
            f"the {which} database is at schema revision {found or '(empty)'}, not {head}: "
            "run `lexsync db upgrade --url URL` on it first"
        )


def _require_empty(writing: Connection) -> None:
    for table in Base.metadata.sorted_tables:
        if writing.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
            raise CopyRefusedError(f"the target database is not empty (table {table.name})")


def _copy_table(table: sa.Table, reading: Connection, writing: Connection) -> int:
    copied = 0
    result = reading.execute(sa.select(table)).mappings()
    while rows := result.fetchmany(CHUNK):
        writing.execute(table.insert(), [dict(row) for row in rows])
        copied += len(rows)
    return copied


def _continue_sequences(writing: Connection) -> None:
    """Serial ids: the next insert gets max(id) + 1, as in the source."""
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and isinstance(column.type, sa.Integer)
            ):
                _set_sequence(writing, table.name, column.name)


def _set_sequence(writing: Connection, table: str, column: str) -> None:
    sequence = writing.execute(
        sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
        {"table": table, "column": column},
    ).scalar_one()
    if sequence is None:
        return
    highest = writing.execute(
        sa.text(f'SELECT max("{column}") FROM "{table}"')  # names from the models only
    ).scalar_one()
    writing.execute(
        sa.text("SELECT setval(:sequence, :value, :called)"),
        {"sequence": sequence, "value": highest or 1, "called": highest is not None},
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(
            "usage: python -m connectors.fieldservice.copy SOURCE_URL TARGET_URL", file=sys.stderr
        )
        return 2
    try:
        counts = copy_database(*argv)
    except CopyRefusedError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for table, rows in counts.items():
        print(f"{table:32} {rows:>9} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
