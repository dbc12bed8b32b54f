"""Helpers for tests against the sandbox: request-body builders, a webhook receiver, waiting."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


class WebhookReceiver:
    """A webhook endpoint on loopback that records what it receives."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answers: list[int] = []  # statuses for the next POSTs, then 200
        self.head_status = 200
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self) -> None:
                self.send_response(receiver.head_status)
                self.end_headers()

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.received.append(
                        {"body": body, "headers": dict(self.headers), "status": status}
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def events(self) -> list[dict[str, Any]]:
        """The parsed bodies of the deliveries that were answered with success."""
        with self.lock:
            return [json.loads(r["body"]) for r in self.received if r["status"] < 300]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until `count` deliveries (of any outcome) arrived."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return list(self.received)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def wait_until(condition: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll until `condition()` is truthy; returns its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def company(name: str = "Muster GmbH", **extra: Any) -> dict[str, Any]:
    """A contact body that passes POST /v1/contacts."""
    return {"version": 0, "roles": {"customer": {}}, "company": {"name": name}, **extra}


def person(first: str = "Max", last: str = "Mustermann", **extra: Any) -> dict[str, Any]:
    return {
        "version": 0,
        "roles": {"customer": {}},
        "person": {"salutation": "Herr", "firstName": first, "lastName": last},
        **extra,
    }


def article(title: str = "Kupferrohr", **extra: Any) -> dict[str, Any]:
    """An article body that passes POST /v1/articles."""
    price = {"netPrice": 10.0, "leadingPrice": "NET", "taxRate": 19}
    return {"title": title, "type": "PRODUCT", "unitName": "Stück", "price": price, **extra}


def line(net: float = 10.0, quantity: float = 1, rate: int = 19, **extra: Any) -> dict[str, Any]:
    """A custom line item."""
    return {
        "type": "custom",
        "name": "Arbeitsstunde",
        "quantity": quantity,
        "unitName": "Stunde",
        "unitPrice": {"currency": "EUR", "netAmount": net, "taxRatePercentage": rate},
        **extra,
    }


DATE = "2026-03-02T10:00:00.000+01:00"


def invoice(**extra: Any) -> dict[str, Any]:
    """An invoice body that passes POST /v1/invoices (one-time address)."""
    return {
        "voucherDate": DATE,
        "address": {"name": "Kunde Eins", "countryCode": "DE"},
        "lineItems": [line()],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
        "shippingConditions": {"shippingType": "service", "shippingDate": DATE},
        **extra,
    }


def details(response: httpx.Response) -> set[tuple[str, str]]:
    """(violation, field) pairs of a regular 406 body."""
    assert response.status_code == 406, response.text
    return {(d["violation"], d["field"]) for d in response.json()["details"]}


def issues(response: httpx.Response) -> set[tuple[str, str]]:
    """(i18nKey, source) pairs of a legacy 406 body."""
    assert response.status_code == 406, response.text
    return {(i["i18nKey"], i["source"]) for i in response.json()["IssueList"]}
