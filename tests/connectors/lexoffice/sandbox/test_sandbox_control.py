"""The control API: seeding, user edits and deletes, faults, reset, persistence, demo data."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from connectors.lexoffice.sandbox import SandboxConfig, SandboxServer
from connectors.lexoffice.sandbox.demo import PRODUCTS, SERVICES
from tests.support.sandbox import company, invoice


def test_seeding_10000_contacts_is_fast(sandbox: SandboxServer, api: httpx.Client) -> None:
    entries = [{"company": {"name": f"Firma {n:05d}"}} for n in range(10_000)]
    started = time.monotonic()
    response = sandbox.control.post("/seed/contacts", json=entries)
    assert response.status_code == 201
    assert time.monotonic() - started < 5
    ids = response.json()["ids"]
    assert len(set(ids)) == 10_000
    first = api.get(f"/v1/contacts/{ids[0]}").json()
    assert first["roles"] == {"customer": {"number": 10001}}


def test_seeded_records_keep_what_the_user_typed(sandbox: SandboxServer, api: httpx.Client) -> None:
    entry = {
        "company": {"name": "Lieferant AG"},
        "roles": {"vendor": {"number": 70500}},
        "archived": True,
        "emailAddresses": {"business": ["a@x.de", "b@x.de"]},
    }
    [contact_id] = sandbox.control.post("/seed/contacts", json=[entry]).json()["ids"]
    contact = api.get(f"/v1/contacts/{contact_id}").json()
    assert (contact["roles"], contact["archived"]) == ({"vendor": {"number": 70500}}, True)
    created = api.post("/v1/contacts", json={**company(), "roles": {"vendor": {}}}).json()
    assert api.get(f"/v1/contacts/{created['id']}").json()["roles"]["vendor"]["number"] == 70501


def test_seeded_vouchers_take_status_number_and_dates(
    sandbox: SandboxServer, api: httpx.Client
) -> None:
    entry = {
        "voucherStatus": "paid",
        "voucherNumber": "RE0042",
        "voucherDate": "2025-05-05T10:00:00.000+02:00",
        "createdDate": "2025-05-05T10:00:00.000+02:00",
        "address": {"name": "Bar", "countryCode": "DE"},
        "lineItems": [{"type": "custom", "name": "X", "quantity": 1, "unitName": "h",
                       "unitPrice": {"netAmount": 100, "taxRatePercentage": 19}}],
    }  # fmt: skip
    [invoice_id] = sandbox.control.post("/seed/invoices", json=[entry]).json()["ids"]
    stored = api.get(f"/v1/invoices/{invoice_id}").json()
    assert (stored["voucherStatus"], stored["voucherNumber"]) == ("paid", "RE0042")
    assert stored["createdDate"] == entry["createdDate"]
    assert stored["totalPrice"]["totalGrossAmount"] == 119.0


def test_user_edit_deep_merges_and_bumps_version(sandbox: SandboxServer, api: httpx.Client) -> None:
    created = api.post("/v1/contacts", json=company("Alt GmbH", note="n")).json()
    before = api.get(f"/v1/contacts/{created['id']}").json()
    edited = sandbox.control.patch(
        f"/contacts/{created['id']}", json={"company": {"taxNumber": "12/345"}}
    )
    assert edited.status_code == 200
    after = api.get(f"/v1/contacts/{created['id']}").json()
    assert after["company"] == {"name": "Alt GmbH", "taxNumber": "12/345"}
    assert (after["note"], after["version"]) == ("n", before["version"] + 1)
    assert api.put(f"/v1/contacts/{created['id']}", json=before).status_code == 409


def test_user_delete_removes_the_record(sandbox: SandboxServer, api: httpx.Client) -> None:
    created = api.post("/v1/contacts", json=company()).json()
    assert sandbox.control.delete(f"/contacts/{created['id']}").status_code == 204
    assert api.get(f"/v1/contacts/{created['id']}").status_code == 404
    assert sandbox.control.delete(f"/contacts/{created['id']}").status_code == 404
    assert sandbox.control.patch("/things/1", json={}).status_code == 404


def test_a_user_deletes_a_draft_invoice_only_and_it_is_then_404(
    sandbox: SandboxServer, api: httpx.Client
) -> None:
    draft = api.post("/v1/invoices", json=invoice()).json()["id"]
    final = api.post("/v1/invoices", json=invoice(), params={"finalize": "true"}).json()["id"]

    assert sandbox.control.delete(f"/invoices/{final}").status_code == 409  # void it instead
    assert sandbox.control.delete(f"/invoices/{draft}").status_code == 204

    assert api.get(f"/v1/invoices/{draft}").status_code == 404  # as lexoffice: gone
    assert api.get(f"/v1/invoices/{final}").status_code == 200


@pytest.mark.parametrize("status", [429, 500, 503])
def test_faults_before_the_call_do_not_perform_it(
    sandbox: SandboxServer, api: httpx.Client, status: int
) -> None:
    spec = {"method": "POST", "path": "/v1/contacts", "fault": str(status), "count": 2}
    sandbox.control.post("/faults", json=spec).raise_for_status()
    answers = [api.post("/v1/contacts", json=company()) for _ in range(3)]
    assert [a.status_code for a in answers] == [status, status, 201]
    assert api.get("/v1/contacts").json()["totalElements"] == 1
    assert answers[0].json() if status != 503 else answers[0].content == b""


def test_504_performs_the_call_then_times_out(sandbox: SandboxServer, api: httpx.Client) -> None:
    sandbox.control.post("/faults", json={"fault": "504", "path": "/v1/contacts"})
    answer = api.post("/v1/contacts", json=company())
    assert (answer.status_code, answer.json()) == (504, {"message": "Endpoint request timed out"})
    assert api.get("/v1/contacts").json()["totalElements"] == 1
    logged = sandbox.control.get("/requests").json()[0]
    assert (logged["status"], logged["fault"], logged["performedStatus"]) == (504, "504", 201)


def test_timeout_performs_the_call_and_withholds_the_answer(
    sandbox: SandboxServer, api: httpx.Client
) -> None:
    spec = {"fault": "timeout", "method": "POST", "path": "/v1/contacts", "delay": 2}
    sandbox.control.post("/faults", json=spec)
    with pytest.raises(httpx.ReadTimeout):
        api.post("/v1/contacts", json=company(), timeout=0.3)
    assert api.get("/v1/contacts").json()["totalElements"] == 1


def test_timeout_withholds_the_answer_of_a_read_too(
    sandbox: SandboxServer, api: httpx.Client
) -> None:
    spec = {"fault": "timeout", "method": "GET", "path": "/v1/profile", "delay": 2}
    sandbox.control.post("/faults", json=spec)
    with pytest.raises(httpx.ReadTimeout):
        api.get("/v1/profile", timeout=0.3)
    [logged] = sandbox.control.get("/requests").json()
    assert (logged["fault"], logged["performedStatus"]) == ("timeout", 200)


def test_lose_response_drops_the_connection_after_performing(
    sandbox: SandboxServer, api: httpx.Client
) -> None:
    sandbox.control.post("/faults", json={"fault": "lose_response", "method": "POST"})
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/v1/contacts", json=company())
    assert api.get("/v1/contacts").json()["totalElements"] == 1
    assert sandbox.control.get("/requests").json()[0]["status"] is None


def test_random_faults_are_reproducible(sandbox: SandboxServer, api: httpx.Client) -> None:
    def run() -> list[int]:
        sandbox.control.post("/faults", json={"rate": 0.5, "seed": 7, "faults": [500, 503]})
        statuses = [api.get("/v1/profile").status_code for _ in range(20)]
        sandbox.control.delete("/faults")
        return statuses

    first = run()
    assert first == run()
    assert {500, 503, 200} <= set(first)


def test_unknown_fault_kind_is_refused(sandbox: SandboxServer) -> None:
    assert sandbox.control.post("/faults", json={"fault": "explode"}).status_code == 400


def test_reset_forgets_everything(sandbox: SandboxServer, api: httpx.Client) -> None:
    api.post("/v1/contacts", json=company()).raise_for_status()
    sandbox.control.post("/faults", json={"fault": "500", "count": 5})
    sandbox.control.post("/reset").raise_for_status()
    assert sandbox.control.get("/requests").json() == []
    assert api.get("/v1/contacts").json()["totalElements"] == 0
    assert api.post("/v1/contacts", json=company()).json()["version"] == 1
    assert api.get("/v1/contacts").json()["content"][0]["roles"]["customer"]["number"] == 10001


def test_state_file_keeps_records_key_and_signing_key(tmp_path: Path) -> None:
    state = tmp_path / "var" / "sandbox.json"
    with SandboxServer(SandboxConfig(rps=1000, burst=1000, state_file=state)) as first:
        with first.client() as api:
            contact_id = api.post("/v1/contacts", json=company("Bleibt GmbH")).json()["id"]
        key, pem = (
            first.api_key,
            httpx.get(f"{first.base_url}/webhookSignature/public/public_key.pub"),
        )
    assert state.stat().st_mode & 0o777 == 0o600
    with SandboxServer(SandboxConfig(rps=1000, burst=1000, state_file=state)) as second:
        assert second.api_key == key
        with second.client() as api:
            assert api.get(f"/v1/contacts/{contact_id}").json()["company"]["name"] == "Bleibt GmbH"
            assert api.post("/v1/contacts", json=company()).status_code == 201
        again = httpx.get(f"{second.base_url}/webhookSignature/public/public_key.pub")
        assert again.content == pem.content


def test_demo_data_is_deterministic() -> None:
    counts = []
    for _ in range(2):
        with SandboxServer(SandboxConfig(rps=1000, burst=1000, seed_demo=True)) as sandbox:
            with sandbox.client() as api:
                contacts = api.get("/v1/contacts", params={"size": 250}).json()["content"]
                articles = api.get("/v1/articles", params={"size": 250}).json()["content"]
                vouchers = api.get(
                    "/v1/voucherlist", params={"voucherType": "any", "voucherStatus": "any"}
                ).json()["content"]
            counts.append(([c["id"] for c in contacts], len(articles), len(vouchers)))
    assert counts[0] == counts[1]
    ids, article_count, voucher_count = counts[0]
    # Everything the demo seeds is listed: what seeding it into an empty sandbox reports.
    with SandboxServer(SandboxConfig(rps=1000, burst=1000)) as empty:
        seeded = empty.control.post("/seed-demo").json()
    assert sorted(ids) == sorted(seeded["contacts"])
    assert article_count == len(seeded["articles"]) == len(PRODUCTS) + len(SERVICES)
    assert voucher_count == len(seeded["order-confirmations"]) + len(seeded["delivery-notes"])
    vendor_only = [c for c in contacts if "customer" not in c["roles"]]
    assert len(vendor_only) == 1
    assert any(c["archived"] for c in contacts)
    assert any(len(c.get("emailAddresses", {}).get("business", [])) > 1 for c in contacts)
    assert {v["voucherStatus"] for v in vouchers} == {"draft", "open"}
    assert {a["type"] for a in articles} == {"PRODUCT", "SERVICE"}
