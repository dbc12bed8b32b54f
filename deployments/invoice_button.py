"""The field-service app's "lexoffice-Rechnung" button: starts the invoice flow, authenticated.

The button must never reach the Prefect API (which has no auth of its own and hands out block
secrets). It calls this small endpoint instead, which does exactly one thing: start a run of
the `create-invoice` deployment for one work report (Arbeitsnachweis).

    POST /invoices/{connection}/{work_report_id}
    Authorization: Bearer <the connection's button token>
    Idempotency-Key: <optional, one per click>            (header)
    {"finalize": false, "layout": "detailed"}            (optional JSON body)

    202 {"flowRunId": "…", "state": "Scheduled", "workReportId": 12, "connection": "default"}
    401 missing or wrong token (also for an unknown connection: names are not revealed)
    422 a body that is not {"finalize": bool, "layout": "detailed" | "grouped" | null}
    503 no Prefect API is configured (PREFECT_API_URL), so no run can be started

- **Tokens** are per connection. By default the token of connection `X` is the Prefect
  `Secret` block `invoice-button-X` (`prefect block create secret`, or
  `Secret(value=token).save("invoice-button-X")`); compared in constant time. An app built
  with `create_invoice_button_app(tokens=…)` may take them from elsewhere.
- **Starting** uses `run_deployment(..., timeout=0, idempotency_key=...)`: it returns as soon
  as the run is created (≈0.06 s), and a worker runs it. The idempotency key is the
  `Idempotency-Key` header if the app sends one, otherwise connection, work report, options
  and the current minute, so a double click starts one run. A later click starts a new run,
  which is safe: the flow itself never invoices a work report twice.
- **Mounting**: `create_invoice_button_app()` is a Starlette app; the webhook receiver mounts
  it (e.g. `Mount("/button", app=create_invoice_button_app())`), so one public endpoint serves
  both, behind the same TLS.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tasks.settings import InvoiceLayout

DEPLOYMENT = "create-invoice/create-invoice"
TOKEN_BLOCK_PREFIX = "invoice-button-"


class PrefectNotConfiguredError(RuntimeError):
    """No Prefect API to start runs on (PREFECT_API_URL is not set)."""


@dataclass(frozen=True)
class StartedRun:
    flow_run_id: str
    state: str | None


class ButtonRequest(BaseModel):
    """The optional body of a click."""

    model_config = ConfigDict(extra="forbid")

    finalize: bool = False
    layout: InvoiceLayout | None = None


TokenSource = Callable[[str], str | None]
Starter = Callable[[str, dict[str, Any], str], StartedRun]


def secret_block_token(connection: str) -> str | None:
    """The button token of a connection: the Prefect Secret block `invoice-button-<name>`.

    Called in a worker thread (no event loop), so Prefect's calls run synchronously.
    """
    from prefect.blocks.system import Secret

    try:
        secret = cast(Secret[str], Secret.load(TOKEN_BLOCK_PREFIX + connection))
        value = secret.get()
    except ValueError:  # no such block
        return None
    return str(value) if value else None


def start_with_prefect(deployment: str, parameters: dict[str, Any], key: str) -> StartedRun:
    """Create a run of the deployment and return at once (a worker runs it)."""
    from prefect.client.schemas.objects import FlowRun
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise PrefectNotConfiguredError("PREFECT_API_URL is not set")
    flow_run = cast(
        FlowRun,
        run_deployment(
            deployment, parameters=parameters, timeout=0, idempotency_key=key, as_subflow=False
        ),
    )
    return StartedRun(str(flow_run.id), flow_run.state.name if flow_run.state else None)


def idempotency_key(
    request: Request, connection: str, work_report_id: int, body: ButtonRequest
) -> str:
    """The click's key: the app's `Idempotency-Key`, else the options and the minute."""
    given = request.headers.get("idempotency-key")
    if given:
        return f"invoice-button:{connection}:{given}"[:200]
    minute = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M")
    options = f"{body.finalize}:{body.layout or ''}"
    return f"invoice-button:{connection}:{work_report_id}:{options}:{minute}"


def create_invoice_button_app(
    tokens: TokenSource = secret_block_token,
    start: Starter = start_with_prefect,
    deployment: str = DEPLOYMENT,
) -> Starlette:
    """The button endpoint as a Starlette app (see the module docstring)."""

    async def click(request: Request) -> JSONResponse:
        connection = request.path_params["connection"]
        work_report_id = request.path_params["work_report_id"]
        if not await run_in_threadpool(_authorized, request, connection, tokens):
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        try:
            body = ButtonRequest.model_validate_json(await request.body() or b"{}")
        except PydanticValidationError as error:
            return JSONResponse({"error": error.errors(include_url=False)}, status_code=422)
        parameters = {
            "work_report_id": work_report_id,
            "connection": connection,
            "finalize": body.finalize,
            "layout": body.layout.value if body.layout else None,
        }
        key = idempotency_key(request, connection, work_report_id, body)
        try:
            run = await run_in_threadpool(start, deployment, parameters, key)
        except PrefectNotConfiguredError as error:
            return JSONResponse({"error": str(error)}, status_code=503)
        answer = {"flowRunId": run.flow_run_id, "state": run.state}
        return JSONResponse(
            answer | {"workReportId": work_report_id, "connection": connection}, 202
        )

    route = Route("/invoices/{connection}/{work_report_id:int}", click, methods=["POST"])
    return Starlette(routes=[route])


def _authorized(request: Request, connection: str, tokens: TokenSource) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    expected = tokens(connection)
    return expected is not None and hmac.compare_digest(given.encode(), expected.encode())
