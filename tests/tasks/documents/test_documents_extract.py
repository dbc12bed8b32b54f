"""Reading documents from the sandbox: the listing frame, and a document that cannot be read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from connectors.fieldservice.models import DocumentType
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.sandbox.config import SandboxConfig
from connectors.lexoffice.sandbox.server import SandboxServer
from connectors.lexoffice.settings import LexofficeSettings
from tasks.documents.extract import fetch_documents, list_documents

OC = DocumentType.ORDER_CONFIRMATION


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(rps=100.0, burst=100)) as server:
        yield server


@pytest.fixture
def client(sandbox: SandboxServer, tmp_path: Path) -> Iterator[LexofficeClient]:
    sandbox.control.post("/reset").raise_for_status()
    settings = LexofficeSettings(
        api_key=SecretStr(sandbox.api_key),
        base_url=sandbox.base_url,
        rate_per_second=90.0,
        pacing_dir=tmp_path,
        max_attempts=1,  # a server error is final at once: the test needs no backoff
    )
    with LexofficeClient(settings) as lexoffice:
        yield lexoffice


def seed_order_confirmations(sandbox: SandboxServer, addresses: list[dict[str, Any]]) -> list[str]:
    records = [
        {
            "voucherDate": "2026-03-02T10:00:00.000+01:00",
            "voucherStatus": "open",
            "address": address,
            "lineItems": [{"type": "text", "name": "Wartung"}],
            "taxConditions": {"taxType": "net"},
        }
        for address in addresses
    ]
    response = sandbox.control.post("/seed/order-confirmations", json=records)
    response.raise_for_status()
    ids: list[str] = response.json()["ids"]
    return ids


def test_listing_has_one_row_per_document_with_contact_and_update_date(
    sandbox: SandboxServer, client: LexofficeClient
) -> None:
    [contact_id] = sandbox.control.post(
        "/seed/contacts", json=[{"company": {"name": "Muster GmbH"}}]
    ).json()["ids"]
    seed_order_confirmations(
        sandbox, [{"contactId": contact_id}, {"name": "Einmal", "countryCode": "DE"}]
    )
    listing = list_documents(client, {OC: None, DocumentType.DELIVERY_NOTE: None})
    assert sorted(listing["contact_id"].fillna("-")) == sorted([contact_id, "-"])
    assert set(listing["document_type"]) == {OC.value}
    assert listing["updated_at"].notna().all()


def test_a_document_that_cannot_be_read_is_noted_and_the_others_are_read(
    sandbox: SandboxServer, client: LexofficeClient
) -> None:
    first, second = seed_order_confirmations(sandbox, [{"name": "A", "countryCode": "DE"}] * 2)
    fault = {"fault": "500", "count": 1, "path": f"/v1/order-confirmations/{first}"}
    sandbox.control.post("/faults", json=fault).raise_for_status()
    fetched = fetch_documents(client, [(first, OC.value), (second, OC.value)])
    assert list(fetched.documents) == [second]
    assert "antwortete nicht rechtzeitig" in fetched.failures[first]
