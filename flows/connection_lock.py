"""One sync of a company at a time, however many workers run how many companies.

The nightly fan-out starts one full-sync run per connection, so the deployments themselves
run many at once; what must not overlap is two syncs of the *same* company (two runs would
plan against the same links). Each connection gets a Prefect global concurrency limit of 1
per kind of job — held by the outermost flow run only (a subflow runs inside its parent's
slot) and leased, so a killed worker's slot frees itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.concurrency.sync import concurrency
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

# A worker killed mid-run gives its slot back after this long (the lease is renewed while
# the run lives, so a long sync keeps it).
LEASE_SECONDS = 120.0
# The slots this flow run (and the subflows it runs in-process) holds already.
_held: ContextVar[frozenset[str]] = ContextVar("lexsync_held_locks", default=frozenset())


def limit_name(connection: str, kind: str) -> str:
    return f"lexsync-{kind}-{connection}"


@contextmanager
def connection_lock(connection: str, kind: str = "sync") -> Iterator[None]:
    """Waits for and holds the connection's slot for `kind` ("sync" or "events")."""
    name = limit_name(connection, kind)
    if name in _held.get():  # a subflow of the run that holds the slot
        yield
        return
    ensure_limit(name)
    with concurrency(name, occupy=1, lease_duration=LEASE_SECONDS, strict=True):
        token = _held.set(_held.get() | {name})
        try:
            yield
        finally:
            _held.reset(token)


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
