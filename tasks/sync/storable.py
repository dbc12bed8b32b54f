"""Import guard: lexoffice values the system database cannot store are refused per record.

lexoffice's web app accepts what the system's columns do not (a 300-character name, a NUL
byte, a price of a trillion). Written as is, such a value fails at INSERT time — on
PostgreSQL only, or for the whole run. Checked here first, the record fails alone, with its
field named, on every database alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from tasks.diff.plan import Plan, PlanError
from tasks.sync.entities import EntitySide
from tasks.sync.system_records import to_database_values


def hold_back_unstorable(plan: Plan, side: EntitySide) -> None:
    """Move system creates and updates with a value the system cannot store to `errors`."""
    table = side.system_model.__table__
    kept_creates = []
    for create in plan.system_creates:
        problems = storage_problems(side, table, create.values.items())
        plan.errors += [PlanError(m, f, None, create.lexoffice_id) for f, m in problems]
        if not problems:
            kept_creates.append(create)
    kept_updates = []
    for update in plan.system_updates:
        changes = ((change.field, change.new) for change in update.changes)
        problems = storage_problems(side, table, changes)
        plan.errors += [PlanError(m, f, update.local_id, update.lexoffice_id) for f, m in problems]
        if not problems:
            kept_updates.append(update)
    plan.system_creates, plan.system_updates = kept_creates, kept_updates


def storage_problems(
    side: EntitySide, table: Any, values: Iterable[tuple[str, Any]]
) -> list[tuple[str, str]]:
    """(field, reason) for each canonical value the system's column would refuse."""
    problems = []
    for name, value in values:
        for column, stored in to_database_values(side.spec, {name: value}).items():
            if column in table.c and (why := _refusal(table.c[column].type, stored)):
                problems.append((name, why))
    return problems


def _refusal(column_type: Any, value: Any) -> str | None:
    if isinstance(value, str):
        return _text_refusal(column_type, value)
    if isinstance(value, Decimal):
        return _number_refusal(column_type, value)
    return None


def _text_refusal(column_type: Any, value: str) -> str | None:
    if "\x00" in value:
        return "contains a NUL character, which the system database cannot store"
    length = getattr(column_type, "length", None)
    if isinstance(column_type, sa.String) and length is not None and len(value) > length:
        return f"{len(value)} characters; the system stores at most {length}"
    return None


def _number_refusal(column_type: Any, value: Decimal) -> str | None:
    if not value.is_finite():
        return f"{value} is not a number"
    precision, scale = getattr(column_type, "precision", None), getattr(column_type, "scale", None)
    if not isinstance(precision, int) or not isinstance(scale, int):
        return None
    if value.adjusted() >= precision - scale:
        return f"{value} is too large: the system stores at most {precision - scale} digits"
    return None
