"""Frame preparation for the diff: required columns, vectorised normalisation, null keys.

Expected inputs (one row per record):
- local:  `local_id`, every field of the spec, optional `excluded` and `archived` (bool);
- remote: `lexoffice_id`, `version`, every field, `archived`, optional `writable` (bool) and
  `write_blockers` (tuple of str);
- links:  `local_id`, `lexoffice_id`, optional `lexoffice_version` (not needed by the diff),
  and the base (values as last synced, for every field and `archived`) either as flat
  `base_<field>` columns (fast) or as one `base` dict column (flattened here, slower). A
  missing base value means "never settled".
Keys keep their Python type (an int `local_id` stays int); links and records must agree on it.
Inside the diff the columns are renamed `sys_<field>`, `lex_<field>` and `base_<field>`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from tasks.diff.plan import PlanError
from tasks.mapping import normalize
from tasks.mapping.records import ADDRESS_PARTS, ARCHIVED, DEFAULT_COUNTRY, EntitySpec

LOCAL_KEY = "local_id"
REMOTE_KEY = "lexoffice_id"


def same(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Null-safe equality: two missing values are equal, a value never equals a missing one."""
    equal = np.asarray((left == right).fillna(False), dtype=bool)
    return equal | (left.isna().to_numpy() & right.isna().to_numpy())


