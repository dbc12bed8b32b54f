"""Customers (Kunden): look-ups, lists and bulk rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from connectors.fieldservice.models import Customer, check_customer_name
from connectors.fieldservice.queries.common import (
    Row,
    describe_row,
    insert_rows,
    table_rows,
    update_rows,
)


def get_customer(session: Session, customer_id: int) -> Customer | None:
    """The customer with this id, or None."""
    return session.get(Customer, customer_id)


def get_customer_by_number(session: Session, customer_number: int) -> Customer | None:
    """The customer with this lexoffice customer number, or None."""
    statement = sa.select(Customer).where(Customer.customer_number == customer_number)
    return session.scalars(statement).one_or_none()


def list_customers(session: Session, *, include_archived: bool = False) -> list[Customer]:
    """Customers as objects, in id order; archived ones only if asked for."""
    statement = sa.select(Customer).order_by(Customer.id)
    if not include_archived:
        statement = statement.where(Customer.archived.is_(False))
    return list(session.scalars(statement))


def customer_rows(session: Session) -> list[Row]:
    """Every customer, archived included, as a dict of column values: one query."""
    return table_rows(session, Customer)


def insert_customers(
    session: Session, rows: Sequence[Mapping[str, Any]], *, return_ids: bool = True
) -> list[int]:
    """Bulk-insert customers after checking each has a name; returns their ids in order."""
    for index, row in enumerate(rows):
        _check_row(row, index)
    return insert_rows(session, Customer, rows, return_ids=return_ids)


def update_customers(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Bulk-update customers by id; rows carrying `kind` are checked for a name first.

    A row without `kind` changes only some columns; the database's check constraint still
    refuses a customer left without a name.
    """
    for index, row in enumerate(rows):
        if "kind" in row:
            _check_row(row, index)
    update_rows(session, Customer, rows)


def _check_row(row: Mapping[str, Any], index: int) -> None:
    check_customer_name(
        row.get("kind", ""),
        row.get("last_name"),
        row.get("company_name"),
        describe_row("customer", row, index),
    )
