"""Listing pages overlap: the next page is asked for while the previous one is being answered,
within lexoffice's 2 requests/s (no 429), in order, and no page more than the listing has."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.models.common import Page
from connectors.lexoffice.paging import iter_pages
from connectors.lexoffice.sandbox.config import SandboxConfig
from connectors.lexoffice.sandbox.server import SandboxServer
from tests.connectors.lexoffice.conftest import sandbox_settings

PAGES = 4


@pytest.fixture(scope="module")
def slow_sandbox() -> Iterator[SandboxServer]:
    """Limited like lexoffice (2 requests/s, burst 2) and answering after 0.8 s."""
    with SandboxServer(SandboxConfig(rps=2.0, burst=2, latency_seconds=0.8)) as server:
        yield server


def test_pages_are_requested_while_earlier_ones_are_answered_without_a_429(
    slow_sandbox: SandboxServer, tmp_path: Path
) -> None:
    titles = [f"Artikel {i:04}" for i in range(250 * (PAGES - 1) + 1)]
    records = [{"title": t, "type": "PRODUCT", "unitName": "Stück", "price": {"netPrice": 1,
               "leadingPrice": "NET", "taxRate": 19}} for t in titles]  # fmt: skip
    slow_sandbox.control.post("/seed/articles", json=records).raise_for_status()
    slow_sandbox.control.delete("/requests").raise_for_status()
    settings = sandbox_settings(
        slow_sandbox, tmp_path / "pacing", rate_per_second=2.0, read_timeout=10.0
    )

    with httpx.Client(timeout=10.0) as http, LexofficeClient(settings, http) as client:
        listed = [article.title for article in client.iter_articles()]

    assert listed == titles  # every record once, pages in order
    log: list[dict[str, Any]] = slow_sandbox.control.get("/requests").json()
    assert [entry["status"] for entry in log] == [200] * PAGES  # no 429, no page too many
    pages = sorted(log, key=lambda entry: entry["time"])
    overlapping = [b for a, b in itertools.pairwise(pages) if b["time"] < a["answered"]]
    assert overlapping, "each page waited for the previous answer"


class Item(BaseModel):
    id: str


def test_a_collection_grown_since_page_0_is_still_read_to_its_end() -> None:
    asked: list[int] = []

    def fetch(number: int) -> Page[Item]:
        asked.append(number)
        last = number == 3  # page 0 announced 2 pages; 2 more appeared meanwhile
        body = {"content": [{"id": str(number)}], "number": number, "last": last}
        return Page[Item].model_validate(body | {"totalPages": 2 if number == 0 else 4})

    pages = list(iter_pages(fetch))

    assert [page.number for page in pages] == [0, 1, 2, 3]
    assert sorted(asked) == [0, 1, 2, 3]
