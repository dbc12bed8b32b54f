"""`create_app`: the lexoffice sandbox as a Starlette application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .config import SandboxConfig
from .errors import ApiError, handle_api_error, handle_http_exception
from .gateway import Gateway
from .routes import articles, contacts, payments, profile, subscriptions, voucherlist, vouchers
from .runtime import Runtime

log = logging.getLogger(__name__)


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    """A bug in the sandbox answers like lexoffice's 500 (`{"message": null}`)."""
    log.exception("sandbox error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"message": None}, status_code=500)


def create_app(config: SandboxConfig) -> Starlette:
    """The sandbox application; its state lives in `app.state.runtime`."""
    from . import control  # the control API imports the route helpers

    runtime = Runtime.build(config)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        persist_task = await runtime.startup()
        try:
            yield
        finally:
            await runtime.shutdown(persist_task)

    app = Starlette(
        routes=[
            *contacts.ROUTES,
            *articles.ROUTES,
            *vouchers.ROUTES,
            *voucherlist.ROUTES,
            *subscriptions.ROUTES,
            *profile.ROUTES,
            *payments.ROUTES,
            *payments.CONTROL_ROUTES,
            *control.ROUTES,
        ],
        middleware=[
            Middleware(
                Gateway,
                store=runtime.store,
                limiter=runtime.limiter,
                faults=runtime.faults,
                requests=runtime.requests,
                latency_seconds=config.latency_seconds,
            )
        ],
        exception_handlers={
            ApiError: handle_api_error,
            HTTPException: handle_http_exception,
            Exception: handle_unexpected,
        },
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False  # lexoffice does not redirect `/v1/contacts/`
    app.state.runtime = runtime
    return app
