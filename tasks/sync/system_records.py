"""System rows (the field-service database's columns) ⇄ canonical records.

The database and the canonical records use almost the same names; the differences live here:
country columns end in `_code`, customer numbers are integers in the database and text in
canonical form, an activity's price is its `default_price`, a product excluded from the sync
is `exclude_from_sync`. The database always holds a billing country ("DE" by default), so a
billing address without street, zip or city counts as no address at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tasks.mapping.records import ADDRESS_PARTS, DEFAULT_COUNTRY, EntitySpec

# canonical name → database column, where they differ
_COLUMNS = {
    "customer": {
        "billing_country": "billing_country_code",
        "shipping_country": "shipping_country_code",
    },
    "product": {},
    "activity": {"net_price": "default_price"},
}
_FLAGS = {"customer": ("archived",), "product": ("archived",), "activity": ("archived",)}


def to_canonical_row(spec: EntitySpec, row: Mapping[str, Any]) -> dict[str, Any]:
    """One database row as a canonical row with `local_id`, `excluded` and `archived`."""
    columns = _COLUMNS[spec.entity]
    values = {name: row.get(columns.get(name, name)) for name in spec.fields}
    if spec.entity == "customer":
        values["customer_number"] = _number_text(row.get("customer_number"))
        _drop_empty_address_countries(values)
    values["local_id"] = row["id"]
    values["excluded"] = bool(row.get("exclude_from_sync", False))
    values["archived"] = bool(row.get("archived", False))
    return values


def to_database_values(spec: EntitySpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical values (some or all fields) as database column values."""
    columns = _COLUMNS[spec.entity]
    result: dict[str, Any] = {}
    for name, value in values.items():
        if name == "archived" and "archived" not in _FLAGS[spec.entity]:
            continue  # an entity without an archived flag in the system
        if name not in spec.fields and name != "archived":
            continue
        result[columns.get(name, name)] = _database_value(spec, name, value)
    return result


def new_record_values(spec: EntitySpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values for a record created from lexoffice, with the system's defaults filled."""
    result = to_database_values(spec, values)
    if spec.entity == "customer":
        result.setdefault("billing_country_code", DEFAULT_COUNTRY)
        if result.get("billing_country_code") is None:
            result["billing_country_code"] = DEFAULT_COUNTRY
    if spec.entity == "product" and result.get("unit") is None:
        result["unit"] = "Stück"
    return result


def _database_value(spec: EntitySpec, name: str, value: Any) -> Any:
    if name == "customer_number":
        return int(value) if value not in (None, "") else None
    if name == "billing_country" and value is None:
        return DEFAULT_COUNTRY  # the column is required; an empty address keeps the default
    return value


def _number_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _drop_empty_address_countries(values: dict[str, Any]) -> None:
    for street, zip_code, city, country in ADDRESS_PARTS.values():
        if not any(values.get(part) for part in (street, zip_code, city)):
            values[country] = None
