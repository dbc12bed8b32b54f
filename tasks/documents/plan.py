"""The document import's decide step: which listed documents to import, which changed.

Pure, on DataFrames; it writes nothing (load executes the `ImportPlan`). Decisions:
- **Exactly once.** A document is imported when no project was made from it yet: its id has no
  `document_imports` row, or only a failed one (then it is tried again). The unique
  `projects.lexoffice_id` keeps it so even if two runs overlapped.
- **Statuses.** Drafts only when `import_draft_documents` is on; voided documents never (an
  order that was cancelled is no work to do). Everything else (`open`, and statuses lexoffice
  may add) is imported. A skipped draft is listed again once finalized, because finalizing
  changes its `updatedDate`.
- **Changes.** An imported document listed with a later `updatedDate` than the one it was
  imported (or last reported) at has changed; it is compared and reported, never applied.
- **Incremental.** Each run lists from the Berlin day of the cursor (the newest `updatedDate`
  listed before) minus `OVERLAP`, or from the oldest failed document if that is earlier,
  so a failure is tried again on every run until it imports. The overlap covers documents
  that lexoffice's list shows late (its search index lags the write) and clocks that differ;
  re-listed documents cost one list entry each and are recognised as already imported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from connectors.fieldservice.models import DocumentType

OVERLAP = dt.timedelta(days=1)
BERLIN = ZoneInfo("Europe/Berlin")
LISTING_COLUMNS = (
    "lexoffice_id",
    "document_type",
    "voucher_status",
    "voucher_number",
    "voucher_date",
    "contact_id",
    "contact_name",
    "updated_at",
)
KNOWN_COLUMNS = (
    "lexoffice_id",
    "status",
    "project_id",
    "lexoffice_updated_at",
    "reported_updated_at",
    "reason",
)
NEVER_IMPORTED_STATUSES = frozenset({"voided"})


def empty_listing() -> pd.DataFrame:
    return pd.DataFrame(columns=list(LISTING_COLUMNS))


@dataclass
class ImportPlan:
    """What a run does: documents to import, changed ones to report, the rest counted."""

    creates: pd.DataFrame = field(default_factory=empty_listing)
    changed: pd.DataFrame = field(default_factory=empty_listing)
    unchanged: pd.DataFrame = field(default_factory=empty_listing)
    skipped: pd.DataFrame = field(default_factory=empty_listing)

    def counts(self, document_type: DocumentType) -> dict[str, int]:
        """How many documents of this type fall in each part of the plan."""
        return {
            part: int((getattr(self, part)["document_type"] == document_type).sum())
            for part in ("creates", "changed", "unchanged", "skipped")
        }


def plan_imports(listing: pd.DataFrame, known: pd.DataFrame, include_drafts: bool) -> ImportPlan:
    """Split the listed documents against the ones handled before (by lexoffice id)."""
    listing = latest_per_document(_with_times(listing, "updated_at"))
    known = _with_times(known[known["lexoffice_id"].notna()], *KNOWN_COLUMNS[3:5])
    merged = listing.merge(
        known[list(KNOWN_COLUMNS)],
        on="lexoffice_id",
        how="left",
        indicator=True,
        validate="one_to_one",
    )
    imported = merged["status"] == "imported"
    seen = merged[["lexoffice_updated_at", "reported_updated_at"]].max(axis=1)
    newer = imported & (merged["updated_at"] > seen)
    skip = ~imported & _skipped_status(merged["voucher_status"], include_drafts)
    return ImportPlan(
        creates=merged[~imported & ~skip].reset_index(drop=True),
        changed=merged[newer].reset_index(drop=True),
        unchanged=merged[imported & ~newer].reset_index(drop=True),
        skipped=merged[skip].reset_index(drop=True),
    )


def _with_times(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    # Aware datetimes from two sources as one UTC dtype, so that they compare (NaT never wins).
    return frame.assign(**{column: pd.to_datetime(frame[column], utc=True) for column in columns})


def latest_per_document(listing: pd.DataFrame) -> pd.DataFrame:
    """One row per document: the newest, should a document be listed twice while it changes."""
    ordered = listing.sort_values("updated_at", ascending=False, kind="stable")
    return ordered.drop_duplicates("lexoffice_id").sort_values("updated_at", kind="stable")


def _skipped_status(statuses: pd.Series, include_drafts: bool) -> pd.Series:
    skipped = statuses.isin(NEVER_IMPORTED_STATUSES)
    return skipped if include_drafts else skipped | (statuses == "draft")


def listing_start(
    cursor: dt.datetime | None, oldest_failure: dt.datetime | None, overlap: dt.timedelta = OVERLAP
) -> dt.date | None:
    """The first day (lexoffice's days are Berlin days) to list from; None lists everything."""
    if cursor is None:
        return None
    start = min(cursor, oldest_failure) if oldest_failure is not None else cursor
    return (start - overlap).astimezone(BERLIN).date()


def oldest_failures(known: pd.DataFrame) -> dict[DocumentType, dt.datetime]:
    """Per document type, the oldest `updatedDate` of a document whose import failed."""
    failed = known[(known["status"] == "failed") & known["lexoffice_updated_at"].notna()]
    grouped = failed.groupby("document_type")["lexoffice_updated_at"].min()
    return {DocumentType(str(kind)): _aware(when) for kind, when in grouped.items()}


def next_cursors(
    listing: pd.DataFrame, cursors: dict[DocumentType, dt.datetime]
) -> dict[DocumentType, dt.datetime]:
    """Per document type, the newest `updatedDate` listed (never earlier than before)."""
    result = dict(cursors)
    newest = listing.dropna(subset=["updated_at"]).groupby("document_type")["updated_at"].max()
    for kind, when in newest.items():
        document_type = DocumentType(str(kind))
        previous = result.get(document_type)
        aware = _aware(when)
        result[document_type] = aware if previous is None else max(previous, aware)
    return result


def records(frame: pd.DataFrame) -> list[Any]:
    """The rows of a plan frame as named tuples (`row.lexoffice_id`, `row.updated_at`, …)."""
    return list(frame.itertuples(index=False))


def _aware(value: Any) -> dt.datetime:
    moment: dt.datetime = pd.Timestamp(value).to_pydatetime()
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
