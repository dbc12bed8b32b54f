"""/v1/articles: POST, GET one, PUT, DELETE, and the list (title ASC; filters AND)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import ApiError, Violation, not_found, validation_failed
from ..paging import page_of, page_params, sort_entry
from ..records import articles as model
from ..util import new_id, now_iso
from ..validation.articles import TYPES, validate_article
from .common import action_result, org_of, query_error, read_object, runtime_of


def _version(body: dict[str, Any], create: bool) -> list[Violation]:
    version = body.get("version")
    if create:
        bad = version is not None and version != 0
        return [Violation("INVALID", "version", "muss beim Anlegen 0 sein")] if bad else []
    if not isinstance(version, int) or isinstance(version, bool):
        return [Violation("NOTNULL", "version")]
    return []


async def create_article(request: Request) -> Response:
    org = org_of(request)
    body = await read_object(request)
    violations = _version(body, create=True) + validate_article(body)
    if violations:
        raise validation_failed(violations)
    record = model.build_article(org.organization_id, body, new_id())
    record["createdDate"] = record["updatedDate"] = now_iso()
    org.collection("articles")[record["id"]] = record
    runtime_of(request).emit(org, "article.created", record["id"])
    return action_result(request, "articles", record, record, 201)


async def update_article(request: Request) -> Response:
    org = org_of(request)
    body = await read_object(request)
    stored = org.collection("articles").get(request.path_params["id"])
    if stored is None:
        raise not_found()
    violations = _version(body, create=False) + validate_article(body)
    if violations:
        raise validation_failed(violations)
    if body["version"] != stored["version"]:
        raise ApiError(409, message="The entity was changed in the meantime (version conflict)")
    record = model.build_article(org.organization_id, body, stored["id"], stored)
    record["version"] = stored["version"] + 1
    record["updatedDate"] = now_iso()
    org.collection("articles")[record["id"]] = record
    runtime_of(request).emit(org, "article.changed", record["id"])
    return action_result(request, "articles", record, record, 200)


async def get_article(request: Request) -> Response:
    record = org_of(request).collection("articles").get(request.path_params["id"])
    if record is None:
        raise not_found()
    return JSONResponse(model.public(record))


async def delete_article(request: Request) -> Response:
    org = org_of(request)
    if org.collection("articles").pop(request.path_params["id"], None) is None:
        raise not_found()
    runtime_of(request).emit(org, "article.deleted", request.path_params["id"])
    return Response(status_code=204)


def _single(request: Request, name: str) -> str | None:
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise query_error(name, legacy=False, why="must not appear twice")
    return values[0] if values else None


async def list_articles(request: Request) -> Response:
    filters = {name: _single(request, name) for name in ("articleNumber", "gtin", "type")}
    if filters["type"] is not None and filters["type"] not in TYPES:
        raise query_error("type", legacy=False)
    page, size = page_params(request)
    records = org_of(request).collection("articles").values()
    found = [
        record
        for record in records
        if all(value is None or record.get(name) == value for name, value in filters.items())
    ]
    found.sort(key=model.sort_key)
    envelope = page_of(found, page, size, [sort_entry("title")])
    envelope["content"] = [model.public(record) for record in envelope["content"]]
    return JSONResponse(envelope)


ROUTES = [
    Route("/v1/articles", list_articles, methods=["GET"]),
    Route("/v1/articles", create_article, methods=["POST"]),
    Route("/v1/articles/{id}", get_article, methods=["GET"]),
    Route("/v1/articles/{id}", update_article, methods=["PUT"]),
    Route("/v1/articles/{id}", delete_article, methods=["DELETE"]),
]
