"""Canonical records → the frames the diff takes (see `tasks.diff.frames` for the columns)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from tasks.mapping.records import ARCHIVED, EntitySpec, normalize_values
from tasks.mapping.remote import RemoteRecord


def remote_frame(spec: EntitySpec, records: Iterable[RemoteRecord[Any]]) -> pd.DataFrame:
    """One row per lexoffice record: `lexoffice_id`, `version`, fields, flags, blockers."""
    rows = [
        {
            "lexoffice_id": record.lexoffice_id,
            "version": record.version,
            **normalize_values(spec, _values(record.record)),
            ARCHIVED: record.archived,
            "writable": record.writable,
            "write_blockers": record.write_blockers,
        }
        for record in records
    ]
    columns = ["lexoffice_id", "version", *spec.fields, ARCHIVED, "writable", "write_blockers"]
    return pd.DataFrame(rows, columns=columns)


def local_frame(spec: EntitySpec, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per system record: `local_id`, fields, `excluded`, `archived`."""
    records = [
        {
            "local_id": row["local_id"],
            **normalize_values(spec, row),
            "excluded": bool(row.get("excluded", False)),
            ARCHIVED: bool(row.get(ARCHIVED, False)),
        }
        for row in rows
    ]
    return pd.DataFrame(records, columns=["local_id", *spec.fields, "excluded", ARCHIVED])


def links_frame(spec: EntitySpec, links: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Links with their stored base (a dict under `base`) flattened into `base_<field>` columns."""
    base_columns = [f"base_{name}" for name in spec.compared_fields]
    rows = [
        {
            "local_id": link["local_id"],
            "lexoffice_id": link["lexoffice_id"],
            "lexoffice_version": link.get("lexoffice_version"),
        }
        | {f"base_{name}": (link.get("base") or {}).get(name) for name in spec.compared_fields}
        for link in links
    ]
    return pd.DataFrame(
        rows, columns=["local_id", "lexoffice_id", "lexoffice_version", *base_columns]
    )


def _values(record: Any) -> dict[str, Any]:
    values = record.values()
    assert isinstance(values, dict)
    return values
