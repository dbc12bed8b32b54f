"""A lexoffice record reduced to canonical form, with lexoffice's own bookkeeping beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from connectors.lexoffice.writability import WriteBlocker

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class RemoteRecord(Generic[R]):
    """One lexoffice record: its canonical fields plus what only lexoffice knows."""

    lexoffice_id: str
    version: int
    archived: bool  # read-only in lexoffice; imported, never exported
    writable: bool  # False when the API would refuse a PUT (see `write_blockers`)
    write_blockers: tuple[WriteBlocker, ...]
    record: R


@dataclass(frozen=True, slots=True)
class NotSynced:
    """A lexoffice record that is not of the synced kind (e.g. a vendor-only contact)."""

    lexoffice_id: str | None
    reason: str
    # Set when the record is of the synced kind but unusable (a customer without a name):
    # then it is a problem to report, not a record to pass over in silence.
    field: str | None = None
