"""The three-way comparison of linked records: system vs base vs lexoffice, field by field.

Per field: changed only in the system → export; only in lexoffice → import; on both sides to
the same value → only the base is refreshed; to different values → a conflict, settled by the
policy. The masks are computed on whole columns; plan objects are built only for rows that
have something to do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tasks.diff.frames import same
from tasks.diff.settings import ConflictPolicy, DiffSettings
from tasks.mapping.records import EntitySpec


@dataclass(frozen=True)
class FieldDecisions:
    """Boolean matrices (row × compared field) saying what each field of each row needs."""

    fields: tuple[str, ...]
    export: np.ndarray
    import_: np.ndarray
    refresh: np.ndarray
    conflict: np.ndarray

    def busy_rows(self) -> np.ndarray:
        """Positions of rows with anything to do."""
        busy = self.export | self.import_ | self.refresh | self.conflict
        return np.flatnonzero(busy.any(axis=1))


def decide_fields(
    spec: EntitySpec, settings: DiffSettings, triples: pd.DataFrame
) -> FieldDecisions:
    """What to do with every compared field of every row of `triples` (sys_/lex_/base_ columns)."""
    fields = spec.compared_fields
    shape = (len(triples), len(fields))
    only_sys, only_lex = np.zeros(shape, bool), np.zeros(shape, bool)
    agree, conflict = np.zeros(shape, bool), np.zeros(shape, bool)
    for j, name in enumerate(fields):
        system, lexoffice = triples[f"sys_{name}"], triples[f"lex_{name}"]
        base = triples[f"base_{name}"]
        sys_changed = ~same(system, base)
        lex_changed = ~same(lexoffice, base)
        both = np.flatnonzero(sys_changed & lex_changed)
        only_sys[:, j] = sys_changed & ~lex_changed
        only_lex[:, j] = lex_changed & ~sys_changed
        if len(both):  # the third comparison only where both sides moved
            equal = same(system.iloc[both], lexoffice.iloc[both])
            agree[both[equal], j] = True
            conflict[both[~equal], j] = True
    exportable = np.array([name in spec.export_fields for name in fields])
    importable = np.array([name in spec.import_fields for name in fields])
    policy = settings.conflict_policy
    return FieldDecisions(
        fields=fields,
        export=(only_sys | conflict & (policy == ConflictPolicy.SYSTEM_WINS)) & exportable,
        import_=(only_lex | conflict & (policy == ConflictPolicy.LEXOFFICE_WINS)) & importable,
        refresh=agree,
        conflict=conflict,
    )
