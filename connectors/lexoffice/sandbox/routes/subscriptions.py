"""/v1/event-subscriptions: create (201, 409 on duplicates, HEAD probe), get, list, delete."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import ApiError, Violation, not_found, validation_failed
from ..store import OrgStore
from ..util import new_id, now_iso
from .common import org_of, read_object, resource_uri, runtime_of

_RESOURCES_WITH_STATUS = (
    "credit-note", "delivery-note", "down-payment-invoice", "invoice", "order-confirmation",
    "quotation", "voucher",
)  # fmt: skip
_RESOURCES = ("article", "contact", "dunning", "recurring-template", *_RESOURCES_WITH_STATUS)
EVENT_TYPES = frozenset(
    [f"{name}.{event}" for name in _RESOURCES for event in ("created", "changed", "deleted")]
    + [f"{name}.status.changed" for name in _RESOURCES_WITH_STATUS]
    + ["payment.changed", "token.revoked"]
)
CONFLICT = "Subscription for this event type and callback url already exists"


def _is_loopback(host: str | None) -> bool:
    if host in ("localhost",):
        return True
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_ok(url: str, allow_loopback_http: bool) -> bool:
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and allow_loopback_http and _is_loopback(parts.hostname)


def _duplicate(org: OrgStore, event_type: str, url: str) -> bool:
    return any(
        s["eventType"] == event_type and s["callbackUrl"] == url for s in org.subscriptions.values()
    )


def _checked(body: dict[str, Any], allow_loopback_http: bool) -> tuple[str, str]:
    event_type, url = body.get("eventType"), body.get("callbackUrl")
    violations = []
    if not isinstance(event_type, str) or not event_type:
        violations.append(Violation("NOTNULL", "eventType"))
    elif event_type.lower() not in EVENT_TYPES:
        violations.append(Violation("INVALID", "eventType", "unbekannter Ereignistyp"))
    if not isinstance(url, str) or not url:
        violations.append(Violation("NOTNULL", "callbackUrl"))
    elif not _url_ok(url, allow_loopback_http):
        violations.append(Violation("INVALID", "callbackUrl", "muss eine HTTPS-URL sein"))
    if violations:
        raise validation_failed(violations)
    assert isinstance(event_type, str) and isinstance(url, str)
    return event_type.lower(), url


async def create_subscription(request: Request) -> Response:
    org, runtime = org_of(request), runtime_of(request)
    event_type, url = _checked(
        await read_object(request), runtime.config.allow_http_loopback_callbacks
    )
    if _duplicate(org, event_type, url):
        raise ApiError(409, message=CONFLICT)
    if not await runtime.webhooks.head_check(url):
        field = "callbackUrl"
        raise validation_failed([Violation("INVALID", field, "HEAD-Anfrage fehlgeschlagen")])
    if _duplicate(org, event_type, url):  # created meanwhile, during the probe
        raise ApiError(409, message=CONFLICT)
    created = now_iso()
    subscription = {
        "subscriptionId": new_id(),
        "organizationId": org.organization_id,
        "createdDate": created,
        "eventType": event_type,
        "callbackUrl": url,
    }
    org.subscriptions[subscription["subscriptionId"]] = subscription
    runtime.store.dirty = True
    uri = resource_uri(request, "event-subscriptions", subscription["subscriptionId"])
    result = {
        "id": subscription["subscriptionId"],
        "resourceUri": uri,
        "createdDate": created,
        "updatedDate": created,
        "version": 0,
    }
    return JSONResponse(result, status_code=201, headers={"Location": uri})


async def get_subscription(request: Request) -> Response:
    subscription = org_of(request).subscriptions.get(request.path_params["id"])
    if subscription is None:
        raise not_found()
    return JSONResponse(subscription)


async def list_subscriptions(request: Request) -> Response:
    subscriptions = sorted(org_of(request).subscriptions.values(), key=lambda s: s["createdDate"])
    return JSONResponse({"content": subscriptions})


async def delete_subscription(request: Request) -> Response:
    org = org_of(request)
    if org.subscriptions.pop(request.path_params["id"], None) is None:
        raise not_found()
    runtime_of(request).store.dirty = True
    return Response(status_code=204)


ROUTES = [
    Route("/v1/event-subscriptions", list_subscriptions, methods=["GET"]),
    Route("/v1/event-subscriptions", create_subscription, methods=["POST"]),
    Route("/v1/event-subscriptions/{id}", get_subscription, methods=["GET"]),
    Route("/v1/event-subscriptions/{id}", delete_subscription, methods=["DELETE"]),
]
