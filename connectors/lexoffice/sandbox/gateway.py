"""The API gateway in front of /v1: request log, bearer auth, rate limit, injected faults."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .faults import AFTER_STATUS, BEFORE, FaultInjector, FaultRule
from .ratelimit import RateLimiter
from .store import Store
from .util import utc_epoch

log = logging.getLogger(__name__)

GATEWAY_BODIES: dict[int, Any] = {
    401: {"message": "Unauthorized"},
    # No body is documented for 429; integrators commonly see this one.
    429: {"message": "Too Many Requests"},
    500: {"message": None},
    502: {"message": "Bad Gateway"},
    503: None,
    504: {"message": "Endpoint request timed out"},
}


class RequestLog:
    """What reached the API: time, method, path, query, status, organization (never the key)."""

    def __init__(self, limit: int = 200_000) -> None:
        self.entries: deque[dict[str, Any]] = deque(maxlen=limit)

    def start(self, scope: Scope) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "time": utc_epoch(),
            "method": scope["method"],
            "path": scope["path"],
            "query": scope.get("query_string", b"").decode("latin-1"),
            "status": None,
            "organizationId": None,
        }
        self.entries.append(entry)
        return entry

    def clear(self) -> None:
        self.entries.clear()


def bearer_key(scope: Scope) -> str | None:
    """The API key of an `Authorization: Bearer …` header."""
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() or None if scheme.lower() == "bearer" else None
    return None


async def send_gateway(send: Send, status: int, retry_after: float | None = None) -> None:
    """Answer as the gateway does (before or instead of the backend)."""
    body = GATEWAY_BODIES.get(status, {"message": None})
    payload = b"" if body is None else json.dumps(body).encode()
    headers = [(b"content-length", str(len(payload)).encode())]
    if retry_after is not None:
        headers.append((b"retry-after", f"{retry_after:g}".encode()))
    if body is not None:
        headers.append((b"content-type", b"application/json"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def send_unreadable(send: Send) -> None:
    """A 200 whose body is a proxy's HTML page, not lexoffice's JSON."""
    payload = b"<html><body>Service temporarily overloaded</body></html>"
    headers = [(b"content-length", str(len(payload)).encode()), (b"content-type", b"text/html")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def drop_connection(receive: Receive) -> bool:
    """Close the client connection without any answer (uvicorn's transport, if reachable)."""
    cycle = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if cycle is None or transport is None:
        return False
    cycle.disconnected = True  # so uvicorn does not answer 500 on our behalf
    transport.close()
    return True


async def still_waiting(receive: Receive, delay: float) -> bool:
    """Hold the answer back for `delay` seconds; False if the client hung up meanwhile.

    A request body the app did not read (a GET's empty one) is skipped, not taken as an end.
    """
    deadline = asyncio.get_running_loop().time() + delay
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        try:
            message = await asyncio.wait_for(receive(), timeout=left)
        except TimeoutError:
            return True
        if message["type"] == "http.disconnect":
            return False
    return True


class Gateway:
    """ASGI middleware; everything outside /v1 passes straight through."""

    def __init__(
        self,
        app: ASGIApp,
        store: Store,
        limiter: RateLimiter,
        faults: FaultInjector,
        requests: RequestLog,
        latency_seconds: float = 0.0,
    ) -> None:
        self.app = app
        self.store = store
        self.limiter = limiter
        self.faults = faults
        self.requests = requests
        self.latency_seconds = latency_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1"):
            await self.app(scope, receive, send)
            return
        entry = self.requests.start(scope)

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
                entry["answered"] = utc_epoch()  # with "time": which requests overlapped
            await send(message)

        await self._handle(scope, receive, logged_send, entry)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, entry: dict) -> None:
        key = bearer_key(scope)
        org = self.store.org(key)
        if org is None or key is None:
            await send_gateway(send, 401)
            return
        entry["organizationId"] = org.organization_id
        if not self.limiter.allow(key):
            await send_gateway(send, 429)
            return
        if self.latency_seconds > 0:
            await asyncio.sleep(self.latency_seconds)  # other requests are served meanwhile
        fault = self.faults.pick(scope["method"], scope["path"], org.organization_id)
        scope["sandbox.org"] = org
        if fault is None:
            await self.app(scope, receive, send)
            return
        entry["fault"] = fault.kind
        if fault.kind in BEFORE:
            await send_gateway(send, int(fault.kind), fault.retry_after)
            return
        await self._perform_then_fail(scope, receive, send, entry, fault)

    async def _perform_then_fail(
        self, scope: Scope, receive: Receive, send: Send, entry: dict, fault: FaultRule
    ) -> None:
        answer: list[Message] = []

        async def hold(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["performedStatus"] = message["status"]
            answer.append(message)

        await self.app(scope, receive, hold)
        if fault.kind in AFTER_STATUS:
            await send_gateway(send, AFTER_STATUS[fault.kind])
        elif fault.kind == "unreadable":
            await send_unreadable(send)
        elif fault.kind == "lose_response" and drop_connection(receive):
            entry["status"] = None
        elif await still_waiting(receive, fault.delay):  # timeout (or lose_response fallback)
            for message in answer:
                await send(message)