def py(value: Any) -> Any:
    """A frame cell as a plain Python value (NaN and NA → None, numpy scalars unwrapped)."""
    if normalize.is_missing(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def prepare_local(spec: EntitySpec, local: pd.DataFrame) -> tuple[pd.DataFrame, list[PlanError]]:
    local = _require(local, [LOCAL_KEY, *spec.fields], "local")
    columns = {LOCAL_KEY: _opaque(local[LOCAL_KEY])}
    columns |= {f"sys_{name}": local[name] for name in spec.fields}
    columns["sys_excluded"] = _flags(local, "excluded")
    columns["sys_archived"] = _flags(local, ARCHIVED)
    frame = normalize_columns(spec, pd.DataFrame(columns), "sys_")
    return _drop_null_keys(frame, [LOCAL_KEY], "system record")


def prepare_remote(spec: EntitySpec, remote: pd.DataFrame) -> tuple[pd.DataFrame, list[PlanError]]:
    remote = _require(remote, [REMOTE_KEY, "version", *spec.fields], "remote")
    columns = {REMOTE_KEY: remote[REMOTE_KEY], "lex_version": remote["version"]}
    columns |= {f"lex_{name}": remote[name] for name in spec.fields}
    columns["lex_archived"] = _flags(remote, ARCHIVED)
    columns["lex_writable"] = _flags(remote, "writable", default=True)
    no_blockers = pd.Series([()] * len(remote), index=remote.index, dtype=object)
    columns["lex_write_blockers"] = remote.get("write_blockers", no_blockers)
    frame = normalize_columns(spec, pd.DataFrame(columns), "lex_")
    return _drop_null_keys(frame, [REMOTE_KEY], "lexoffice record")


def prepare_links(spec: EntitySpec, links: pd.DataFrame) -> tuple[pd.DataFrame, list[PlanError]]:
    links = _require(links, [LOCAL_KEY, REMOTE_KEY], "links")
    base = _flat_base(spec, links)
    columns = {LOCAL_KEY: _opaque(links[LOCAL_KEY]), REMOTE_KEY: links[REMOTE_KEY]}
    columns |= {f"base_{name}": base.get(f"base_{name}", _nulls(links)) for name in spec.fields}
    columns["base_archived"] = _flags(base, f"base_{ARCHIVED}")
    frame = normalize_columns(spec, pd.DataFrame(columns, index=links.index), "base_")
    return _drop_null_keys(frame, [LOCAL_KEY, REMOTE_KEY], "link")


def normalize_columns(spec: EntitySpec, frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """The vectorised twin of `EntitySpec.normalize_value` for every `prefix<field>` column."""
    columns = {name: frame[name] for name in frame.columns}
    for name, kind in spec.kinds.items():
        column = _NORMALIZERS[kind](frame[prefix + name])
        if name in spec.defaults:
            column = column.fillna(spec.defaults[name])
        columns[prefix + name] = column
    if spec.entity == "customer":
        _default_address_country(columns, prefix)
    if prefix + ARCHIVED in columns:
        columns[prefix + ARCHIVED] = columns[prefix + ARCHIVED].fillna(False).astype(bool)
    return pd.DataFrame(columns, index=frame.index)


def _text(column: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(column.dtype):
        # Numbers kept as float by SQL (e.g. customer numbers) must not read as "1001.0".
        column = column.astype("Int64")
    stripped = column.astype("str").str.strip()
    return stripped.mask(stripped == "")


def _decimals(places: Callable[[Any], Any]) -> Callable[[pd.Series], pd.Series]:
    def convert(column: pd.Series) -> pd.Series:
        return pd.Series([places(value) for value in column], index=column.index, dtype=object)

    return convert


_NORMALIZERS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "text": _text,
    "email": lambda column: _text(column).str.lower(),
    "country": lambda column: _text(column).str.upper(),
    "kind": lambda column: _text(column).str.lower(),
    "price": _decimals(normalize.price),
    "tax_rate": _decimals(normalize.tax_rate),
}


def _default_address_country(columns: dict[str, pd.Series], prefix: str) -> None:
    for street, zip_code, city, country in ADDRESS_PARTS.values():
        content = columns[prefix + street].notna() | columns[prefix + zip_code].notna()
        content |= columns[prefix + city].notna()
        missing = content & columns[prefix + country].isna()
        if missing.any():
            columns[prefix + country] = columns[prefix + country].mask(missing, DEFAULT_COUNTRY)


def _flat_base(spec: EntitySpec, links: pd.DataFrame) -> pd.DataFrame:
    """The base as `base_<field>` columns; a `base` dict column is flattened (slower)."""
    flat = [name for name in links.columns if str(name).startswith("base_")]
    if flat or "base" not in links:
        return links[flat]
    records = [dict(value) if isinstance(value, dict) else {} for value in links["base"]]
    expanded = pd.DataFrame.from_records(records, index=links.index)
    return expanded.add_prefix("base_")


def _opaque(ids: pd.Series) -> pd.Series:
    """System ids as objects, so an outer merge never turns the integer 7 into 7.0."""
    return ids.astype(object)


def _flags(frame: pd.DataFrame, name: str, default: bool = False) -> pd.Series:
    if name not in frame:
        return pd.Series(default, index=frame.index, dtype=bool)
    return frame[name].fillna(default).astype(bool)


def _nulls(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(None, index=frame.index, dtype=object)


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> pd.DataFrame:
    """`frame` if it has `columns`; an empty frame (e.g. no links yet) may come without them."""
    missing = [name for name in columns if name not in frame.columns]
    if missing and not frame.empty:
        raise ValueError(f"{what} frame lacks columns {missing}")
    return frame.reindex(columns=[*frame.columns, *missing]) if missing else frame


def _drop_null_keys(
    frame: pd.DataFrame, keys: list[str], what: str
) -> tuple[pd.DataFrame, list[PlanError]]:
    """Rows without a key are reported, never matched (pandas would match null to null)."""
    null = frame[keys].isna().any(axis=1)
    if not null.any():
        return frame, []
    errors = [
        PlanError(
            message=f"{what} at row {position} has no {' / '.join(keys)}; not synced",
            field=keys[0],
            local_id=py(row.get(LOCAL_KEY)),
            lexoffice_id=py(row.get(REMOTE_KEY)),
        )
        for position, row in frame.loc[null, keys].iterrows()
    ]
    return frame.loc[~null], errors
