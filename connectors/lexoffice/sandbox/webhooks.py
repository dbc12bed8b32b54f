"""Outgoing webhooks: signed, asynchronous, retried the way lexoffice documents it.

- success: 200, 201, 202, 204;
- retried: 401, 403, 404, 429, 5xx, connection errors and timeouts (read timeout 5 s);
- 410: the subscription is deleted at once;
- 404 or a DNS failure on the last retry: the subscription is deleted;
- redirects: followed at most 3 times, never retried; other 4xx: not retried.
Deliveries run concurrently, so events can arrive out of order.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import socket
import time
from collections import deque
from typing import Any

import httpx

from .config import SandboxConfig
from .signing import Signer
from .store import OrgStore, Store
from .util import compact_json, new_id, now_iso

SUCCESS = {200, 201, 202, 204}
RETRYABLE = {401, 403, 404, 429}


def is_dns_failure(error: BaseException) -> bool:
    """Whether a connection error was a failed name lookup."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, socket.gaierror) or "name resolution" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class Webhooks:
    """Queue, delivery loop and delivery log of all organizations."""

    def __init__(self, store: Store, config: SandboxConfig, signer: Signer) -> None:
        self.store = store
        self.config = config
        self.signer = signer
        self.log: deque[dict[str, Any]] = deque(maxlen=50_000)
        self.client: httpx.AsyncClient | None = None
        self._wakeup: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._inflight: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._attempt_ids = itertools.count(1)
        self._rng = random.Random()

    async def start(self) -> None:
        """Start the delivery loop on the running event loop."""
        if self._task is not None:
            return
        timeout = httpx.Timeout(self.config.webhook_timeout)
        self.client = httpx.AsyncClient(timeout=timeout, follow_redirects=True, max_redirects=3)
        self._wakeup = asyncio.Event()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.client is not None:
            await self.client.aclose()
            self.client = None

    def emit(self, org: OrgStore, event_type: str, resource_id: str) -> None:
        """Queue one event for every subscription of the organization that wants it."""
        body = compact_json(
            {
                "organizationId": org.organization_id,
                "eventType": event_type,
                "resourceId": resource_id,
                "eventDate": now_iso(),
            }
        )
        for subscription in org.subscriptions.values():
            if subscription["eventType"] == event_type:
                self._enqueue(org, subscription, body.decode("utf-8"))

    def _enqueue(self, org: OrgStore, subscription: dict[str, Any], body: str) -> None:
        job = {
            "id": new_id(),
            "organizationId": org.organization_id,
            "subscriptionId": subscription["subscriptionId"],
            "callbackUrl": subscription["callbackUrl"],
            "eventType": subscription["eventType"],
            "body": body,
            "attempts": 0,
            "dueAt": time.time(),
        }
        self.store.pending_webhooks.append(job)
        self.store.dirty = True
        self.wake()

    def wake(self) -> None:
        if self._wakeup is not None:
            self._wakeup.set()

    def flush(self) -> int:
        """Make every pending retry due now; returns how many there are."""
        for job in self.store.pending_webhooks:
            job["dueAt"] = time.time()
        self.wake()
        return len(self.store.pending_webhooks)

    def forget(self, organization_id: str | None = None) -> None:
        """Drop pending deliveries and the log (of one organization, or all)."""
        keep = [
            job
            for job in self.store.pending_webhooks
            if organization_id is not None and job["organizationId"] != organization_id
        ]
        self.store.pending_webhooks[:] = keep
        kept_log = [
            e for e in self.log if organization_id and e["organizationId"] != organization_id
        ]
        self.log.clear()
        self.log.extend(kept_log)

    async def _run(self) -> None:
        assert self._wakeup is not None
        while True:
            self._wakeup.clear()
            current = time.time()
            waiting = [j for j in self.store.pending_webhooks if j["id"] not in self._inflight]
            for job in waiting:
                if job["dueAt"] <= current:
                    self._inflight.add(job["id"])
                    task = asyncio.create_task(self._attempt(job))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
            later = [j["dueAt"] for j in waiting if j["dueAt"] > current]
            pause = min(later) - current if later else 3600.0
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=max(pause, 0.0))

    async def _attempt(self, job: dict[str, Any]) -> None:
        try:
            org, subscription = self._subscription_of(job)
            if subscription is None:
                self._finish(job, {"outcome": "subscription_gone"})
                return
            job["attempts"] += 1
            status, error = await self._post(job)
            self._decide(job, org, status, error)
        finally:
            self._inflight.discard(job["id"])
            self.wake()

    def _subscription_of(self, job: dict[str, Any]) -> tuple[OrgStore | None, Any]:
        for org in self.store.orgs.values():
            if org.organization_id == job["organizationId"]:
                return org, org.subscriptions.get(job["subscriptionId"])
        return None, None

    async def _post(self, job: dict[str, Any]) -> tuple[int | None, BaseException | None]:
        assert self.client is not None
        body = job["body"].encode("utf-8")
        headers = {"Content-Type": "application/json", "X-Lxo-Signature": self.signer.sign(body)}
        try:
            response = await self.client.post(job["callbackUrl"], content=body, headers=headers)
        except httpx.TooManyRedirects as exc:
            return 300, exc
        except httpx.HTTPError as exc:
            return None, exc
        return response.status_code, None

    def _decide(
        self, job: dict[str, Any], org: OrgStore | None, status: int | None, error: Any
    ) -> None:
        record: dict[str, Any] = {"status": status, "error": repr(error) if error else None}
        if status in SUCCESS:
            self._finish(job, {**record, "outcome": "delivered"})
            if not job.get("duplicate") and self._rng.random() < self.config.webhook_duplicate_rate:
                self._duplicate(job)
        elif status == 410:
            self._drop_subscription(org, job)
            self._finish(job, {**record, "outcome": "subscription_deleted"})
        elif status is None or status in RETRYABLE or status >= 500:
            self._retry_or_give_up(job, org, status, error, record)
        else:
            self._finish(job, {**record, "outcome": "failed"})

    def _retry_or_give_up(
        self,
        job: dict[str, Any],
        org: OrgStore | None,
        status: int | None,
        error: Any,
        record: dict,
    ) -> None:
        delays = self.config.webhook_retry_delays
        retries_done = job["attempts"] - 1
        if retries_done < len(delays):
            job["dueAt"] = time.time() + delays[retries_done] * self.config.webhook_delay_scale
            self.store.dirty = True
            self._record(
                job, {**record, "outcome": "retry_scheduled", "nextAttemptAt": job["dueAt"]}
            )
            return
        if status == 404 or (error is not None and is_dns_failure(error)):
            self._drop_subscription(org, job)
            self._finish(job, {**record, "outcome": "exhausted_subscription_deleted"})
        else:
            self._finish(job, {**record, "outcome": "exhausted"})

    def _duplicate(self, job: dict[str, Any]) -> None:
        copy = {**job, "id": new_id(), "attempts": 0, "dueAt": time.time(), "duplicate": True}
        self.store.pending_webhooks.append(copy)

    def _drop_subscription(self, org: OrgStore | None, job: dict[str, Any]) -> None:
        if org is not None and org.subscriptions.pop(job["subscriptionId"], None) is not None:
            self.store.dirty = True

    def _finish(self, job: dict[str, Any], record: dict[str, Any]) -> None:
        with contextlib.suppress(ValueError):
            self.store.pending_webhooks.remove(job)
        self.store.dirty = True
        self._record(job, record)

    def _record(self, job: dict[str, Any], record: dict[str, Any]) -> None:
        self.log.append(
            {
                "attemptId": next(self._attempt_ids),
                "deliveryId": job["id"],
                "time": time.time(),
                "attempt": job["attempts"],
                "organizationId": job["organizationId"],
                "subscriptionId": job["subscriptionId"],
                "callbackUrl": job["callbackUrl"],
                "eventType": job["eventType"],
                "body": job["body"],
                **record,
            }
        )

    async def head_check(self, url: str) -> bool:
        """lexoffice's HEAD probe of a new callback URL: any answer below 400 passes."""
        timeout = httpx.Timeout(self.config.head_check_timeout)
        try:
            async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client:
                response = await client.head(url)
        except httpx.HTTPError:
            return False
        return response.status_code < 400
