"""The system database's refusals in German, naming the field and never a value: real
refusals of SQLite and PostgreSQL (`tasks/database_refusal.py`)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from tasks.database_refusal import database_refusal


def _refusal(session: Session, *rows: dict[str, Any]) -> StatementError:
    """Insert the rows past every Python check (an untyped table); the database's refusal."""
    names = sorted({name for row in rows for name in row})
    untyped = sa.table("customers", *(sa.column(name) for name in names))
    with pytest.raises(StatementError) as refused, session.begin_nested():
        for row in rows:
            session.execute(sa.insert(untyped).values(**row))
    return refused.value


def test_a_taken_customer_number_names_the_field(session: Session, build: Any) -> None:
    first = build.customer_row(customer_number=4711, company_name="Erste GmbH")
    second = build.customer_row(customer_number=4711, company_name="Zweite GmbH")

    words = database_refusal(_refusal(session, first, second))

    assert words == "Kundennummer gibt es schon bei einem anderen Datensatz"


def test_a_missing_required_value_names_the_field(session: Session, build: Any) -> None:
    words = database_refusal(_refusal(session, build.customer_row(kind=None)))

    assert words == "Art (Person/Firma) fehlt, ist aber Pflicht"


def test_a_broken_rule_says_so_without_the_values(session: Session, build: Any) -> None:
    nameless = build.customer_row(company_name=None, last_name=None)

    words = database_refusal(_refusal(session, nameless))

    assert words.endswith("verletzt eine Regel der Datenbank")
    assert "Müller" not in words and "None" not in words


def test_a_refusal_of_no_known_kind_keeps_the_drivers_first_line() -> None:
    error = RuntimeError("something odd\nDETAIL: Key (email)=(anna@example.org)")

    assert database_refusal(error) == "something odd"
