"""Coalescing: a burst of events becomes a bounded number of customer flow runs.

The receiver only stores events and calls `notify()`. A background thread waits until the
burst is over (no event for `quiet_seconds`, at most `max_delay_seconds` after the first),
then claims the waiting events batch by batch (up to `batch_size` contacts each; all events of
one contact go into one batch, so it is synced once) and hands each batch to a starter:

- `start_in_process`: runs the flow in this thread, batch after batch (embedded default);
- `start_with_prefect`: `run_deployment(..., timeout=0, idempotency_key=batch)` of the
  "customer-events" deployment; a worker runs it, the deployment's concurrency limit queues.

A batch whose start fails stays claimed and is handed out again after
`redispatch_after_seconds`; the dispatcher also looks for such leftovers every
`idle_check_seconds` and once at start (events stored before a restart).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from deployments.webhooks.config import ReceiverSettings
from deployments.webhooks.store import Batch, EventStore

log = logging.getLogger("lexsync.webhooks")
Starter = Callable[[Batch], object]  # the return value (a report, a flow run) is not used


class Dispatcher:
    """Collects notifications and starts one flow run per batch of waiting events."""

    def __init__(self, store: EventStore, start: Starter, settings: ReceiverSettings) -> None:
        self.store, self.start_batch, self.settings = store, start, settings
        self.batches: deque[Batch] = deque(maxlen=1000)  # the newest batches started
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._first_at: float | None = None
        self._last_at = 0.0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def notify(self) -> None:
        """An event was stored (called by the receiver; returns at once)."""
        now = time.monotonic()
        with self._lock:
            self._first_at = self._first_at or now
            self._last_at = now
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="webhook-dispatcher", daemon=True
            )
            self._thread.start()
            self._wake.set()  # events left from before a restart

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.settings.idle_check_seconds)
            if self._stop.is_set():
                return
            self._wait_for_quiet()
            self._wake.clear()
            with self._lock:
                self._first_at = None
            try:
                self._drain()
            except Exception:  # the thread must survive a database hiccup
                log.exception("dispatching webhook events failed; retrying in a second")
                self._stop.wait(1.0)
                self._wake.set()

    def _wait_for_quiet(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                first, last = self._first_at, self._last_at
            now = time.monotonic()
            if first is None:
                return
            quiet_at = last + self.settings.quiet_seconds
            latest = first + self.settings.max_delay_seconds
            if now >= min(quiet_at, latest):
                return
            time.sleep(min(quiet_at, latest) - now)

    def _drain(self) -> None:
        settings = self.settings
        while not self._stop.is_set():
            batch = self.store.claim(settings.batch_size, settings.redispatch_after_seconds)
            if batch is None:
                return
            self.batches.append(batch)
            try:
                self.start_batch(batch)
            except Exception:
                log.exception("starting the customer flow for batch %s failed", batch.batch_id)


def flow_parameters(batch: Batch, connection: str) -> dict[str, Any]:
    return {
        "contact_ids": batch.contact_ids,
        "connection": connection,
        "deleted_ids": batch.deleted_ids,
        "article_ids": batch.article_ids,
        "invoice_ids": batch.invoice_ids,
        "order_confirmation_ids": batch.order_confirmation_ids,
        "delivery_note_ids": batch.delivery_note_ids,
        "batch_id": batch.batch_id,
    }


def in_process_starter(connection: str) -> Starter:
    """Runs the customer flow in the dispatcher's thread (no Prefect server needed)."""

    def start(batch: Batch) -> object:
        from flows.customer_events import sync_contacts

        return sync_contacts(**flow_parameters(batch, connection))

    return start


def prefect_starter(connection: str, deployment: str) -> Starter:
    """Creates a run of the customer-events deployment and returns at once (≈0.06 s)."""

    def start(batch: Batch) -> object:
        from prefect.deployments import run_deployment

        return run_deployment(
            deployment,
            parameters=flow_parameters(batch, connection),
            timeout=0,
            idempotency_key=f"customer-events:{batch.batch_id}",
            as_subflow=False,
        )

    return start
