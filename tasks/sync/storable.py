"""Import guard: lexoffice values the system database cannot store are refused per record.

lexoffice's web app accepts what the system's columns do not (a 300-character name, a NUL
byte, a price of a trillion, a GTIN with a wrong check digit, a negative price, a name or
article number another record of the system already has). Written as is, such a value fails
at INSERT time — on PostgreSQL only, or for the whole run. Checked here, in planning, the
record fails alone, with its field named, on every database alike, and a dry run shows the
same failure the run would meet: a plan entry is a promise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd
import sqlalchemy as sa

from connectors.fieldservice.ean import InvalidGtinError, validate_gtin
from tasks import error_text, report_text
from tasks.diff.plan import Plan, PlanError
from tasks.mapping.normalize import is_missing
from tasks.sync.entities import EntityAdapter
from tasks.sync.system_records import to_database_values


def hold_back_unstorable(
    plan: Plan, adapter: EntityAdapter, local: pd.DataFrame | None = None
) -> None:
    """Move system creates and updates with a value the system cannot store to `errors`.

    `local` (the system's records, canonical) tells which unique values are taken already."""
    table = adapter.system_model.__table__
    taken = _UniqueValues(adapter, local)
    kept_creates = []
    for create in plan.system_creates:
        problems = storage_problems(adapter, table, create.values.items())
        problems = problems or taken.claim(None, create.values)
        plan.errors += [PlanError(m, f, None, create.lexoffice_id) for f, m in problems]
        if not problems:
            kept_creates.append(create)
    kept_updates = []
    for update in plan.system_updates:
        changes = {change.field: change.new for change in update.changes}
        problems = storage_problems(adapter, table, changes.items())
        problems = problems or taken.claim(update.local_id, changes)
        plan.errors += [PlanError(m, f, update.local_id, update.lexoffice_id) for f, m in problems]
        if not problems:
            kept_updates.append(update)
    plan.system_creates, plan.system_updates = kept_creates, kept_updates


class _UniqueValues:
    """The values of the system's unique columns (article number, activity name, customer
    number) in use, so a second record with the same one is refused in planning."""

    def __init__(self, adapter: EntityAdapter, local: pd.DataFrame | None) -> None:
        table = adapter.system_model.__table__
        columns = {c.name for c in table.c if c.unique and not c.primary_key}
        self.fields = [name for name in adapter.spec.fields if _column(adapter, name) in columns]
        self.owners: dict[str, dict[Any, Any]] = {name: {} for name in self.fields}
        if local is None or local.empty:
            return
        for name in self.fields:
            pairs = zip(local[name].tolist(), local["local_id"].tolist(), strict=True)
            self.owners[name] = {v: owner for v, owner in pairs if not is_missing(v)}

    def claim(self, local_id: Any, values: Mapping[str, Any]) -> list[tuple[str, str]]:
        problems = []
        for name in self.fields:
            value = values.get(name)
            owner = self.owners[name].get(value, local_id) if not is_missing(value) else local_id
            if owner != local_id:
                which = f"{owner}" if owner is not None else "in diesem Lauf angelegt"
                problems.append((name, f"{value!r} hat schon ein anderer Datensatz ({which})"))
        if not problems:
            for name in self.fields:
                if not is_missing(values.get(name)):
                    self.owners[name][values[name]] = local_id
        return problems


def _column(adapter: EntityAdapter, name: str) -> str:
    return next(iter(to_database_values(adapter.spec, {name: "0"})), name)


def storage_problems(
    adapter: EntityAdapter, table: Any, values: Iterable[tuple[str, Any]]
) -> list[tuple[str, str]]:
    """(field, reason) for each canonical value the system's column would refuse."""
    problems = []
    for name, value in values:
        for column, stored in to_database_values(adapter.spec, {name: value}).items():
            if column in table.c and (why := storage_problems_of_column(table.c[column], stored)):
                problems.append((name, why))
    return problems


def storage_problems_of_column(column: Any, value: Any) -> str | None:
    """Why the system would refuse this value in this column (type, GTIN, range), if it would."""
    return _refusal(column.type, value) or _rule_refusal(column, value)


def _refusal(column_type: Any, value: Any) -> str | None:
    if isinstance(value, str):
        return _text_refusal(column_type, value)
    if isinstance(value, Decimal):
        return _number_refusal(column_type, value)
    return None


def _rule_refusal(column: Any, value: Any) -> str | None:
    """The rules the database and its models enforce beyond the column type."""
    if column.name == "ean" and isinstance(value, str):
        try:
            validate_gtin(value)
        except InvalidGtinError as error:
            return error_text.gtin(error)
    names = {str(c.name) for c in column.table.constraints if isinstance(c, sa.CheckConstraint)}
    if isinstance(value, Decimal) and value.is_finite():
        if f"{column.name}_non_negative" in names and value < 0:
            return f"muss mindestens 0 sein, nicht {value}"
        if f"{column.name}_percent" in names and not 0 <= value <= 100:
            return f"muss zwischen 0 und 100 liegen, nicht {value}"
    return None


def _text_refusal(column_type: Any, value: str) -> str | None:
    if "\x00" in value:
        return "enthält ein NUL-Zeichen, das die Datenbank des Systems nicht speichern kann"
    length = getattr(column_type, "length", None)
    if isinstance(column_type, sa.String) and length is not None and len(value) > length:
        return f"{len(value)} Zeichen; das System speichert höchstens {length}"
    return None


def _number_refusal(column_type: Any, value: Decimal) -> str | None:
    if not value.is_finite():
        return f"{value} ist keine Zahl"
    precision, scale = getattr(column_type, "precision", None), getattr(column_type, "scale", None)
    if not isinstance(precision, int) or not isinstance(scale, int):
        return None
    if value.adjusted() >= precision - scale:
        digits = precision - scale
        shown = report_text.number(value)
        return f"{shown} ist zu groß: das System speichert höchstens {digits} Stellen vor dem Komma"
    return None
