"""What every /v1 route needs: its organization, a JSON body, and lexoffice's action result."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..errors import ApiError, Issue, bad_request, legacy_failed
from ..runtime import Runtime
from ..store import OrgStore
from ..util import loads


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def org_of(request: Request) -> OrgStore:
    """The organization the gateway resolved from the bearer key."""
    org: OrgStore = request.scope["sandbox.org"]
    return org


async def read_json(request: Request, legacy: bool = False) -> Any:
    """The request body; 415 unless it is declared as application/json."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise ApiError(415, message=f"Content type '{media_type}' not supported")
    try:
        return loads(await request.body())
    except ValueError:
        if legacy:
            issue = Issue("bad_request_error", None, "bad_request_error")
            raise legacy_failed([issue], status=400) from None
        raise bad_request("JSON parse error") from None


async def read_object(request: Request, legacy: bool = False) -> dict[str, Any]:
    """A JSON object body (anything else is a bad request)."""
    body = await read_json(request, legacy)
    if isinstance(body, dict):
        return body
    if legacy:
        raise legacy_failed([Issue("bad_request_error", None, "bad_request_error")], 400)
    raise bad_request("JSON object expected")


def resource_uri(request: Request, collection: str, record_id: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/v1/{collection}/{record_id}"


def action_result(
    request: Request, collection: str, record: dict[str, Any], meta: dict[str, Any], status: int
) -> JSONResponse:
    """`{id, resourceUri, createdDate, updatedDate, version}`; creates also get `Location`."""
    uri = resource_uri(request, collection, record["id"])
    body = {
        "id": record["id"],
        "resourceUri": uri,
        "createdDate": meta["createdDate"],
        "updatedDate": meta["updatedDate"],
        "version": record["version"],
    }
    headers = {"Location": uri} if status == 201 else None
    return JSONResponse(body, status_code=status, headers=headers)


def flag(request: Request, name: str, legacy: bool = False) -> bool | None:
    """A boolean query parameter (`true`/`false`); None when absent."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    text = values[0].strip().lower()
    if len(values) > 1 or text not in ("true", "false"):
        raise query_error(name, legacy)
    return text == "true"


def query_error(name: str, legacy: bool, why: str = "invalid value") -> ApiError:
    """400 for a bad query parameter, in the endpoint's error format."""
    if legacy:
        issue = Issue("bad_request_error", f"{name}: {why}", "bad_request_error")
        return legacy_failed([issue], status=400)
    return bad_request(f"Invalid parameter {name}: {why}")
