"""Plan objects for the linked rows that have something to do (after `decide_fields`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tasks import error_text
from tasks.diff.frames import LOCAL_KEY, REMOTE_KEY
from tasks.diff.matching import MATCHED_BY
from tasks.diff.plan import (
    BaseRefresh,
    Conflict,
    FieldChange,
    LexofficeUpdate,
    NewLink,
    Plan,
    PlanError,
    Resolution,
    Skip,
    SystemUpdate,
)
from tasks.diff.settings import ConflictPolicy, DiffSettings
from tasks.diff.three_way import FieldDecisions
from tasks.mapping.records import EntitySpec
from tasks.mapping.validation import validate


class RowPlanner:
    """Turns the decisions for one row into updates, refreshes, conflicts, skips and errors."""

    def __init__(
        self, spec: EntitySpec, settings: DiffSettings, decisions: FieldDecisions, plan: Plan
    ) -> None:
        self.spec, self.settings, self.decisions, self.plan = spec, settings, decisions, plan

    def plan_rows(self, triples: pd.DataFrame, positions: np.ndarray) -> None:
        rows = triples.iloc[positions]
        columns = {name: _plain_values(rows[name]) for name in rows.columns}
        decisions = self.decisions
        exports = _fields_by_row(decisions.export[positions], decisions.fields)
        imports = _fields_by_row(decisions.import_[positions], decisions.fields)
        refreshes = _fields_by_row(decisions.refresh[positions], decisions.fields)
        conflicts = _fields_by_row(decisions.conflict[positions], decisions.fields)
        for i in range(len(positions)):
            row = _Row(columns, i)
            exported, export_note = self._export(row, exports[i])
            imported, import_note = self._import(row, imports[i])
            self._refresh(row, refreshes[i])
            system_wins = self.settings.conflict_policy == ConflictPolicy.SYSTEM_WINS
            blocked = export_note if system_wins else import_note  # why the winner was held back
            for name in conflicts[i]:
                self.plan.conflicts.append(self._conflict(row, name, exported, imported, blocked))

    def _export(self, row: _Row, names: list[str]) -> tuple[bool, str]:
        if not names:
            return False, ""
        if not self.settings.export_enabled:
            self._count("pending_export")
            return False, "Export ist ausgeschaltet"
        if row["lex_archived"]:
            reason = (
                "in lexoffice archiviert: die Änderung im System wird nicht übertragen; "
                "erst in lexoffice aus dem Archiv holen"
            )
            self._skip_waiting(row, names, reason)
            return False, "in lexoffice archiviert"
        if not row["lex_writable"]:
            found = row["lex_write_blockers"]
            blockers = error_text.write_blockers(found if found is not None else ())
            reason = f"in lexoffice von Hand ändern, die Schnittstelle kann es nicht ({blockers})"
            self._skip_waiting(row, names, reason)
            return False, "über die Schnittstelle nicht änderbar"
        if not self._valid_for_export(row, names):
            return False, "für den Export ungültig"
        self.plan.lexoffice_updates.append(
            LexofficeUpdate(
                lexoffice_id=row[REMOTE_KEY],
                local_id=row[LOCAL_KEY],
                expected_version=int(row["lex_version"]),
                changes=tuple(FieldChange(n, row[f"sys_{n}"], row[f"lex_{n}"]) for n in names),
                new_base={name: row[f"sys_{name}"] for name in names},
            )
        )
        return True, ""

    def _valid_for_export(self, row: _Row, names: list[str]) -> bool:
        outgoing = {name: row[f"lex_{name}"] for name in self.spec.export_fields}
        outgoing |= {name: row[f"sys_{name}"] for name in names}
        problems = validate(self.spec, outgoing, names)
        self.plan.errors += [
            PlanError(p.message, p.field, row[LOCAL_KEY], row[REMOTE_KEY], outgoing.get(p.field))
            for p in problems
        ]
        return not problems

    def _import(self, row: _Row, names: list[str]) -> tuple[bool, str]:
        if not names:
            return False, ""
        if not self.settings.import_enabled:
            self._count("pending_import")
            return False, "Import ist ausgeschaltet"
        self.plan.system_updates.append(
            SystemUpdate(
                local_id=row[LOCAL_KEY],
                lexoffice_id=row[REMOTE_KEY],
                changes=tuple(FieldChange(n, row[f"lex_{n}"], row[f"sys_{n}"]) for n in names),
                new_base={name: row[f"lex_{name}"] for name in names},
            )
        )
        return True, ""

    def _refresh(self, row: _Row, names: list[str]) -> None:
        values = {name: row[f"sys_{name}"] for name in names}
        if row.get(MATCHED_BY):
            link = NewLink(row[LOCAL_KEY], row[REMOTE_KEY], row[MATCHED_BY], values)
            self.plan.new_links.append(link)
        elif values:
            self.plan.base_refreshes.append(BaseRefresh(row[LOCAL_KEY], row[REMOTE_KEY], values))

    def _conflict(
        self, row: _Row, name: str, exported: bool, imported: bool, blocked: str
    ) -> Conflict:
        policy = self.settings.conflict_policy
        if policy == ConflictPolicy.LEXOFFICE_WINS and imported:
            resolution, note = Resolution.LEXOFFICE_WINS, ""
        elif policy == ConflictPolicy.SYSTEM_WINS and exported:
            resolution, note = Resolution.SYSTEM_WINS, ""
        else:
            resolution, note = Resolution.UNRESOLVED, self._why_unresolved(name, blocked)
        return Conflict(
            local_id=row[LOCAL_KEY],
            lexoffice_id=row[REMOTE_KEY],
            field=name,
            base=row[f"base_{name}"],
            system_value=row[f"sys_{name}"],
            lexoffice_value=row[f"lex_{name}"],
            resolution=resolution,
            note=note,
        )

    def _why_unresolved(self, name: str, blocked: str) -> str:
        policy = self.settings.conflict_policy
        if policy == ConflictPolicy.REPORT_ONLY:
            return "Konfliktregel „nur melden“: bitte beide Seiten von Hand angleichen"
        if policy == ConflictPolicy.SYSTEM_WINS and name not in self.spec.export_fields:
            return f"{name} wird nie an lexoffice übertragen"
        return f"{policy.value} nicht anwendbar: {blocked}"

    def _skip(self, row: _Row, reason: str) -> None:
        self.plan.skips.append(Skip(reason, row[LOCAL_KEY], row[REMOTE_KEY]))

    def _skip_waiting(self, row: _Row, names: list[str], reason: str) -> None:
        """One skip per field whose change waits, with the value on each side."""
        for name in names:
            self.plan.skips.append(
                Skip(
                    reason,
                    row[LOCAL_KEY],
                    row[REMOTE_KEY],
                    field=name,
                    system_value=row[f"sys_{name}"],
                    lexoffice_value=row[f"lex_{name}"],
                )
            )

    def _count(self, name: str) -> None:
        self.plan.counts[name] = self.plan.counts.get(name, 0) + 1


class _Row:
    """One row of the busy subset, read lazily: most rows need only a few of their cells."""

    __slots__ = ("columns", "position")

    def __init__(self, columns: dict[str, list[Any]], position: int) -> None:
        self.columns, self.position = columns, position

    def __getitem__(self, name: str) -> Any:
        return self.columns[name][self.position]

    def get(self, name: str) -> Any:
        column = self.columns.get(name)
        return None if column is None else column[self.position]


def _plain_values(column: pd.Series) -> list[Any]:
    """A column as plain Python values, missing ones as None."""
    as_objects = column.astype(object)  # numpy scalars become Python ints, bools, …
    return as_objects.where(column.notna(), None).tolist()


def _fields_by_row(matrix: np.ndarray, fields: tuple[str, ...]) -> list[list[str]]:
    """For each row of a boolean row × field matrix, the names of the fields set."""
    names: list[list[str]] = [[] for _ in range(matrix.shape[0])]
    for row, column in zip(*np.nonzero(matrix), strict=True):
        names[row].append(fields[column])
    return names
