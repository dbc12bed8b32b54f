"""The three-way diff between the system, lexoffice and the last synced base (pure, no I/O)."""

from __future__ import annotations

from tasks.diff.engine import diff_records
from tasks.diff.plan import (
    BaseRefresh,
    Conflict,
    FieldChange,
    LexofficeCreate,
    LexofficeUpdate,
    MissingLink,
    NewLink,
    Plan,
    PlanError,
    Resolution,
    Skip,
    SystemCreate,
    SystemUpdate,
)
from tasks.diff.settings import ConflictPolicy, DiffSettings

__all__ = [
    "BaseRefresh",
    "Conflict",
    "ConflictPolicy",
    "DiffSettings",
    "FieldChange",
    "LexofficeCreate",
    "LexofficeUpdate",
    "MissingLink",
    "NewLink",
    "Plan",
    "PlanError",
    "Resolution",
    "Skip",
    "SystemCreate",
    "SystemUpdate",
    "diff_records",
]
