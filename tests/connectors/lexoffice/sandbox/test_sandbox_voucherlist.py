"""/v1/voucherlist: mandatory parameters, filters, sort, the 10,000-entry window."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from connectors.lexoffice.sandbox import SandboxServer
from tests.support.sandbox import invoice

ANY = {"voucherType": "any", "voucherStatus": "any"}


def seed(sandbox: SandboxServer, resource: str, entries: list[dict[str, Any]]) -> list[str]:
    response = sandbox.control.post(f"/seed/{resource}", json=entries)
    response.raise_for_status()
    ids: list[str] = response.json()["ids"]
    return ids


def day(date: str) -> str:
    return f"{date}T10:00:00.000+01:00"


def numbers(page: dict[str, Any]) -> list[str | None]:
    return [entry["voucherNumber"] for entry in page["content"]]


@pytest.mark.parametrize(
    "params",
    [
        {"voucherType": "invoice"},
        {"voucherStatus": "open"},
        {"voucherType": "bill", "voucherStatus": "open"},
        {"voucherType": "invoice", "voucherStatus": "overdue,open"},
        {**ANY, "sort": "contactName,ASC"},
        {**ANY, "voucherDateFrom": "01.02.2026"},
    ],
)
def test_bad_parameters_are_400(api: httpx.Client, params: dict[str, str]) -> None:
    response = api.get("/v1/voucherlist", params=params)
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_entries_show_the_list_fields(sandbox: SandboxServer, api: httpx.Client) -> None:
    contact = sandbox.control.post("/seed/contacts", json=[{"company": {"name": "K"}}]).json()
    body = invoice(address={"contactId": contact["ids"][0]}, voucherStatus="open")
    [invoice_id] = seed(sandbox, "invoices", [body])
    [entry] = api.get("/v1/voucherlist", params=ANY).json()["content"]
    assert entry["id"] == invoice_id
    assert (entry["voucherType"], entry["voucherStatus"], entry["voucherNumber"]) == (
        "invoice",
        "open",
        "RE0001",
    )
    assert (entry["contactId"], entry["contactName"]) == (contact["ids"][0], "K")
    assert (entry["totalAmount"], entry["openAmount"], entry["currency"]) == (11.9, 11.9, "EUR")
    assert entry["archived"] is False and entry["dueDate"]


def test_types_statuses_and_filters(sandbox: SandboxServer, api: httpx.Client) -> None:
    seed(sandbox, "invoices", [invoice(voucherStatus="open", voucherDate=day("2026-01-10"))])
    seed(sandbox, "invoices", [invoice(voucherStatus="paid", voucherDate=day("2026-02-10"))])
    seed(sandbox, "invoices", [invoice(voucherDate=day("2026-03-10"), archived=True)])
    seed(sandbox, "order-confirmations", [invoice(voucherStatus="open")])
    seed(sandbox, "delivery-notes", [invoice()])

    def listed(**params: str) -> list[str | None]:
        return numbers(api.get("/v1/voucherlist", params={**ANY, **params}).json())

    assert len(listed()) == 5
    assert listed(voucherType="invoice", voucherStatus="open,paid") == ["RE0002", "RE0001"]
    assert listed(voucherType="orderconfirmation,deliverynote", voucherStatus="open") == ["AB0001"]
    assert listed(voucherType="invoice", archived="true") == [None]
    assert listed(
        voucherType="invoice", voucherDateFrom="2026-01-11", voucherDateTo="2026-02-10"
    ) == ["RE0002"]
    assert listed(voucherNumber="RE0001") == ["RE0001"]


def test_day_filters_use_german_days(sandbox: SandboxServer, api: httpx.Client) -> None:
    seed(sandbox, "invoices", [invoice(voucherDate="2026-01-31T23:30:00.000Z")])  # 1 Feb in Berlin
    params = {**ANY, "voucherDateFrom": "2026-02-01", "voucherDateTo": "2026-02-01"}
    assert len(api.get("/v1/voucherlist", params=params).json()["content"]) == 1


def test_created_and_updated_date_filters(sandbox: SandboxServer, api: httpx.Client) -> None:
    old = invoice(createdDate=day("2025-01-01"), updatedDate=day("2025-06-01"))
    seed(sandbox, "invoices", [old, invoice()])
    assert (
        len(
            api.get("/v1/voucherlist", params={**ANY, "createdDateTo": "2025-12-31"}).json()[
                "content"
            ]
        )
        == 1
    )
    updated = api.get(
        "/v1/voucherlist",
        params={**ANY, "updatedDateFrom": "2025-05-01", "updatedDateTo": "2025-06-30"},
    )
    assert len(updated.json()["content"]) == 1


def test_sorting(sandbox: SandboxServer, api: httpx.Client) -> None:
    dates = ["2026-01-02", "2026-01-03", "2026-01-01"]
    seed(sandbox, "invoices", [invoice(voucherStatus="open", voucherDate=day(d)) for d in dates])
    by_date = api.get("/v1/voucherlist", params={**ANY, "sort": "voucherDate,ASC"}).json()
    assert numbers(by_date) == ["RE0003", "RE0001", "RE0002"]
    assert by_date["sort"][0]["direction"] == "ASC"
    by_number = api.get("/v1/voucherlist", params={**ANY, "sort": "voucherNumber,DESC"}).json()
    assert numbers(by_number) == ["RE0003", "RE0002", "RE0001"]
    default = api.get("/v1/voucherlist", params=ANY).json()
    assert numbers(default) == ["RE0002", "RE0001", "RE0003"]


def test_search_window_is_10000_entries(sandbox: SandboxServer, api: httpx.Client) -> None:
    seed(sandbox, "invoices", [invoice(voucherStatus="open")] * 10_050)
    last = api.get("/v1/voucherlist", params={**ANY, "size": 250, "page": 39}).json()
    assert (last["totalElements"], last["totalPages"], last["last"]) == (10_000, 40, True)
    beyond = api.get("/v1/voucherlist", params={**ANY, "size": 250, "page": 40})
    assert beyond.status_code == 400
    assert beyond.json()["message"] == "Maximum search window size exceeded"
