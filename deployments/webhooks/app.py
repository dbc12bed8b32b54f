"""The receiver's HTTP side: lexoffice's callbacks, checked, stored, answered at once.

    HEAD /webhooks/lexoffice   200 (lexoffice probes the URL before it subscribes)
    POST /webhooks/lexoffice   X-Lxo-Signature: <base64 RSA-SHA512 of the raw body>
        202 stored (a flow run follows asynchronously)     200 duplicate or an event not handled
        401 missing or bad signature (lexoffice retries: a key mix-up loses nothing)
        413 body larger than max_body_bytes                 400 not the expected JSON
        403 an event of an organization no connection belongs to
        503 the event could not be stored (lexoffice retries)

Nothing is triggered unless the event was stored. The order of the checks is deliberate:
size, then signature over the raw bytes, then parsing — an unsigned body is never parsed.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import sqlalchemy.exc
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from deployments.webhooks.config import CALLBACK_PATH
from deployments.webhooks.events import HANDLED_EVENTS, parse_event
from deployments.webhooks.following import WantedEvents
from deployments.webhooks.intake import GroupWriter
from deployments.webhooks.signature import signature_valid
from deployments.webhooks.store import EventStore

log = logging.getLogger("lexsync.webhooks")
SIGNATURE_HEADER = "x-lxo-signature"


class BodyTooLargeError(Exception):
    pass


@dataclass
class ReceiverStats:
    """What the receiver answered, and how fast (the newest 10,000 answers)."""

    answers: dict[str, int] = field(default_factory=dict)
    seconds: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))

    def note(self, outcome: str, started: float) -> None:
        self.answers[outcome] = self.answers.get(outcome, 0) + 1
        self.seconds.append(time.perf_counter() - started)


@dataclass
class Destination:
    """One connection behind the receiver: where its events are stored, whom to wake."""

    connection: str
    store: EventStore
    notify: Callable[[], None]
    # The event types the connection's settings need (as subscribed), followed while the
    # receiver runs; the rest are acknowledged and dropped (a switched-off import, a
    # subscription not yet removed).
    wanted: WantedEvents = field(default_factory=lambda: WantedEvents(HANDLED_EVENTS))
    writer: GroupWriter = field(init=False)

    def __post_init__(self) -> None:
        self.writer = GroupWriter(self.store)


@dataclass
class Receiver:
    """Everything the receiver needs to decide about a callback, for every connection.

    lexoffice signs every organization's callbacks with the same key; the organizationId in
    the signed body says which company (connection) an event belongs to.
    """

    public_key: rsa.RSAPublicKey
    destinations: dict[uuid.UUID, Destination]
    max_body_bytes: int = 16 * 1024
    stats: ReceiverStats = field(default_factory=ReceiverStats)


def create_receiver_app(
    receiver: Receiver,
    on_startup: Callable[[], None] | None = None,
    on_shutdown: Callable[[], None] | None = None,
    extra_routes: list[BaseRoute] | None = None,
) -> Starlette:
    """The receiver as a Starlette app; `on_startup`/`on_shutdown` start and stop the dispatcher."""

    async def head(request: Request) -> Response:
        return Response(status_code=200)

    async def callback(request: Request) -> Response:
        started = time.perf_counter()
        status, outcome = await _handle(receiver, request)
        receiver.stats.note(outcome, started)
        return JSONResponse({"status": outcome}, status_code=status)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if on_startup is not None:
            on_startup()
        try:
            yield
        finally:
            if on_shutdown is not None:
                await run_in_threadpool(on_shutdown)

    routes: list[BaseRoute] = [
        Route(CALLBACK_PATH, head, methods=["HEAD"]),
        Route(CALLBACK_PATH, callback, methods=["POST"]),
        *(extra_routes or []),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.receiver = receiver
    return app


async def _handle(receiver: Receiver, request: Request) -> tuple[int, str]:
    try:
        body = await _read_body(request, receiver.max_body_bytes)
    except BodyTooLargeError:
        return 413, "body too large"
    except ClientDisconnect:
        # A sender that gave up (its timeout, a network blip) is normal traffic: lexoffice
        # sends the event again. Nothing was read, so nothing is stored or answered.
        log.info("a sender hung up before its callback was read (%s)", _client(request))
        return 499, "sender hung up"
    if not signature_valid(receiver.public_key, body, request.headers.get(SIGNATURE_HEADER)):
        return 401, "missing or invalid signature"
    event = parse_event(body)
    if event is None:
        return 400, "not a lexoffice event"
    destination = receiver.destinations.get(event.organization_id)
    if destination is None:
        return 403, "unknown organization"
    if event.event_type.lower() not in await destination.wanted.types():
        return 200, "ignored"
    try:
        stored = await destination.writer.record(event)
    except sqlalchemy.exc.SQLAlchemyError:
        log.exception("storing a webhook event of %s failed", destination.connection)
        return 503, "not stored"
    if not stored:
        return 200, "duplicate"
    destination.notify()
    return 202, "stored"


async def _read_body(request: Request, limit: int) -> bytes:
    """The raw body, refused as soon as it exceeds `limit` bytes (never read whole first)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


def _client(request: Request) -> str:
    return f"{request.client.host}:{request.client.port}" if request.client else "unknown"


def button_mount() -> Mount:
    """The invoice button behind the same public endpoint (see deployments.invoice_button)."""
    from deployments.invoice_button import create_invoice_button_app

    return Mount("/button", app=create_invoice_button_app())
