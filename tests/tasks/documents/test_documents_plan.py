"""Which listed documents are imported, reported as changed or skipped; where listing starts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from connectors.fieldservice.models import DocumentType
from tasks.documents.plan import (
    KNOWN_COLUMNS,
    LISTING_COLUMNS,
    listing_start,
    next_cursors,
    oldest_failures,
    plan_imports,
)

OC = DocumentType.ORDER_CONFIRMATION.value
DN = DocumentType.DELIVERY_NOTE.value
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def listed(lexoffice_id: str, minutes: int = 0, **extra: Any) -> dict[str, Any]:
    row = dict.fromkeys(LISTING_COLUMNS)
    row.update(
        lexoffice_id=lexoffice_id,
        document_type=OC,
        voucher_status="open",
        updated_at=T0 + dt.timedelta(minutes=minutes),
    )
    return row | extra


def known(
    lexoffice_id: str, status: str = "imported", minutes: int = 0, **extra: Any
) -> dict[str, Any]:
    row = dict.fromkeys([*KNOWN_COLUMNS, "document_type"])
    row.update(
        lexoffice_id=lexoffice_id,
        document_type=OC,
        status=status,
        project_id=1 if status == "imported" else None,
        lexoffice_updated_at=T0 + dt.timedelta(minutes=minutes),
    )
    return row | extra


def frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def plan(listing: list[dict[str, Any]], handled: list[dict[str, Any]], drafts: bool = False) -> Any:
    return plan_imports(
        frame(listing, LISTING_COLUMNS), frame(handled, (*KNOWN_COLUMNS, "document_type")), drafts
    )


def ids(part: pd.DataFrame) -> list[str]:
    return list(part["lexoffice_id"])


def test_new_and_previously_failed_documents_are_imported() -> None:
    result = plan([listed("new"), listed("failed")], [known("failed", status="failed")])
    assert ids(result.creates) == ["new", "failed"]


def test_imported_document_listed_again_unchanged_is_not_imported_twice() -> None:
    result = plan([listed("a")], [known("a")])
    assert ids(result.creates) == [] and ids(result.unchanged) == ["a"]


def test_imported_document_with_a_later_update_is_changed_not_created() -> None:
    result = plan([listed("a", minutes=5)], [known("a")])
    assert ids(result.changed) == ["a"] and ids(result.creates) == []


def test_a_change_already_reported_is_not_reported_again() -> None:
    reported = known("a", reported_updated_at=T0 + dt.timedelta(minutes=5))
    assert ids(plan([listed("a", minutes=5)], [reported]).unchanged) == ["a"]
    assert ids(plan([listed("a", minutes=6)], [reported]).changed) == ["a"]


def test_drafts_are_skipped_unless_asked_for_and_voided_always() -> None:
    listing = [listed("draft", voucher_status="draft"), listed("voided", voucher_status="voided")]
    assert ids(plan(listing, []).skipped) == ["draft", "voided"]
    with_drafts = plan(listing, [], drafts=True)
    assert ids(with_drafts.creates) == ["draft"] and ids(with_drafts.skipped) == ["voided"]


def test_a_document_listed_twice_counts_once_with_its_newest_state() -> None:
    result = plan([listed("a", voucher_status="draft"), listed("a", minutes=3)], [])
    assert ids(result.creates) == ["a"]
    assert list(result.creates["voucher_status"]) == ["open"]


def test_plan_counts_per_document_type() -> None:
    result = plan([listed("a"), listed("b", document_type=DN)], [known("a")])
    assert result.counts(DocumentType.DELIVERY_NOTE) == {
        "creates": 1,
        "changed": 0,
        "unchanged": 0,
        "skipped": 0,
    }


def test_first_run_lists_everything() -> None:
    assert listing_start(None, None) is None


def test_listing_starts_a_berlin_day_before_the_cursor() -> None:
    late_evening_utc = dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)  # 3 March in Berlin
    assert listing_start(late_evening_utc, None) == dt.date(2026, 3, 2)


def test_an_older_failure_pulls_the_listing_start_back() -> None:
    failure = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)
    assert listing_start(T0, failure) == dt.date(2026, 1, 9)


def test_oldest_failure_per_document_type() -> None:
    rows = [
        known("a", status="failed", minutes=10),
        known("b", status="failed", minutes=2),
        known("c"),
    ]
    failures = oldest_failures(frame(rows, (*KNOWN_COLUMNS, "document_type")))
    assert failures == {DocumentType.ORDER_CONFIRMATION: T0 + dt.timedelta(minutes=2)}


def test_cursor_moves_to_the_newest_listed_update_and_never_back() -> None:
    listing = frame([listed("a", minutes=1), listed("b", minutes=7)], LISTING_COLUMNS)
    later = T0 + dt.timedelta(hours=1)
    assert next_cursors(listing, {}) == {
        DocumentType.ORDER_CONFIRMATION: T0 + dt.timedelta(minutes=7)
    }
    assert next_cursors(listing, {DocumentType.ORDER_CONFIRMATION: later}) == {
        DocumentType.ORDER_CONFIRMATION: later
    }


def test_empty_listing_keeps_the_cursors() -> None:
    cursors = {DocumentType.DELIVERY_NOTE: T0}
    assert next_cursors(frame([], LISTING_COLUMNS), cursors) == cursors
    assert plan([], []).creates.empty
