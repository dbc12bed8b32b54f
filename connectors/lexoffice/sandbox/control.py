"""The control API under /_sandbox: what tests and demos do *around* lexoffice.

Seeding, editing and deleting here play the part of a user in the lexoffice web app, so the
API's write rules do not apply; edits and deletes fire webhooks like the real app does.
The organization is chosen with `X-Sandbox-Api-Key` (the default organization otherwise).
The control API is neither rate limited nor logged in the request log.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .config import OrganizationConfig, generate_api_key
from .errors import ApiError, bad_request, not_found
from .records.registry import RESOURCES, Resource, insert_as_user
from .routes.common import runtime_of
from .store import VOUCHER_COLLECTIONS, OrgStore
from .util import deep_merge, loads, now_iso, plain

KEY_HEADER = "x-sandbox-api-key"


def _org(request: Request) -> OrgStore:
    store = runtime_of(request).store
    key = request.headers.get(KEY_HEADER)
    org = store.org(key) if key else store.default
    if org is None:
        raise ApiError(404, message="no organization has this API key")
    return org


def _resource(request: Request) -> Resource:
    resource = RESOURCES.get(request.path_params["resource"])
    if resource is None:
        raise ApiError(404, message=f"unknown resource; use one of {sorted(RESOURCES)}")
    return resource


async def _body(request: Request) -> Any:
    raw = await request.body()
    try:
        return plain(loads(raw)) if raw else None
    except ValueError:
        raise bad_request("JSON parse error") from None


async def reset(request: Request) -> Response:
    """Forget records, subscriptions, faults, webhook deliveries and the request log."""
    runtime = runtime_of(request)
    everything = request.query_params.get("all", "").lower() == "true"
    orgs = list(runtime.store.orgs.values()) if everything else [_org(request)]
    for org in orgs:
        org.reset()
        runtime.limiter.reset(org.api_key)
        runtime.webhooks.forget(None if everything else org.organization_id)
    runtime.faults.clear()
    runtime.requests.clear()
    runtime.store.dirty = True
    return JSONResponse({"reset": [org.organization_id for org in orgs]})


async def seed(request: Request) -> Response:
    """Add records as a user typed them in; returns their ids in order."""
    org, resource = _org(request), _resource(request)
    entries = await _body(request)
    if isinstance(entries, dict):
        entries = entries.get("records", [entries])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise bad_request("a JSON list of objects is expected")
    runtime = runtime_of(request)
    notify = request.query_params.get("webhooks", "").lower() == "true"
    ids = []
    for entry in entries:
        record = insert_as_user(org, resource, entry)
        ids.append(record["id"])
        if notify:
            runtime.emit(org, f"{resource.event}.created", record["id"])
    runtime.store.dirty = True
    return JSONResponse({"ids": ids}, status_code=201)


async def seed_demo_data(request: Request) -> Response:
    from .demo import seed_demo

    return JSONResponse(seed_demo(_org(request)), status_code=201)


def _stored(request: Request) -> tuple[OrgStore, Resource, dict[str, Any]]:
    org, resource = _org(request), _resource(request)
    record = org.collection(resource.collection).get(request.path_params["id"])
    if record is None:
        raise not_found()
    return org, resource, record


async def get_record(request: Request) -> Response:
    _, resource, record = _stored(request)
    return JSONResponse(resource.public(record))


async def edit_record(request: Request) -> Response:
    """Deep-merge the body into the record, as a user editing it in the web app."""
    org, resource, stored = _stored(request)
    patch = await _body(request)
    if not isinstance(patch, dict):
        raise bad_request("a JSON object is expected")
    merged = deep_merge(resource.public(stored), patch)
    record = resource.build(org, merged, stored["id"], stored)
    resource.stamp(record, stored[resource.created_key], now_iso())
    record["version"] = stored["version"] + 1
    org.collection(resource.collection)[stored["id"]] = record
    _notify_edit(request, org, resource, stored, record)
    return JSONResponse(resource.public(record))


def _notify_edit(request: Request, org: OrgStore, resource: Resource, old: dict, new: dict) -> None:
    """`*.changed`; for vouchers whose status changed also `*.status.changed` (and for
    invoices going to or from `paid`, `payment.changed`)."""
    runtime = runtime_of(request)
    runtime.emit(org, f"{resource.event}.changed", new["id"])
    before, after = old.get("voucherStatus"), new.get("voucherStatus")
    if resource.collection not in VOUCHER_COLLECTIONS or before == after:
        return
    runtime.emit(org, f"{resource.event}.status.changed", new["id"])
    if resource.collection == "invoices" and "paid" in (before, after):
        runtime.emit(org, "payment.changed", new["id"])


async def delete_record(request: Request) -> Response:
    """The user deletes the record in the web app (`*.deleted` webhook). Like lexoffice's
    app, only a draft invoice can be deleted; a finalized one is voided (storniert)."""
    org, resource, stored = _stored(request)
    if resource.collection == "invoices" and stored.get("voucherStatus") != "draft":
        raise ApiError(409, message="only a draft invoice can be deleted; void it instead")
    del org.collection(resource.collection)[stored["id"]]
    runtime_of(request).emit(org, f"{resource.event}.deleted", stored["id"])
    return Response(status_code=204)


async def list_requests(request: Request) -> Response:
    return JSONResponse(list(runtime_of(request).requests.entries))


async def clear_requests(request: Request) -> Response:
    runtime_of(request).requests.clear()
    return Response(status_code=204)


async def add_fault(request: Request) -> Response:
    spec = await _body(request)
    if not isinstance(spec, dict):
        raise bad_request("a JSON object is expected")
    return JSONResponse(runtime_of(request).faults.add(spec), status_code=201)


async def list_faults(request: Request) -> Response:
    return JSONResponse(runtime_of(request).faults.to_json())


async def clear_faults(request: Request) -> Response:
    runtime_of(request).faults.clear()
    return Response(status_code=204)


async def list_webhooks(request: Request) -> Response:
    webhooks = runtime_of(request).webhooks
    pending = runtime_of(request).store.pending_webhooks
    return JSONResponse({"deliveries": list(webhooks.log), "pending": pending})


async def flush_webhooks(request: Request) -> Response:
    return JSONResponse({"pending": runtime_of(request).webhooks.flush()})


async def clear_webhooks(request: Request) -> Response:
    runtime_of(request).webhooks.log.clear()
    return Response(status_code=204)


async def list_organizations(request: Request) -> Response:
    store = runtime_of(request).store
    orgs = [
        {"default": org.api_key == store.default_key, **org.config.to_json()}
        for org in store.orgs.values()
    ]
    return JSONResponse(orgs)


async def add_organization(request: Request) -> Response:
    """Register another organization; answers with its (possibly generated) API key."""
    spec = await _body(request) or {}
    key = spec.pop("apiKey", None) or generate_api_key()
    store = runtime_of(request).store
    if store.org(key) is not None:
        raise ApiError(409, message="an organization with this API key exists")
    org = store.add_org(key, OrganizationConfig.from_json(spec))
    return JSONResponse({"apiKey": key, **org.config.to_json()}, status_code=201)


async def save_state(request: Request) -> Response:
    runtime_of(request).save()
    return Response(status_code=204)


ROUTES = [
    Route("/_sandbox/reset", reset, methods=["POST"]),
    Route("/_sandbox/seed-demo", seed_demo_data, methods=["POST"]),
    Route("/_sandbox/seed/{resource}", seed, methods=["POST"]),
    Route("/_sandbox/requests", list_requests, methods=["GET"]),
    Route("/_sandbox/requests", clear_requests, methods=["DELETE"]),
    Route("/_sandbox/faults", list_faults, methods=["GET"]),
    Route("/_sandbox/faults", add_fault, methods=["POST"]),
    Route("/_sandbox/faults", clear_faults, methods=["DELETE"]),
    Route("/_sandbox/webhooks", list_webhooks, methods=["GET"]),
    Route("/_sandbox/webhooks", clear_webhooks, methods=["DELETE"]),
    Route("/_sandbox/webhooks/flush", flush_webhooks, methods=["POST"]),
    Route("/_sandbox/organizations", list_organizations, methods=["GET"]),
    Route("/_sandbox/organizations", add_organization, methods=["POST"]),
    Route("/_sandbox/save", save_state, methods=["POST"]),
    Route("/_sandbox/{resource}/{id}", get_record, methods=["GET"]),
    Route("/_sandbox/{resource}/{id}", edit_record, methods=["PATCH"]),
    Route("/_sandbox/{resource}/{id}", delete_record, methods=["DELETE"]),
]
