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
server's lease sweep). A renewal that fails is tried again every `RENEW_SECONDS` while the
lease lasts; a lease that is gone anyway (expired, or released as a vanished holder's) is
*lost*: from then on the run's database transactions and parts fail with `CompanyLockLost`
(`Lease.check`), so a run that may no longer hold the slot stops writing instead of writing
beside the next holder. A run that has to wait says so at once, with whose run it waits for
and the latest time a vanished holder's slot is free again; and when the holder is known to
be gone (`tasks.lock_holder`), it releases the holder's lease and starts at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import MappingProxyType
from uuid import UUID

from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound, PrefectHTTPStatusError

from tasks import report_text
from tasks.error_text import SaidInGerman
from tasks.lock_holder import (
    Holder,
    forget_holder,
    read_holder,
    record_holder,
    this_holder,
    why_gone,
)

# The least the Prefect server accepts.
LEASE_SECONDS = 60.0
# A holder renews this often: a failed renewal has three more tries before the lease ends.
RENEW_SECONDS = LEASE_SECONDS / 4
# How often the Prefect server sweeps expired leases (its default repossessor loop).
LEASE_SWEEP_SECONDS = 15.0
# A waiting run asks again this often (the slot, and whether its holder is gone).
POLL_SECONDS = 1.0
_log = logging.getLogger(__name__)

Notify = Callable[[str], None]


class CompanyLockLost(SaidInGerman, RuntimeError):
    """The run no longer holds its company's write slot; another run may be writing."""

    def __init__(self, connection: str, why: str) -> None:
        super().__init__(
            f"Die Schreibsperre der Verbindung {connection!r} ging verloren ({why}); der Lauf "
            "hat aufgehört zu schreiben, damit kein zweiter Lauf daneben schreibt. Bitte den "
            "Lauf neu starten."
        )


@dataclass
class Lease:
    """The slot a run holds; `check()` raises once it is lost."""

    connection: str
    lease_id: UUID
    _lost: threading.Event = field(default_factory=threading.Event)
    _why: str = ""

    def lose(self, why: str) -> None:
        self._why = why
        self._lost.set()
        _log.error(
            "the company lock of %r is lost (%s): the run stops writing", self.connection, why
        )

    def check(self) -> None:
        if self._lost.is_set():
            raise CompanyLockLost(self.connection, self._why)

    def wait_lost(self, timeout: float) -> bool:
        """True once the lease is lost (within `timeout` seconds)."""
        return self._lost.wait(timeout)


# The slots this process's current run frame holds already, by limit name.
_held: ContextVar[Mapping[str, Lease]] = ContextVar(
    "lexsync_held_locks", default=MappingProxyType({})
)


def check_held_locks() -> None:
    """Raises `CompanyLockLost` if a lock this run frame holds is lost (no-op outside one)."""
    for lease in _held.get().values():
        lease.check()


def limit_name(connection: str) -> str:
    return f"lexsync-write-{connection}"


@contextmanager
def company_lock(connection: str, notify: Notify | None = None) -> Iterator[Lease]:
    """Waits for and holds the company's write slot; `notify` hears at once if it must wait."""
    name = limit_name(connection)
    held = _held.get().get(name)
    if held is not None:  # a nested frame of the run that holds the slot
        yield held
        return
    ensure_limit(name)
    lease_id = _acquire(name, connection, notify or _log.warning)
    lease = Lease(connection, lease_id)
    stop = threading.Event()
    renewal = threading.Thread(target=_renew, args=(lease, stop), daemon=True)
    renewal.start()
    token = _held.set(MappingProxyType({**_held.get(), name: lease}))
    try:
        yield lease
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
                notify(f"Der vorige Lauf von {connection!r} ist weg ({gone}): dieser übernimmt.")
                _release(UUID(holder.lease_id), client)
                released.add(holder.lease_id)
                continue
            if not announced:
                notify(waiting_note(connection, holder, dt.datetime.now(dt.UTC)))
                announced = True
            time.sleep(POLL_SECONDS)


def waiting_note(connection: str, holder: Holder | None, now: dt.datetime) -> str:
    """What a waiting run logs at once (in German: the admin reads it on the console and in
    the run's log): whose run it waits for, and until when at the latest if it was killed."""
    latest = now + dt.timedelta(seconds=LEASE_SECONDS + LEASE_SWEEP_SECONDS)
    whose = holder.describe() if holder else "ein anderer Lauf"
    return (
        f"Wartet auf den laufenden Auftrag der Verbindung {connection!r}: {whose}. Wurde "
        f"dieser abgebrochen, endet seine Sperre spätestens {report_text.moment(latest)} Uhr "
        "und dieser Lauf beginnt dann."
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


def _renew(lease: Lease, stop: threading.Event) -> None:
    """Keeps the lease alive until `stop`; a failed renewal is tried again while the lease
    lasts, and the lease is lost when it is gone or no try is left before it ends."""
    ends = time.monotonic() + LEASE_SECONDS
    with get_client(sync_client=True) as client:
        while not stop.wait(RENEW_SECONDS):
            asked = time.monotonic()
            try:
                client.renew_concurrency_lease(
                    lease_id=lease.lease_id, lease_duration=LEASE_SECONDS
                )
            except PrefectHTTPStatusError as error:
                if error.response.status_code in (404, 410):  # expired or released
                    lease.lose("der Prefect-Server kennt sie nicht mehr")
                    return
                if _no_try_left(lease, ends, error):
                    return
            except Exception as error:  # the server unreachable: try again within the lease
                if _no_try_left(lease, ends, error):
                    return
            else:
                ends = asked + LEASE_SECONDS


def _no_try_left(lease: Lease, ends: float, error: Exception) -> bool:
    if time.monotonic() + RENEW_SECONDS < ends:
        _log.warning("renewing the company lock's lease failed (%s); trying again", error)
        return False
    lease.lose(f"der Prefect-Server war nicht erreichbar: {type(error).__name__}")
    return True


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
