"""The end state of a scenario by business keys: no ids, versions, numbers or timestamps.

Two runs of the same data agree on it whatever ids lexoffice and the databases handed out;
a duplicate shows as the same row twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import Activity, Customer, Product, Project
from tests.faults.faults_org import Org

IGNORED = {"id", "created_at", "updated_at", "customer_number", "customer_id", "lexoffice_id"}
LEXOFFICE_IGNORED = {"id", "version", "createdDate", "updatedDate", "organizationId", "roles"}


def performed_creates(log: list[dict[str, Any]]) -> Counter[str]:
    """How many records lexoffice created, per path (also those whose answer was lost)."""
    return Counter(
        entry["path"]
        for entry in log
        if entry["method"] == "POST" and entry.get("performedStatus", entry["status"]) == 201
    )


@dataclass(frozen=True)
class EndState:
    """Both sides by business keys, and how many records lexoffice created to get there."""

    system: dict[str, list[str]]
    lexoffice: dict[str, list[str]]
    creates: Counter[str]


def end_state(org: Org, sessions: sessionmaker[Session]) -> EndState:
    return EndState(system_state(sessions), lexoffice_state(org), performed_creates(org.requests()))


def system_state(sessions: sessionmaker[Session]) -> dict[str, list[str]]:
    """Customers, products, activities and projects, each row without ids, sorted."""
    with sessions.begin() as session:
        return {
            name: sorted(_canonical(row, IGNORED) for row in queries.table_rows(session, model))
            for name, model in (
                ("customers", Customer),
                ("products", Product),
                ("activities", Activity),
                ("projects", Project),
            )
        }


def lexoffice_state(org: Org) -> dict[str, list[str]]:
    """Contacts, articles and invoices as lexoffice holds them, without ids and versions."""
    articles = _listing(org, "articles")
    invoices = [
        org.control.get(f"/invoices/{entry['id']}").json() for entry in _voucherlist(org, "invoice")
    ]
    return {
        "contacts": sorted(_canonical(c, LEXOFFICE_IGNORED) for c in _listing(org, "contacts")),
        "articles": sorted(_canonical(a, LEXOFFICE_IGNORED) for a in articles),
        "invoices": sorted(_invoice_key(invoice) for invoice in invoices),
    }


def duplicates(state: dict[str, list[str]]) -> dict[str, list[str]]:
    """Records present more than once (by every business field)."""
    return {
        name: sorted({row for row in rows if rows.count(row) > 1})
        for name, rows in state.items()
        if len(set(rows)) != len(rows)
    }


def _invoice_key(invoice: dict[str, Any]) -> str:
    """Status, totals and each line's name, quantity and price. Whether a line references
    the product's article depends on whether the product was exported when the invoice was
    made (a faulted master-data sync may not have got that far): not compared."""
    lines = [
        (item.get("name"), item.get("quantity"), (item.get("unitPrice") or {}).get("netAmount"))
        for item in invoice["lineItems"]
    ]
    total = invoice["totalPrice"]
    return repr((invoice["voucherStatus"], total.get("totalGrossAmount"), lines))


def _canonical(row: dict[str, Any], ignored: set[str]) -> str:
    return repr(sorted((k, _plain(v)) for k, v in row.items() if k not in ignored))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, dict):
        return repr(sorted((k, _plain(v)) for k, v in value.items()))
    if isinstance(value, list):
        return repr([_plain(v) for v in value])
    return value if value is None or isinstance(value, int | float | str | bool) else str(value)


def _listing(org: Org, resource: str) -> list[dict[str, Any]]:
    with org.client() as http:
        body = http.get(f"/v1/{resource}", params={"size": 250}).json()
    assert body["last"], "more than one page: the scenario is small"
    records: list[dict[str, Any]] = body["content"]
    return records


def _voucherlist(org: Org, voucher_type: str) -> list[dict[str, Any]]:
    params: dict[str, str | int] = {"voucherType": voucher_type, "voucherStatus": "any"}
    with org.client() as http:
        entries: list[dict[str, Any]] = http.get("/v1/voucherlist", params=params).json()["content"]
    return entries
