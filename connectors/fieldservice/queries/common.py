"""What every query module shares: adding a validated record, loading a table as rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from connectors.fieldservice.models import Base

RecordT = TypeVar("RecordT", bound=Base)
Row = dict[str, Any]


def add(session: Session, record: RecordT) -> RecordT:
    """Validate the record, add it and flush it so that it has its id; never commits."""
    record.validate()
    session.add(record)
    session.flush()
    return record


def table_rows(session: Session, model: type[Base], *where: sa.ColumnElement[bool]) -> list[Row]:
    """All rows of the model's table as plain dicts, in id order, in one query."""
    table = model.__table__
    statement = sa.select(table).where(*where).order_by(table.c.id)
    return [dict(row) for row in session.execute(statement).mappings()]


def insert_rows(
    session: Session,
    model: type[Base],
    rows: Sequence[Mapping[str, Any]],
    *,
    return_ids: bool = True,
) -> list[int]:
    """Bulk-insert rows (dicts of column values, all with the same keys); returns the new ids.

    A Core INSERT on the table in one executemany. (The ORM's bulk insert splits rows by
    which values are None, which turns a mixed batch of persons and companies into thousands
    of statements.) Without `return_ids` it returns [] and is about twice as fast, since
    the driver need not match ids to rows.
    """
    if not rows:
        return []
    keys = rows[0].keys()
    for index, row in enumerate(rows):
        if row.keys() != keys:
            raise ValueError(
                f"{model.entity_label} row {index} has the columns {sorted(row)}, "
                f"row 0 has {sorted(keys)}: a batch needs the same columns in every row"
            )
    table = cast(sa.Table, model.__table__)
    if not return_ids:
        session.execute(sa.insert(table), list(rows))
        return []
    statement = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, list(rows)))


def update_rows(session: Session, model: type[Base], rows: Sequence[Mapping[str, Any]]) -> None:
    """Bulk-update rows by primary key: each row has "id" and the columns to change."""
    if rows:
        session.execute(sa.update(model), list(rows))


def describe_row(entity_label: str, row: Mapping[str, Any], index: int) -> str:
    """A bulk row for an error message: its id or its position in the batch, and its name."""
    where = f"id {row['id']}" if row.get("id") is not None else f"row {index} of the batch"
    name = row.get("company_name") or row.get("last_name") or row.get("name")
    return f"{entity_label} {name!r} ({where})" if name else f"{entity_label} ({where})"
