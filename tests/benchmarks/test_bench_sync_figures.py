"""The sync benchmark's arithmetic: minimum requests, ratios, local processing."""

from __future__ import annotations

from typing import Any

from tests.benchmarks.bench_sync_figures import EXPORT, Listings, RunFigures


def _result(**overrides: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "wall": 10.0, "cpu": 3.0, "gc": 0.5, "pacing": 6.0, "backoff": 1.0, "http": 2.0,
        "statuses": {"200": 4, "429": 1}, "peak_rss_mb": 300.0, "rss_before_mb": 250.0,
        "failed": 0, "problems": 0,
        "sections": [{"entity": "customers", "direction": EXPORT, "counts": {"created": 3}}],
    }  # fmt: skip
    return result | overrides


def test_every_listing_costs_a_page_even_when_empty() -> None:
    assert Listings(customers=0, products=0).pages() == 3


def test_list_pages_are_250_records_each() -> None:
    assert Listings(customers=10_000, products=5_000).pages() == 40 + 20 + 1
    assert Listings(customers=251, products=250).pages() == 2 + 1 + 1
    assert Listings(customers=1, products=200, services=51).pages() == 1 + 2 + 1


def test_listings_grow_by_what_a_sync_created_in_lexoffice() -> None:
    after = Listings(customers=500, products=2_500).after(_result())
    assert after == Listings(customers=503, products=2_500)


def test_figures_count_api_requests_429s_and_local_processing() -> None:
    log = [
        {"method": "GET", "path": "/v1/contacts", "status": 200},
        {"method": "POST", "path": "/v1/contacts", "status": 429},
        {"method": "POST", "path": "/v1/contacts", "status": 201},
        {"method": "GET", "path": "/v1/contacts/abc", "status": 200},
        {"method": "GET", "path": "/v1/ping", "status": 200},
    ]
    figures = RunFigures.from_run("t", 2.0, Listings(0, 0), 1, "x", _result(), log)
    assert figures.sent == 5
    assert figures.minimum == 4  # 3 listings (contacts, articles, voucherlist) + 1 write
    assert figures.kinds == {"list pages": 1, "POSTs": 2, "single GETs": 2}
    assert (figures.sandbox_429, figures.client_429) == (1, 1)
    assert figures.local == 10.0 - 6.0 - 1.0 - 2.0
    assert figures.floor == 2.5
    assert figures.budget_used == 0.25
