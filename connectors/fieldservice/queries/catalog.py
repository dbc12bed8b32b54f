"""Products, activities, employee functions, vehicles and machines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from connectors.fieldservice.ean import InvalidGtinError, validate_gtin
from connectors.fieldservice.errors import InvalidRecordError
from connectors.fieldservice.models import Activity, EmployeeFunction, Machine, Product, Vehicle
from connectors.fieldservice.queries.common import (
    Row,
    describe_row,
    insert_rows,
    table_rows,
    update_rows,
)


def get_product(session: Session, product_id: int) -> Product | None:
    """The product with this id, or None."""
    return session.get(Product, product_id)


def get_product_by_article_number(session: Session, article_number: str) -> Product | None:
    """The product with this article number, or None."""
    statement = sa.select(Product).where(Product.article_number == article_number)
    return session.scalars(statement).one_or_none()


def product_rows(session: Session, *, syncable_only: bool = False) -> list[Row]:
    """Every product as a dict of column values, in one query; optionally only those to sync."""
    if syncable_only:
        return table_rows(session, Product, Product.exclude_from_sync.is_(False))
    return table_rows(session, Product)


def insert_products(
    session: Session, rows: Sequence[Mapping[str, Any]], *, return_ids: bool = True
) -> list[int]:
    """Bulk-insert products after checking their EANs; returns their ids in order."""
    checked = [_checked(row, i) for i, row in enumerate(rows)]
    return insert_rows(session, Product, checked, return_ids=return_ids)


def update_products(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Bulk-update products by id, checking any EAN given."""
    update_rows(session, Product, [_checked(row, i) for i, row in enumerate(rows)])


def _checked(row: Mapping[str, Any], index: int) -> Mapping[str, Any]:
    ean = row.get("ean")
    if ean is None:
        return row
    try:
        return {**row, "ean": validate_gtin(ean)}
    except InvalidGtinError as error:
        record = describe_row("product", row, index)
        raise InvalidRecordError(record, "ean", str(error), rule="gtin", gtin=error) from error


def get_activity_by_name(session: Session, name: str) -> Activity | None:
    """The activity with this name, or None."""
    return session.scalars(sa.select(Activity).where(Activity.name == name)).one_or_none()


def activity_rows(session: Session) -> list[Row]:
    """Every activity as a dict of column values, in one query."""
    return table_rows(session, Activity)


def insert_activities(
    session: Session, rows: Sequence[Mapping[str, Any]], *, return_ids: bool = True
) -> list[int]:
    """Bulk-insert activities; returns their ids in order."""
    return insert_rows(session, Activity, rows, return_ids=return_ids)


def update_activities(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Bulk-update activities by id."""
    update_rows(session, Activity, rows)


def list_employee_functions(session: Session) -> list[EmployeeFunction]:
    """Employee functions by name."""
    return list(session.scalars(sa.select(EmployeeFunction).order_by(EmployeeFunction.name)))


def list_vehicles(session: Session) -> list[Vehicle]:
    """Vehicles by name."""
    return list(session.scalars(sa.select(Vehicle).order_by(Vehicle.name)))


def list_machines(session: Session) -> list[Machine]:
    """Machines by name."""
    return list(session.scalars(sa.select(Machine).order_by(Machine.name)))
