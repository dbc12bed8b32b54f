"""One writing job per company at a time, however many workers run how many companies.

Overlap policy (issue 14):
- Every job that writes a company's system database or its lexoffice records — full sync,
  master-data sync, document import, a webhook batch (customer events) and an invoice —
  holds the company's one lock, `lexsync-write-<connection>`, while it works. A webhook batch
  and a full sync of one company therefore never write the same links at once; the batch
  waits, and its events stay stored until it runs.
- Jobs that write neither side of the company run alongside: the webhook subscriptions check,
  the nightly fan-out (it only starts runs), the receiver storing events.
- Different companies never wait for each other.

The lock is a Prefect global concurrency limit of 1, held by the outermost run frame of a
process (a nested frame runs inside its parent's slot) and leased: the holder renews the
lease while it lives, so a killed worker's slot frees itself after `LEASE_SECONDS` (plus the
server's lease sweep). A run that has to wait says so at once, with whose run it waits for
and the latest time a vanished holder's slot is free again; and when the holder is known to
be gone (`tasks.lock_holder`), it releases the holder's lease and starts at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from uuid import UUID

from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound, PrefectHTTPStatusError

from tasks.lock_holder import (
    Holder,
    forget_holder,
    read_holder,
    record_holder,
    this_holder,
    why_gone,
)

# The least the Prefect server accepts; a holder renews at 3/4 of it.
LEASE_SECONDS = 60.0
# How often the Prefect server sweeps expired leases (its default repossessor loop).
LEASE_SWEEP_SECONDS = 15.0
# A waiting run asks again this often (the slot, and whether its holder is gone).
POLL_SECONDS = 1.0
# The slots this process's current run frame holds already.
_held: ContextVar[frozenset[str]] = ContextVar("lexsync_held_locks", default=frozenset())
_log = logging.getLogger(__name__)

Notify = Callable[[str], None]


def limit_name(connection: str) -> str:
    return f"lexsync-write-{connection}"


@contextmanager
def company_lock(connection: str, notify: Notify | None = None) -> Iterator[None]:
    """Waits for and holds the company's write slot; `notify` hears at once if it must wait."""
    name = limit_name(connection)
    if name in _held.get():  # a nested frame of the run that holds the slot
        yield
        return
    ensure_limit(name)
    lease_id = _acquire(name, connection, notify or _log.warning)
    stop = threading.Event()
    renewal = threading.Thread(target=_renew, args=(lease_id, stop), daemon=True)
    renewal.start()
    token = _held.set(_held.get() | {name})
    try:
        yield
    finally:
        _held.reset(token)
        stop.set()
        renewal.join()
        forget_holder(name, lease_id)  # first: nobody else can have written it yet
        _release(lease_id)


def _acquire(name: str, connection: str, notify: Notify) -> UUID:
    announced = False
    released: set[str] = set()  # a stale record is acted on once, then waited out
    with get_client(sync_client=True) as client:
        while True:
            lease_id = _try_lease(client, name)
            if lease_id is not None:
                record_holder(client, name, this_holder(lease_id))
                return lease_id
            holder = read_holder(client, name)
            gone = why_gone(client, holder) if holder else None
            if holder and gone and holder.lease_id not in released:
                notify(f"the previous run of {connection!r} is gone ({gone}): taking over")
                _release(UUID(holder.lease_id), client)
                released.add(holder.lease_id)
                continue
            if not announced:
                notify(waiting_note(connection, holder, dt.datetime.now(dt.UTC)))
                announced = True
            time.sleep(POLL_SECONDS)


def waiting_note(connection: str, holder: Holder | None, now: dt.datetime) -> str:
    """What a waiting run logs at once: whose run it waits for, and until when at the latest
    if that run was killed."""
    latest = now + dt.timedelta(seconds=LEASE_SECONDS + LEASE_SWEEP_SECONDS)
    whose = holder.describe() if holder else "another run"
    return (
        f"waiting for the running job of connection {connection!r}: {whose}; if that run was "
        f"killed, its lease expires by {latest:%H:%M:%S} UTC and this run starts then"
    )


def _try_lease(client: SyncPrefectClient, name: str) -> UUID | None:
    try:
        response = client.increment_concurrency_slots_with_lease(
            names=[name], slots=1, mode="concurrency", lease_duration=LEASE_SECONDS
        )
    except PrefectHTTPStatusError as error:
        if error.response.status_code == 423:  # taken
            return None
        raise
    return UUID(response.json()["lease_id"])


def _renew(lease_id: UUID, stop: threading.Event) -> None:
    """Keeps the lease alive until `stop`; a missed renewal is retried at the next turn."""
    with get_client(sync_client=True) as client:
        while not stop.wait(LEASE_SECONDS * 0.75):
            try:
                client.renew_concurrency_lease(lease_id=lease_id, lease_duration=LEASE_SECONDS)
            except Exception as error:  # the run goes on; the next turn tries again
                _log.warning("renewing the company lock's lease failed: %s", error)


def _release(lease_id: UUID, client: SyncPrefectClient | None = None) -> None:
    """Gives the slot back (a lease already expired or released is fine)."""
    try:
        if client is not None:
            client.release_concurrency_slots_with_lease(lease_id)
            return
        with get_client(sync_client=True) as own:
            own.release_concurrency_slots_with_lease(lease_id)
    except Exception as error:  # the lease expires on its own
        _log.warning("releasing the company lock's lease failed: %s", error)


def ensure_limit(name: str) -> None:
    """Creates the limit (1 slot) if it is missing; two runs racing to create it is fine."""
    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(name)
            return
        except ObjectNotFound:
            pass
        with suppress(ObjectAlreadyExists):
            client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=1))
