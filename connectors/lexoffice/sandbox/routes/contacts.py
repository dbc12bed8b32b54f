"""/v1/contacts: POST, GET one, PUT, and the filtered list (name ASC, not re-sortable)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import Issue, legacy_failed, not_found
from ..paging import page_of, page_params, sort_entry
from ..records import contacts as model
from ..util import new_id, now_iso
from ..validation.contacts import invalid, missing, validate_contact
from .common import action_result, flag, org_of, query_error, read_object, runtime_of

MIN_SEARCH = 3
# Bean Validation's default upper bound: lexoffice documents no maximum.
MAX_SEARCH = 2147483647


def _meta(record: dict[str, Any]) -> dict[str, Any]:
    return {"createdDate": record["_createdDate"], "updatedDate": record["_updatedDate"]}


def _version_issues(body: dict[str, Any], create: bool) -> list[Issue]:
    version = body.get("version")
    if version is None or isinstance(version, bool) or not isinstance(version, int):
        return [missing("version")]
    if create and version != 0:
        return [invalid("version", "must be 0 when creating a contact")]
    return []


async def create_contact(request: Request) -> Response:
    org = org_of(request)
    body = await read_object(request, legacy=True)
    issues = _version_issues(body, create=True) + validate_contact(body, None, org.organization_id)
    if issues:
        raise legacy_failed(issues)
    record = model.build_contact(org, body, new_id())
    record["version"] = 1
    record["_createdDate"] = record["_updatedDate"] = now_iso()
    org.collection("contacts")[record["id"]] = record
    runtime_of(request).emit(org, "contact.created", record["id"])
    return action_result(request, "contacts", record, _meta(record), 201)


async def update_contact(request: Request) -> Response:
    org = org_of(request)
    body = await read_object(request, legacy=True)
    stored = org.collection("contacts").get(request.path_params["id"])
    if stored is None:
        raise not_found()
    issues = _version_issues(body, create=False)
    issues += validate_contact(body, stored, org.organization_id)
    if issues:
        raise legacy_failed(issues)
    if body["version"] != stored["version"]:
        issue = Issue("optimistic_locking_failure", "version", "conflict")
        raise legacy_failed([issue], status=409)
    record = model.build_contact(org, body, stored["id"], stored)
    record["version"] = stored["version"] + 1
    record["_createdDate"] = stored["_createdDate"]
    record["_updatedDate"] = now_iso()
    org.collection("contacts")[record["id"]] = record
    runtime_of(request).emit(org, "contact.changed", record["id"])
    return action_result(request, "contacts", record, _meta(record), 200)


async def get_contact(request: Request) -> Response:
    record = org_of(request).collection("contacts").get(request.path_params["id"])
    if record is None:
        raise not_found()
    return JSONResponse(model.public(record))


def _search(request: Request, name: str) -> str | None:
    values = request.query_params.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise query_error(name, legacy=True, why="must not appear twice")
    if not MIN_SEARCH <= len(values[0]) <= MAX_SEARCH:
        issue = Issue(
            "bad_request_error",
            f"size must be between {MIN_SEARCH} and {MAX_SEARCH}",
            "bad_request_error",
        )
        raise legacy_failed([issue], status=400)
    return values[0]


def _number(request: Request) -> int | None:
    values = request.query_params.getlist("number")
    if not values:
        return None
    try:
        if len(values) > 1:
            raise ValueError
        return int(values[0])
    except ValueError:
        raise query_error("number", legacy=True) from None


def _filters(request: Request) -> list[Any]:
    """One predicate per filter that is set; filters combine with AND."""
    checks: list[Any] = []
    email, name, number = _search(request, "email"), _search(request, "name"), _number(request)
    if email is not None:
        email_pattern = model.search_pattern(email)
        checks.append(lambda r: model.matches(email_pattern, model.emails(r)))
    if name is not None:
        name_pattern = model.search_pattern(name)
        checks.append(lambda r: model.matches(name_pattern, model.names(r)))
    if number is not None:
        checks.append(lambda r: number in [v["number"] for v in r["roles"].values()])
    for role in ("customer", "vendor"):
        wanted = flag(request, role, legacy=True)
        if wanted is not None:
            checks.append(lambda r, role=role, wanted=wanted: (role in r["roles"]) == wanted)
    return checks


async def list_contacts(request: Request) -> Response:
    checks = _filters(request)
    page, size = page_params(request)
    records = org_of(request).collection("contacts").values()
    found = [r for r in records if all(check(r) for check in checks)]
    found.sort(key=model.sort_key)
    envelope = page_of(found, page, size, [sort_entry("name")])
    envelope["content"] = [model.public(record) for record in envelope["content"]]
    return JSONResponse(envelope)


ROUTES = [
    Route("/v1/contacts", list_contacts, methods=["GET"]),
    Route("/v1/contacts", create_contact, methods=["POST"]),
    Route("/v1/contacts/{id}", get_contact, methods=["GET"]),
    Route("/v1/contacts/{id}", update_contact, methods=["PUT"]),
]
