"""Builders for the pure mapping and diff tests: records in, frames out, plans applied."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from connectors.lexoffice.writability import WriteBlocker
from tasks.diff.engine import diff_records
from tasks.diff.plan import Plan
from tasks.diff.settings import DiffSettings
from tasks.mapping.records import (
    ACTIVITY,
    ARCHIVED,
    CUSTOMER,
    PRODUCT,
    EntitySpec,
    normalize_values,
)
from tasks.mapping.tables import links_frame

DEFAULTS: dict[str, dict[str, Any]] = {
    "customer": {"kind": "person", "last_name": "Muster", "first_name": "Max"},
    "product": {
        "name": "Schraube 4x40",
        "unit": "Stück",
        "net_price": Decimal("0.1200"),
        "tax_rate": Decimal("19"),
    },
    "activity": {"name": "Montage", "unit": "Stunde", "tax_rate": Decimal("19")},
}


class World:
    """System records, lexoffice records and links of one entity, kept as plain rows."""

    def __init__(self, spec: EntitySpec) -> None:
        self.spec = spec
        self.local: dict[Any, dict[str, Any]] = {}
        self.remote: dict[str, dict[str, Any]] = {}
        self.links: dict[Any, dict[str, Any]] = {}

    def values(self, **values: Any) -> dict[str, Any]:
        return normalize_values(self.spec, DEFAULTS[self.spec.entity] | values)

    def system(
        self, local_id: Any, excluded: bool = False, archived: bool = False, **values: Any
    ) -> None:
        self.local[local_id] = {
            "local_id": local_id,
            **self.values(**values),
            "excluded": excluded,
            "archived": archived,
        }

    def lexoffice(
        self,
        lexoffice_id: str,
        version: int = 1,
        archived: bool = False,
        blockers: tuple[WriteBlocker, ...] = (),
        **values: Any,
    ) -> None:
        self.remote[lexoffice_id] = {
            "lexoffice_id": lexoffice_id,
            "version": version,
            **self.values(**values),
            "archived": archived,
            "writable": not blockers,
            "write_blockers": blockers,
        }

    def link(self, local_id: Any, lexoffice_id: str, **base: Any) -> None:
        stored = self.values(**base) | {ARCHIVED: False}
        self.links[local_id] = {
            "local_id": local_id,
            "lexoffice_id": lexoffice_id,
            "lexoffice_version": 1,
            "base": stored,
        }

    def synced(self, local_id: Any, lexoffice_id: str, **values: Any) -> None:
        """A record on both sides, linked, unchanged since the last sync."""
        self.system(local_id, **values)
        self.lexoffice(lexoffice_id, **values)
        self.link(local_id, lexoffice_id, **values)

    def edit_system(self, local_id: Any, **changes: Any) -> None:
        self.local[local_id] |= changes

    def edit_lexoffice(self, lexoffice_id: str, **changes: Any) -> None:
        self.remote[lexoffice_id] |= changes
        self.remote[lexoffice_id]["version"] += 1

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        return (
            _frame(self.local.values(), ["local_id", *self.spec.fields, "excluded", "archived"]),
            _frame(
                self.remote.values(),
                [
                    "lexoffice_id",
                    "version",
                    *self.spec.fields,
                    "archived",
                    "writable",
                    "write_blockers",
                ],
            ),
            links_frame(self.spec, self.links.values()),
        )

    def diff(self, **settings: Any) -> Plan:
        return diff_records(self.spec, *self.frames(), DiffSettings(**settings))

    def apply(self, plan: Plan) -> None:
        """Apply `plan` as a perfect load would (the tests' stand-in for load)."""
        apply_plan(self, plan)


def _frame(rows: Any, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=columns)


def apply_plan(world: World, plan: Plan) -> None:
    """Pure stand-in for load: writes each planned change into the world's rows.

    Order matters as it will in load: links first, then creates, then updates and refreshes
    (whose new base values are merged into the link's stored base).
    """
    for link in plan.new_links:
        version = world.remote[link.lexoffice_id]["version"]
        world.links[link.local_id] = _link(link.local_id, link.lexoffice_id, version, link.base)
    for create in plan.system_creates:
        _create_in_system(world, create.lexoffice_id, create.lexoffice_version, create.values)
    for lex_create in plan.lexoffice_creates:
        _create_in_lexoffice(world, lex_create.local_id, lex_create.values, lex_create.base)
    for update in plan.system_updates:
        world.local[update.local_id] |= {c.field: c.new for c in update.changes}
        world.links[update.local_id]["base"] |= update.new_base
    for lex_update in plan.lexoffice_updates:
        remote = world.remote[lex_update.lexoffice_id]
        assert remote["version"] == lex_update.expected_version  # else lexoffice answers 409
        remote |= {c.field: c.new for c in lex_update.changes}
        remote["version"] += 1
        world.links[lex_update.local_id]["base"] |= lex_update.new_base
    for refresh in plan.base_refreshes:
        world.links[refresh.local_id]["base"] |= refresh.values


def _link(local_id: Any, lexoffice_id: str, version: int, base: dict[str, Any]) -> dict[str, Any]:
    return {
        "local_id": local_id,
        "lexoffice_id": lexoffice_id,
        "lexoffice_version": version,
        "base": dict(base),
    }


def _create_in_system(
    world: World, lexoffice_id: str, version: int, values: dict[str, Any]
) -> None:
    local_id = f"sys-{lexoffice_id}"
    fields = {name: value for name, value in values.items() if name != ARCHIVED}
    world.local[local_id] = {
        "local_id": local_id,
        **fields,
        "excluded": False,
        "archived": values[ARCHIVED],
    }
    world.links[local_id] = _link(local_id, lexoffice_id, version, values)


def _create_in_lexoffice(
    world: World, local_id: Any, values: dict[str, Any], base: dict[str, Any]
) -> None:
    lexoffice_id = f"lex-{local_id}"  # lexoffice assigns no customer number in this world
    fields = {name: values.get(name) for name in world.spec.fields}
    world.remote[lexoffice_id] = {
        "lexoffice_id": lexoffice_id,
        "version": 1,
        **fields,
        "archived": False,
        "writable": True,
        "write_blockers": (),
    }
    world.links[local_id] = _link(local_id, lexoffice_id, 1, base)


@pytest.fixture
def customers() -> World:
    return World(CUSTOMER)


@pytest.fixture
def products() -> World:
    return World(PRODUCT)


@pytest.fixture
def activities() -> World:
    return World(ACTIVITY)


@pytest.fixture
def make_world() -> type[World]:
    return World
