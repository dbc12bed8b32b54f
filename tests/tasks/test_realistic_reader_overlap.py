"""The sync reads each collection once, the next listing starting while the previous one's
last pages are still being answered, within the key's budget (no 429)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.sandbox.config import SandboxConfig
from connectors.lexoffice.sandbox.server import SandboxServer
from tasks.sync.entities import ADAPTERS
from tasks.sync.extract import LexofficeReader
from tests.connectors.lexoffice.conftest import sandbox_settings
from tests.support.builders import lex_article, lex_person


@pytest.fixture(scope="module")
def slow_sandbox() -> Iterator[SandboxServer]:
    """Limited like lexoffice (2 requests/s, burst 2) and answering after 0.8 s."""
    with SandboxServer(SandboxConfig(rps=2.0, burst=2, latency_seconds=0.8)) as server:
        yield server


def test_articles_are_listed_while_the_last_contact_pages_are_answered(
    slow_sandbox: SandboxServer, tmp_path: Path
) -> None:
    contacts = [lex_person(f"Kunde {i:03}", f"k{i}@example.de") for i in range(501)]
    slow_sandbox.control.post("/seed/contacts", json=contacts).raise_for_status()
    articles = [lex_article("Kabel"), lex_article("Montage", "SERVICE")]
    slow_sandbox.control.post("/seed/articles", json=articles).raise_for_status()
    slow_sandbox.control.delete("/requests").raise_for_status()
    settings = sandbox_settings(
        slow_sandbox, tmp_path / "pacing", rate_per_second=2.0, read_timeout=10.0
    )

    with httpx.Client(timeout=10.0) as http, LexofficeClient(settings, http) as client:
        adapters = [ADAPTERS["customers"], ADAPTERS["products"], ADAPTERS["activities"]]
        with LexofficeReader(client, adapters) as reader:
            read = {adapter.name: len(reader.read(adapter).remote) for adapter in adapters}

    assert read == {"customers": 501, "products": 1, "activities": 1}
    log: list[dict[str, Any]] = slow_sandbox.control.get("/requests").json()
    assert [e["status"] for e in log] == [200] * 4  # 3 contact pages, 1 article page; no 429
    [article_page] = [e for e in log if e["path"] == "/v1/articles"]
    last_contacts_answer = max(e["answered"] for e in log if e["path"] == "/v1/contacts")
    assert article_page["time"] < last_contacts_answer
