"""The master-data diff: system records, lexoffice records and links in, a typed plan out.

`diff_records` matches records by their link (lexoffice ID, `alignment`), compares linked
records field by field against the base (`three_way`, `actions`), links unlinked records found
on both sides (`matching`) and plans creates for the rest. Rows without a key are reported as
errors first; a duplicated key raises `pandas.errors.MergeError`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tasks.diff.actions import RowPlanner
from tasks.diff.alignment import align
from tasks.diff.frames import (
    LOCAL_KEY,
    REMOTE_KEY,
    prepare_links,
    prepare_local,
    prepare_remote,
    py,
)
from tasks.diff.matching import match_unlinked
from tasks.diff.plan import LexofficeCreate, Plan, PlanError, SystemCreate
from tasks.diff.settings import DiffSettings
from tasks.diff.three_way import decide_fields
from tasks.mapping.records import ARCHIVED, EntitySpec
from tasks.mapping.validation import validate

COUNTS = ("unchanged", "excluded", "pending_import", "pending_export", "archived_not_exported")


def diff_records(
    spec: EntitySpec,
    local: pd.DataFrame,
    remote: pd.DataFrame,
    links: pd.DataFrame,
    settings: DiffSettings | None = None,
) -> Plan:
    """The plan that brings system and lexoffice records of one entity in step."""
    settings = settings or DiffSettings()
    plan = Plan(entity=spec.entity, counts=dict.fromkeys(COUNTS, 0))
    local_frame, local_errors = prepare_local(spec, local)
    remote_frame, remote_errors = prepare_remote(spec, remote)
    link_frame, link_errors = prepare_links(spec, links)
    plan.errors += local_errors + remote_errors + link_errors
    aligned = align(link_frame, local_frame, remote_frame)
    plan.missing_links += aligned.vanished
    _plan_linked(spec, settings, aligned.triples, plan)
    _plan_unlinked(spec, settings, aligned.unlinked_local, aligned.unlinked_remote, plan)
    return plan


def _plan_linked(
    spec: EntitySpec, settings: DiffSettings, triples: pd.DataFrame, plan: Plan
) -> None:
    excluded = triples["sys_excluded"].to_numpy(dtype=bool)
    plan.counts["excluded"] += int(excluded.sum())
    if excluded.any():
        triples = triples.loc[~excluded].reset_index(drop=True)
    decisions = decide_fields(spec, settings, triples)
    busy = decisions.busy_rows()
    RowPlanner(spec, settings, decisions, plan).plan_rows(triples, busy)
    plan.counts["unchanged"] += len(triples) - len(busy)


def _plan_unlinked(
    spec: EntitySpec,
    settings: DiffSettings,
    local: pd.DataFrame,
    remote: pd.DataFrame,
    plan: Plan,
) -> None:
    matches = match_unlinked(spec, local, remote)
    plan.skips += matches.skips
    _plan_new_links(spec, settings, matches.pairs, local, remote, plan)
    _plan_lexoffice_creates(spec, settings, local[~local[LOCAL_KEY].isin(matches.held_local)], plan)
    _plan_system_creates(
        spec, settings, remote[~remote[REMOTE_KEY].isin(matches.held_remote)], plan
    )


def _plan_new_links(
    spec: EntitySpec,
    settings: DiffSettings,
    pairs: pd.DataFrame,
    local: pd.DataFrame,
    remote: pd.DataFrame,
    plan: Plan,
) -> None:
    """Newly matched pairs go through the same three-way comparison with an empty base."""
    if pairs.empty:
        return
    triples = pairs.merge(local, on=LOCAL_KEY, how="left", validate="one_to_one")
    triples = triples.merge(remote, on=REMOTE_KEY, how="left", validate="one_to_one")
    # Empty, but a field with a default counts as that default, exactly as in the base of an
    # existing link (`frames.prepare_links`): the first sync and the next decide alike, so
    # the next has nothing left to do.
    empty_base = {
        f"base_{name}": pd.Series(spec.defaults.get(name), index=triples.index, dtype=object)
        for name in spec.fields
    }
    triples = triples.assign(**empty_base, **{f"base_{ARCHIVED}": False})
    decisions = decide_fields(spec, settings, triples)
    RowPlanner(spec, settings, decisions, plan).plan_rows(triples, np.arange(len(triples)))


def _plan_lexoffice_creates(
    spec: EntitySpec, settings: DiffSettings, local: pd.DataFrame, plan: Plan
) -> None:
    excluded, archived = local["sys_excluded"].astype(bool), local["sys_archived"].astype(bool)
    plan.counts["excluded"] += int(excluded.sum())
    plan.counts["archived_not_exported"] += int((archived & ~excluded).sum())
    candidates = local.loc[~excluded & ~archived]
    if not settings.export_enabled:
        plan.counts["pending_export"] += len(candidates)
        return
    names = sorted(spec.export_fields)
    for local_id, values in _records(candidates, LOCAL_KEY, "sys_", names):
        problems = validate(spec, values, names)
        plan.errors += [
            PlanError(p.message, p.field, local_id=local_id, system_value=values.get(p.field))
            for p in problems
        ]
        if not problems:
            base = values | {ARCHIVED: False}
            plan.lexoffice_creates.append(LexofficeCreate(local_id, values, base))


def _plan_system_creates(
    spec: EntitySpec, settings: DiffSettings, remote: pd.DataFrame, plan: Plan
) -> None:
    if not settings.import_enabled:
        plan.counts["pending_import"] += len(remote)
        return
    versions = remote["lex_version"].tolist()
    names = sorted(spec.import_fields)
    for (remote_id, values), version in zip(
        _records(remote, REMOTE_KEY, "lex_", names), versions, strict=True
    ):
        plan.system_creates.append(SystemCreate(remote_id, int(version), values))


def _records(
    frame: pd.DataFrame, key: str, prefix: str, names: list[str]
) -> list[tuple[Any, dict[str, Any]]]:
    """(key, {field: value}) for every row, with plain Python values."""
    columns = {name: frame[prefix + name].tolist() for name in names}
    return [
        (py(key_value), {name: py(columns[name][i]) for name in names})
        for i, key_value in enumerate(frame[key].tolist())
    ]
