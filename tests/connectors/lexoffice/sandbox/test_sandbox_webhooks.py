"""Event subscriptions and signed webhook deliveries (with lexoffice's retry rules)."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from connectors.lexoffice.sandbox import SandboxConfig, SandboxServer
from tests.support.sandbox import (
    WebhookReceiver,
    article,
    company,
    details,
    invoice,
    wait_until,
)


def subscribe(api: httpx.Client, event_type: str, url: str) -> httpx.Response:
    return api.post("/v1/event-subscriptions", json={"eventType": event_type, "callbackUrl": url})


def deliveries(sandbox: SandboxServer) -> list[dict[str, Any]]:
    log: list[dict[str, Any]] = sandbox.control.get("/webhooks").json()["deliveries"]
    return log


def test_subscription_lifecycle(api: httpx.Client, receiver: WebhookReceiver) -> None:
    created = subscribe(api, "Contact.Changed", receiver.url)
    assert created.status_code == 201
    result = created.json()
    assert created.headers["Location"] == result["resourceUri"]
    assert set(result) == {"id", "resourceUri", "createdDate", "updatedDate", "version"}
    one = api.get(f"/v1/event-subscriptions/{result['id']}").json()
    assert one["subscriptionId"] == result["id"]
    assert (one["eventType"], one["callbackUrl"]) == ("contact.changed", receiver.url)
    assert {"organizationId", "createdDate"} <= one.keys()
    assert subscribe(api, "contact.changed", receiver.url).status_code == 409
    assert subscribe(api, "contact.created", receiver.url).status_code == 201
    listed = api.get("/v1/event-subscriptions").json()
    assert list(listed) == ["content"] and len(listed["content"]) == 2
    assert api.delete(f"/v1/event-subscriptions/{result['id']}").status_code == 204
    assert api.get(f"/v1/event-subscriptions/{result['id']}").status_code == 404
    assert api.delete(f"/v1/event-subscriptions/{result['id']}").status_code == 404


@pytest.mark.parametrize(
    ("event_type", "url", "field"),
    [
        ("contact.exploded", "https://example.org/hook", "eventType"),
        ("contact.changed", "http://example.org/hook", "callbackUrl"),
        ("contact.changed", None, "callbackUrl"),
        (None, "https://example.org/hook", "eventType"),
    ],
)
def test_invalid_subscriptions_are_406(
    api: httpx.Client, event_type: Any, url: Any, field: str
) -> None:
    assert field in {f for _, f in details(subscribe(api, event_type, url))}


def test_failing_head_check_is_406(api: httpx.Client, receiver: WebhookReceiver) -> None:
    receiver.head_status = 405
    assert ("INVALID", "callbackUrl") in details(subscribe(api, "contact.changed", receiver.url))
    receiver.close()
    closed = subscribe(api, "contact.created", receiver.url)
    assert closed.status_code == 406
    assert api.get("/v1/event-subscriptions").json()["content"] == []


def test_signed_webhook_verifies_with_the_served_public_key(
    sandbox: SandboxServer, api: httpx.Client, receiver: WebhookReceiver
) -> None:
    subscribe(api, "contact.created", receiver.url).raise_for_status()
    subscribe(api, "article.created", receiver.url).raise_for_status()
    contact_id = api.post("/v1/contacts", json=company("Signiert GmbH")).json()["id"]
    [delivery] = receiver.wait_for(1)
    pem = httpx.get(f"{sandbox.base_url}/webhookSignature/public/public_key.pub").content
    key = serialization.load_pem_public_key(pem)
    assert isinstance(key, rsa.RSAPublicKey)
    signature = base64.b64decode(delivery["headers"]["X-Lxo-Signature"])
    key.verify(signature, delivery["body"], padding.PKCS1v15(), hashes.SHA512())
    payload = json.loads(delivery["body"])
    assert delivery["body"] == json.dumps(payload, separators=(",", ":")).encode()
    profile = api.get("/v1/profile").json()
    assert list(payload) == ["organizationId", "eventType", "resourceId", "eventDate"]
    assert (payload["organizationId"], payload["eventType"], payload["resourceId"]) == (
        profile["organizationId"],
        "contact.created",
        contact_id,
    )


def test_every_change_fires_its_event(
    sandbox: SandboxServer, api: httpx.Client, receiver: WebhookReceiver
) -> None:
    for event in ("article.created", "article.changed", "article.deleted", "invoice.created",
                  "contact.changed", "contact.deleted", "invoice.status.changed"):  # fmt: skip
        subscribe(api, event, receiver.url).raise_for_status()
    article_id = api.post("/v1/articles", json=article()).json()["id"]
    stored = api.get(f"/v1/articles/{article_id}").json()
    api.put(f"/v1/articles/{article_id}", json=stored).raise_for_status()
    api.delete(f"/v1/articles/{article_id}").raise_for_status()
    invoice_id = api.post("/v1/invoices", json=invoice()).json()["id"]
    [contact_id] = sandbox.control.post(
        "/seed/contacts", json=[{"person": {"lastName": "U"}}]
    ).json()["ids"]
    sandbox.control.patch(f"/contacts/{contact_id}", json={"note": "im Web geändert"})
    sandbox.control.patch(f"/invoices/{invoice_id}", json={"voucherStatus": "open"})
    sandbox.control.delete(f"/contacts/{contact_id}")
    wait_until(lambda: len(receiver.events()) == 7)
    seen = {(e["eventType"], e["resourceId"]) for e in receiver.events()}
    assert seen == {
        ("article.created", article_id),
        ("article.changed", article_id),
        ("article.deleted", article_id),
        ("invoice.created", invoice_id),
        ("contact.changed", contact_id),
        ("invoice.status.changed", invoice_id),
        ("contact.deleted", contact_id),
    }


def test_failed_delivery_is_retried_until_it_succeeds(
    sandbox: SandboxServer, api: httpx.Client, receiver: WebhookReceiver
) -> None:
    subscribe(api, "contact.created", receiver.url).raise_for_status()
    receiver.answers = [500, 503, 429]
    api.post("/v1/contacts", json=company()).raise_for_status()
    received = receiver.wait_for(4)
    assert [r["status"] for r in received] == [500, 503, 429, 200]
    assert len({r["body"] for r in received}) == 1  # the same signed body every time
    outcomes = [
        d["outcome"] for d in wait_until(lambda: deliveries(sandbox)[3:] and deliveries(sandbox))
    ]
    assert outcomes == ["retry_scheduled"] * 3 + ["delivered"]


def test_410_deletes_the_subscription_at_once(
    sandbox: SandboxServer, api: httpx.Client, receiver: WebhookReceiver
) -> None:
    subscribe(api, "contact.created", receiver.url).raise_for_status()
    receiver.answers = [410]
    api.post("/v1/contacts", json=company()).raise_for_status()
    wait_until(lambda: deliveries(sandbox))
    assert deliveries(sandbox)[0]["outcome"] == "subscription_deleted"
    assert api.get("/v1/event-subscriptions").json()["content"] == []


def test_other_4xx_is_not_retried(
    sandbox: SandboxServer, api: httpx.Client, receiver: WebhookReceiver
) -> None:
    subscribe(api, "contact.created", receiver.url).raise_for_status()
    receiver.answers = [400]
    api.post("/v1/contacts", json=company()).raise_for_status()
    wait_until(lambda: deliveries(sandbox))
    assert [d["outcome"] for d in deliveries(sandbox)] == ["failed"]
    assert len(api.get("/v1/event-subscriptions").json()["content"]) == 1


def test_404_after_the_last_retry_deletes_the_subscription(receiver: WebhookReceiver) -> None:
    config = SandboxConfig(rps=1000, burst=1000, webhook_retry_delays=(0.01, 0.01))
    with SandboxServer(config) as sandbox, sandbox.client() as api:
        subscribe(api, "contact.created", receiver.url).raise_for_status()
        receiver.answers = [404, 404, 404]
        api.post("/v1/contacts", json=company()).raise_for_status()
        wait_until(lambda: len(deliveries(sandbox)) == 3)
        outcomes = [d["outcome"] for d in deliveries(sandbox)]
        assert outcomes == ["retry_scheduled", "retry_scheduled", "exhausted_subscription_deleted"]
        assert api.get("/v1/event-subscriptions").json()["content"] == []


def test_pending_retries_can_be_flushed(receiver: WebhookReceiver) -> None:
    with SandboxServer(SandboxConfig(rps=1000, burst=1000)) as sandbox, sandbox.client() as api:
        subscribe(api, "contact.created", receiver.url).raise_for_status()
        receiver.answers = [500]
        api.post("/v1/contacts", json=company()).raise_for_status()
        wait_until(lambda: deliveries(sandbox))
        pending = sandbox.control.get("/webhooks").json()["pending"]
        assert len(pending) == 1 and pending[0]["attempts"] == 1
        assert sandbox.control.post("/webhooks/flush").json() == {"pending": 1}
        assert [r["status"] for r in receiver.wait_for(2)] == [500, 200]


def test_deliveries_can_be_duplicated_at_least_once(receiver: WebhookReceiver) -> None:
    config = SandboxConfig(rps=1000, burst=1000, webhook_duplicate_rate=1.0)
    with SandboxServer(config) as sandbox, sandbox.client() as api:
        subscribe(api, "contact.created", receiver.url).raise_for_status()
        api.post("/v1/contacts", json=company()).raise_for_status()
        first, second = receiver.wait_for(2)
        assert first["body"] == second["body"]
        assert len(wait_until(lambda: len(deliveries(sandbox)) == 2 and deliveries(sandbox))) == 2
