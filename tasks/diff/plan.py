"""The plan: everything one diff decided, as typed records that load executes and a report shows.

Base values ("as last synced") travel with the action that settles them: an update's
`new_base` is stored only after that update succeeded; a `BaseRefresh` (both sides already
agree) and a `NewLink`'s `base` can be stored right away. A field that was not settled keeps
its old base, so a change held back now is found again by the next diff. The base of a link
holds every field of the spec plus `archived` (`EntitySpec.compared_fields`).

Order for load: store new links, then creates (each followed by storing its link and base),
then updates (each followed by merging its `new_base` into the link's base), then refreshes.
A `LexofficeUpdate` is written as `apply_*_to_*(current, {c.field: c.new for c in changes})`
on the record fetched again right before the PUT, with the version of that fetch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from tasks.mapping.records import Entity

LocalId = Any  # whatever the system uses as primary key (int or str)


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    new: Any
    old: Any


@dataclass(frozen=True, slots=True)
class SystemCreate:
    """A lexoffice record new to the system. `values` is also the link's base after creating."""

    lexoffice_id: str
    lexoffice_version: int
    values: dict[str, Any]  # every import field, including `archived`


@dataclass(frozen=True, slots=True)
class LexofficeCreate:
    """A system record new to lexoffice; store a link with `base` after creating."""

    local_id: LocalId
    values: dict[str, Any]  # every export field
    base: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SystemUpdate:
    local_id: LocalId
    lexoffice_id: str
    changes: tuple[FieldChange, ...]
    new_base: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LexofficeUpdate:
    lexoffice_id: str
    local_id: LocalId
    expected_version: int  # the version the diff saw; a PUT with it fails with 409 if stale
    changes: tuple[FieldChange, ...]
    new_base: dict[str, Any]


@dataclass(frozen=True, slots=True)
class NewLink:
    """Two records found to be the same by first-time matching."""

    local_id: LocalId
    lexoffice_id: str
    matched_by: str  # the field that matched, e.g. "customer_number"
    base: dict[str, Any]  # fields already equal on both sides


@dataclass(frozen=True, slots=True)
class BaseRefresh:
    """Fields now equal on both sides (changed on both to the same value): store as base."""

    local_id: LocalId
    lexoffice_id: str
    values: dict[str, Any]


class Resolution(StrEnum):
    LEXOFFICE_WINS = "lexoffice_wins"  # the lexoffice value is imported
    SYSTEM_WINS = "system_wins"  # the system value is exported
    UNRESOLVED = "unresolved"  # both values are kept; a person decides


@dataclass(frozen=True, slots=True)
class Conflict:
    local_id: LocalId
    lexoffice_id: str
    field: str
    base: Any
    system_value: Any
    lexoffice_value: Any
    resolution: Resolution
    note: str = ""


@dataclass(frozen=True, slots=True)
class Skip:
    reason: str
    local_id: LocalId = None
    lexoffice_id: str | None = None
    candidates: tuple[Any, ...] = ()  # e.g. the records an ambiguous match could mean
    # A change left waiting: which field, and its value on each side.
    field: str | None = None
    system_value: Any = None
    lexoffice_value: Any = None


@dataclass(frozen=True, slots=True)
class PlanError:
    message: str
    field: str | None = None
    local_id: LocalId = None
    lexoffice_id: str | None = None
    system_value: Any = None  # the refused value, when the system's value was refused


@dataclass(frozen=True, slots=True)
class MissingLink:
    """A linked record that vanished: the link is marked, nothing is re-created."""

    local_id: LocalId
    lexoffice_id: str
    vanished_from: Literal["lexoffice", "system"]


@dataclass
class Plan:
    """What one diff of one entity wants done."""

    entity: Entity
    system_creates: list[SystemCreate] = field(default_factory=list)
    lexoffice_creates: list[LexofficeCreate] = field(default_factory=list)
    system_updates: list[SystemUpdate] = field(default_factory=list)
    lexoffice_updates: list[LexofficeUpdate] = field(default_factory=list)
    new_links: list[NewLink] = field(default_factory=list)
    base_refreshes: list[BaseRefresh] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    errors: list[PlanError] = field(default_factory=list)
    missing_links: list[MissingLink] = field(default_factory=list)
    # unchanged, excluded, pending_import, pending_export (records held back by a disabled
    # direction), archived_not_exported (system records archived before they were ever linked)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def has_writes(self) -> bool:
        """True when applying the plan would change either side."""
        return bool(
            self.system_creates
            or self.lexoffice_creates
            or self.system_updates
            or self.lexoffice_updates
        )

    @property
    def is_settled(self) -> bool:
        """True when there is nothing to write, link, refresh or report."""
        return not (
            self.has_writes
            or self.new_links
            or self.base_refreshes
            or self.conflicts
            or self.skips
            or self.errors
            or self.missing_links
        )
