"""A burst of webhook callbacks from many concurrent senders (httpx.AsyncClient), and the
forged callbacks an attacker could send: each kind built from genuine ones."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from connectors.lexoffice.sandbox.signing import Signer

JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Callback:
    """One POST to the receiver: what is sent and what it stands for."""

    kind: str  # "genuine", "duplicate" or the kind of forgery
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Answer:
    callback: Callback
    status: int
    outcome: str | None  # the receiver's {"status": …}
    seconds: float


def event(organization: str, event_type: str, resource_id: str, date: str) -> bytes:
    """An event as lexoffice sends it: compact JSON."""
    body = {
        "organizationId": organization,
        "eventType": event_type,
        "resourceId": resource_id,
        "eventDate": date,
    }
    return json.dumps(body, separators=(",", ":")).encode()


def signed(kind: str, body: bytes, signer: Signer) -> Callback:
    return Callback(kind, body, JSON | {"X-Lxo-Signature": signer.sign(body)})


def forgeries(
    genuine: Callback, bait: bytes, lexoffice: Signer, impostor: Signer, foreign_org: str
) -> dict[str, Callback]:
    """Every way to forge a callback, about the `bait` event (or replaying `genuine`)."""
    signature = genuine.headers["X-Lxo-Signature"]
    tampered = json.loads(genuine.body) | {"organizationId": foreign_org}
    foreign = json.loads(bait) | {"organizationId": foreign_org}
    padded = json.loads(bait) | {"padding": "x" * 20_000}
    forged: list[Callback] = [
        Callback("random_signature", bait, JSON | {"X-Lxo-Signature": _random_signature()}),
        Callback("no_signature", bait, JSON),
        Callback("not_base64_signature", bait, JSON | {"X-Lxo-Signature": "!!not base64!!"}),
        Callback("signature_of_another_body", bait, JSON | {"X-Lxo-Signature": signature}),
        Callback("tampered_organization", _compact(tampered), genuine.headers),
        signed("other_key", bait, impostor),
        signed("oversized", _compact(padded), lexoffice),
        signed("foreign_organization", _compact(foreign), lexoffice),
        signed("not_an_event", b'{"hello":"world"}', lexoffice),
    ]
    return {callback.kind: callback for callback in forged}


def send_all(url: str, callbacks: list[Callback], senders: int) -> list[Answer]:
    """POST every callback, at most `senders` at a time; the answers in the same order."""
    return asyncio.run(_send_all(url, callbacks, senders))


async def _send_all(url: str, callbacks: list[Callback], senders: int) -> list[Answer]:
    gate = asyncio.Semaphore(senders)
    limits = httpx.Limits(max_connections=senders, max_keepalive_connections=senders)
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as http:

        async def send(callback: Callback) -> Answer:
            async with gate:
                began = time.perf_counter()
                response = await http.post(url, content=callback.body, headers=callback.headers)
                seconds = time.perf_counter() - began
            return Answer(callback, response.status_code, _outcome(response), seconds)

        return list(await asyncio.gather(*(send(c) for c in callbacks)))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def by_kind(answers: list[Answer], keep: Callable[[Answer], bool] = lambda a: True) -> Any:
    """{kind: sorted set of (status, outcome)} — a compact picture for assertions."""
    kinds: dict[str, set[tuple[int, str | None]]] = {}
    for answer in answers:
        if keep(answer):
            kinds.setdefault(answer.callback.kind, set()).add((answer.status, answer.outcome))
    return {kind: sorted(pairs, key=str) for kind, pairs in kinds.items()}


def _outcome(response: httpx.Response) -> str | None:
    try:
        status = response.json().get("status")
    except (ValueError, AttributeError):
        return None
    return status if isinstance(status, str) else None


def _random_signature() -> str:
    return base64.b64encode(os.urandom(256)).decode()


def _compact(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()
