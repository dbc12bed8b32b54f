"""Splitting voucherlist queries below the 10,000-result window, with an in-memory fetcher."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from connectors.lexoffice.errors import ValidationError
from connectors.lexoffice.models import Page, VoucherlistEntry
from connectors.lexoffice.voucherlist import (
    SearchWindowError,
    VoucherlistQuery,
    iter_voucherlist,
)

DAY0 = date(2025, 1, 1)
PAGE = 250
WINDOW_ERROR = "Maximum search window size exceeded"


class FakeVoucherlist:
    """`count_per_day` vouchers on each of `days` days, paged like lexoffice (window 10,000)."""

    def __init__(self, days: int, count_per_day: int, error_style: bool = False) -> None:
        self.days = {DAY0 + timedelta(days=n): count_per_day for n in range(days)}
        self.error_style = error_style
        self.queries: list[VoucherlistQuery] = []

    def fetch(self, query: VoucherlistQuery, number: int) -> Page[VoucherlistEntry]:
        self.queries.append(query)
        start, end = query.range_of("updatedDate")
        ids = [
            f"{day}-{n:05d}"
            for day, count in sorted(self.days.items())
            if (start is None or day >= start) and (end is None or day <= end)
            for n in range(count)
        ]
        if self.error_style and len(ids) > 10_000:
            raise ValidationError("GET", "/v1/voucherlist", 400, WINDOW_ERROR)
        chunk = ids[number * PAGE : (number + 1) * PAGE]
        return Page[VoucherlistEntry](
            content=[
                VoucherlistEntry(id=i, voucher_type="invoice", voucher_status="open") for i in chunk
            ],
            number=number,
            total_elements=min(len(ids), 10_000),
            last=(number + 1) * PAGE >= len(ids),
        )


def test_small_results_are_read_in_one_query() -> None:
    fake = FakeVoucherlist(days=3, count_per_day=100)
    entries = list(iter_voucherlist(fake.fetch, VoucherlistQuery(), today=DAY0))
    assert len(entries) == 300
    assert {q.updated_date_from for q in fake.queries} == {None}


def test_a_range_over_10000_is_bisected_until_each_part_fits() -> None:
    fake = FakeVoucherlist(days=8, count_per_day=2_000)
    query = VoucherlistQuery(updated_date_from=DAY0, updated_date_to=DAY0 + timedelta(days=7))
    entries = list(iter_voucherlist(fake.fetch, query, today=DAY0))
    assert len(entries) == 16_000
    assert len({entry.id for entry in entries}) == 16_000
    assert [e.id for e in entries] == sorted(e.id for e in entries)


def test_the_search_window_error_also_splits_the_range() -> None:
    fake = FakeVoucherlist(days=4, count_per_day=3_000, error_style=True)
    entries = list(iter_voucherlist(fake.fetch, VoucherlistQuery(), today=DAY0))
    assert len(entries) == 12_000


def test_other_errors_are_not_mistaken_for_the_window() -> None:
    def broken(query: VoucherlistQuery, number: int) -> Page[VoucherlistEntry]:
        raise ValidationError("GET", "/v1/voucherlist", 400, "voucherStatus missing")

    with pytest.raises(ValidationError, match="voucherStatus"):
        list(iter_voucherlist(broken, VoucherlistQuery(), today=DAY0))


def test_unbounded_queries_get_bounds_before_splitting() -> None:
    fake = FakeVoucherlist(days=6, count_per_day=2_000)
    entries = list(iter_voucherlist(fake.fetch, VoucherlistQuery(), today=DAY0))
    assert len(entries) == 12_000


def test_a_single_day_over_the_window_is_a_clear_error() -> None:
    fake = FakeVoucherlist(days=1, count_per_day=12_000)
    query = VoucherlistQuery(updated_date_from=DAY0, updated_date_to=DAY0)
    with pytest.raises(SearchWindowError, match="add filters"):
        list(iter_voucherlist(fake.fetch, query, today=DAY0))


def test_descending_sort_reads_the_later_half_first() -> None:
    fake = FakeVoucherlist(days=2, count_per_day=6_000)
    query = VoucherlistQuery(
        updated_date_from=DAY0, updated_date_to=DAY0 + timedelta(days=1), sort="updatedDate,DESC"
    )
    entries = list(iter_voucherlist(fake.fetch, query, today=DAY0))
    assert entries[0].id.startswith(str(DAY0 + timedelta(days=1)))


def test_query_parameters_follow_lexoffice_names() -> None:
    query = VoucherlistQuery(
        voucher_types=("invoice", "deliverynote"),
        voucher_statuses=("open", "paid"),
        updated_date_from=DAY0,
        voucher_number="RE<1>&2",
        sort="updatedDate,ASC",
    )
    params = query.params()
    assert params["voucherType"] == ["invoice", "deliverynote"]
    assert params["updatedDateFrom"] == "2025-01-01" and params["updatedDateTo"] is None
    assert params["voucherNumber"] == "RE&lt;1&gt;&amp;2"
