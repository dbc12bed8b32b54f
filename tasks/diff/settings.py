"""What a diff may do: which directions are on and who wins a conflict."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ConflictPolicy(StrEnum):
    """Who wins when the same field changed differently on both sides since the last sync."""

    LEXOFFICE_WINS = "lexoffice_wins"
    SYSTEM_WINS = "system_wins"
    REPORT_ONLY = "report_only"  # change nothing in that field; a person decides


@dataclass(frozen=True, slots=True)
class DiffSettings:
    """Switches for one diff run.

    The default policy is REPORT_ONLY: a craftsman business must never lose data silently, so
    a conflicting field is left as it is on both sides (and its base is not advanced) until
    someone makes the two sides agree; the other fields of the record still sync.
    """

    import_enabled: bool = True  # lexoffice → system
    export_enabled: bool = True  # system → lexoffice
    conflict_policy: ConflictPolicy = ConflictPolicy.REPORT_ONLY
    # Load, not diff: how long after an unconfirmed create lexoffice must have shown the
    # record before it may be sent again (`tasks.sync.pending`).
    recreate_unconfirmed_after_seconds: int = 300
