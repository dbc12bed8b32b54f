"""Request figures: what the benchmark reads to separate local work from waiting."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import ConnectionFailedError
from connectors.lexoffice.pacing import FileSlotStore, Pacer, SlotPlan
from connectors.lexoffice.settings import LexofficeSettings
from connectors.lexoffice.stats import NO_RESPONSE, REQUEST_STATS, RequestFigures, RequestStats
from connectors.lexoffice.transport import Transport


def _settings(tmp_path: Path) -> LexofficeSettings:
    return LexofficeSettings(
        api_key=SecretStr("stats-key"), base_url="https://lexoffice.test", pacing_dir=tmp_path,
        backoff_base_seconds=0.01, backoff_cap_seconds=0.02,
    )  # fmt: skip


def _answers(*statuses: int) -> httpx.Client:
    remaining = list(statuses)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(remaining.pop(0), json={"id": "x"})

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_each_attempt_is_counted_with_its_status_and_round_trip(tmp_path: Path) -> None:
    stats = RequestStats()
    pacer = Pacer(FileSlotStore(tmp_path), "k", SlotPlan(1000.0, 0.0))
    transport = Transport(_settings(tmp_path), _answers(429, 200), pacer, stats=stats)
    transport.request("GET", "/v1/profile")
    figures = stats.snapshot()
    assert figures.attempts == 2
    assert figures.statuses == {429: 1, 200: 1}
    assert figures.http_seconds > 0
    assert figures.backoff_seconds > 0  # the retry after the 429 waited


def test_time_waiting_for_the_pacer_is_counted_as_pacing(tmp_path: Path) -> None:
    stats = RequestStats()
    pacer = Pacer(FileSlotStore(tmp_path), "k", SlotPlan(10.0, 0.0))  # 0.1 s apart
    transport = Transport(_settings(tmp_path), _answers(200, 200), pacer, stats=stats)
    started = time.perf_counter()
    transport.request("GET", "/v1/profile")
    transport.request("GET", "/v1/profile")
    elapsed = time.perf_counter() - started
    figures = stats.snapshot()
    assert 0.05 < figures.pacing_seconds <= elapsed
    assert figures.backoff_seconds == 0


def test_a_request_without_answer_counts_as_no_response(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    stats = RequestStats()
    pacer = Pacer(FileSlotStore(tmp_path), "k", SlotPlan(1000.0, 0.0))
    http = httpx.Client(transport=httpx.MockTransport(handler))
    settings = _settings(tmp_path).model_copy(update={"max_attempts": 2})
    transport = Transport(settings, http, pacer, stats=stats)
    with pytest.raises(ConnectionFailedError):
        transport.request("GET", "/v1/profile")
    assert stats.snapshot().statuses == {NO_RESPONSE: 2}


def test_clients_add_to_the_process_wide_figures(tmp_path: Path) -> None:
    before = REQUEST_STATS.snapshot()
    with LexofficeClient(_settings(tmp_path), _answers(204)) as client:
        client.delete_article("a1")
    delta = REQUEST_STATS.snapshot().since(before)
    assert delta.attempts == 1
    assert delta.statuses == {204: 1}


def test_since_subtracts_an_earlier_snapshot() -> None:
    earlier = RequestFigures(2, 1.0, 0.5, 0.25, {200: 2})
    later = RequestFigures(5, 3.0, 0.5, 1.0, {200: 4, 429: 1})
    assert later.since(earlier) == RequestFigures(3, 2.0, 0.0, 0.75, {200: 2, 429: 1})
