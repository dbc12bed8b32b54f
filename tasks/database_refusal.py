"""Why the system database refused a record, in German, naming the field.

The driver's message is English and, on PostgreSQL, its DETAIL line carries the refused
values (customer data). So the refusal is classified by its SQLSTATE (PostgreSQL) or its
message's opening words (SQLite), and the column it names becomes the field's German name;
the driver's text is shown only when the refusal is of no known kind (its first line).
"""

from __future__ import annotations

import re

from tasks import report_text

# SQLSTATE (PostgreSQL) → the kind of refusal.
_BY_SQLSTATE = {
    "23505": "unique",
    "23502": "required",
    "23514": "rule",
    "23503": "reference",
    "22001": "too_long",
    "22003": "too_large",
}
# SQLite's message openings → the kind of refusal.
_BY_SQLITE_TEXT = (
    ("UNIQUE constraint failed", "unique"),
    ("NOT NULL constraint failed", "required"),
    ("CHECK constraint failed", "rule"),
    ("FOREIGN KEY constraint failed", "reference"),
)
_WORDS = {
    "unique": "gibt es schon bei einem anderen Datensatz",
    "required": "fehlt, ist aber Pflicht",
    "rule": "verletzt eine Regel der Datenbank",
    "reference": "verweist auf einen Datensatz, den es nicht gibt",
    "too_long": "ist zu lang für die Datenbank",
    "too_large": "ist zu groß für die Datenbank",
}
# "UNIQUE constraint failed: customers.email" / 'Key (email)=' / 'column "email"'.
_SQLITE_COLUMN = re.compile(r"failed: \w+\.(\w+)")
_PG_COLUMN = re.compile(r'column "(\w+)"|Key \((\w+)\)=')


def database_refusal(error: BaseException) -> str:
    """'E-Mail gibt es schon bei einem anderen Datensatz', or the driver's first line."""
    driver = getattr(error, "orig", None) or error
    first_line = (str(driver).strip().splitlines() or [type(driver).__name__])[0]
    kind = _kind(driver, first_line)
    if kind is None:
        return first_line
    column = _column(driver, first_line)
    subject = report_text.field(column) if column else "ein Wert"
    return f"{subject} {_WORDS[kind]}"


def _kind(driver: BaseException, first_line: str) -> str | None:
    if (state := getattr(driver, "sqlstate", None)) in _BY_SQLSTATE:
        return _BY_SQLSTATE[state]
    return next((kind for start, kind in _BY_SQLITE_TEXT if first_line.startswith(start)), None)


def _column(driver: BaseException, first_line: str) -> str | None:
    """The column the refusal names, if it names one (never a value)."""
    diagnostic = getattr(driver, "diag", None)
    if diagnostic is not None and getattr(diagnostic, "column_name", None):
        return str(diagnostic.column_name)
    if match := _SQLITE_COLUMN.search(first_line):
        return match.group(1)
    detail = getattr(diagnostic, "message_detail", None) or ""
    if match := _PG_COLUMN.search(detail) or _PG_COLUMN.search(first_line):
        return match.group(1) or match.group(2)
    return None
