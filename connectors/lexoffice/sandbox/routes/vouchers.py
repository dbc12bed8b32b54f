"""/v1/invoices, /v1/order-confirmations, /v1/delivery-notes: POST (draft or finalized), GET,
GET …/{id}/file. There is no PUT, DELETE or list on these endpoints (405)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import ApiError, Violation, not_found, validation_failed
from ..records.vouchers import KINDS, Kind, build_voucher, public
from ..store import OrgStore
from ..util import new_id, now_iso
from ..validation.vouchers import validate_voucher
from .common import action_result, org_of, read_object, runtime_of

# Which vouchers may precede which (quotations are not simulated).
PRECEDING = {
    "invoices": ("order-confirmations", "delivery-notes"),
    "delivery-notes": ("order-confirmations", "invoices"),
    "order-confirmations": (),
}
FILE_TYPES = {"invoices": {"application/pdf", "application/xml"}}


def _kind(request: Request) -> Kind:
    return KINDS[request.url.path.split("/")[2]]


def _preceding(request: Request, org: OrgStore, kind: Kind) -> dict[str, Any] | None:
    """The voucher named by `precedingSalesVoucherId` (406 when the chain is invalid)."""
    wanted = request.query_params.get("precedingSalesVoucherId")
    if wanted is None:
        return None
    for collection in PRECEDING[kind.collection]:
        found = org.collection(collection).get(wanted)
        if found is not None and found["voucherStatus"] != "draft":
            return found
    field = "precedingSalesVoucherId"
    raise validation_failed([Violation("INVALID", field, "ungültige Belegkette")])


def _link(record: dict[str, Any], other: dict[str, Any], other_kind: Kind) -> None:
    record["relatedVouchers"].append(
        {
            "id": other["id"],
            "voucherNumber": other.get("voucherNumber"),
            "voucherType": other_kind.voucher_type,
        }
    )


async def create_voucher(request: Request) -> Response:
    org, kind = org_of(request), _kind(request)
    body = await read_object(request)
    violations = validate_voucher(body, kind, org)
    if violations:
        raise validation_failed(violations)
    preceding = _preceding(request, org, kind)
    finalize = request.query_params.get("finalize", "").lower() == "true"
    record = build_voucher(org, kind, body, new_id(), finalize=finalize)
    record["createdDate"] = record["updatedDate"] = now_iso()
    record["version"] = 1
    if preceding is not None:
        _link(record, preceding, KINDS[_collection_of(org, preceding["id"])])
        _link(preceding, record, kind)
    org.collection(kind.collection)[record["id"]] = record
    runtime_of(request).emit(org, f"{kind.event}.created", record["id"])
    return action_result(request, kind.collection, record, record, 201)


def _collection_of(org: OrgStore, record_id: str) -> str:
    return next(name for name in KINDS if record_id in org.collection(name))


async def get_voucher(request: Request) -> Response:
    record = org_of(request).collection(_kind(request).collection).get(request.path_params["id"])
    if record is None:
        raise not_found()
    return JSONResponse(public(record))


async def get_voucher_file(request: Request) -> Response:
    """The rendered document: PDF (or XRechnung XML for invoices); drafts have none (409)."""
    kind = _kind(request)
    record = org_of(request).collection(kind.collection).get(request.path_params["id"])
    if record is None:
        raise not_found()
    accept = request.headers.get("accept", "*/*").split(";")[0].strip().lower() or "*/*"
    if accept not in {"*/*", "application/pdf"} | FILE_TYPES.get(kind.collection, set()):
        raise ApiError(406, message=f"Accept {accept} not supported")
    if record["voucherStatus"] == "draft":
        raise ApiError(409, message="No document for a draft voucher")
    name = record.get("voucherNumber") or record["id"]
    if accept == "application/xml":
        content, media, suffix = _xml(record), "application/xml", "xml"
    else:
        content, media, suffix = _pdf(record), "application/pdf", "pdf"
    disposition = f'attachment; filename="{name}.{suffix}"'
    return Response(content, media_type=media, headers={"Content-Disposition": disposition})


def _pdf(record: dict[str, Any]) -> bytes:
    text = f"{record.get('title')} {record.get('voucherNumber')}".encode("latin-1", "replace")
    return b"%PDF-1.4\n% lexoffice sandbox\n" + text + b"\n%%EOF\n"


def _xml(record: dict[str, Any]) -> bytes:
    number = record.get("voucherNumber", "")
    return f'<?xml version="1.0" encoding="UTF-8"?><Invoice><ID>{number}</ID></Invoice>'.encode()


def _routes(collection: str) -> list[Route]:
    base = f"/v1/{collection}"
    return [
        Route(base, create_voucher, methods=["POST"]),
        Route(base + "/{id}", get_voucher, methods=["GET"]),
        Route(base + "/{id}/file", get_voucher_file, methods=["GET"]),
    ]


ROUTES = [route for collection in KINDS for route in _routes(collection)]
