"""A run that loses its company's lock stops writing (the lease renewal, issue 14 item 1).

Once the Prefect server no longer knows the run's lease (it expired while the server was
unreachable, or it was released as a vanished holder's), another run may take the lock; the
first run's next transaction fails with `CompanyLockLost` and the run fails in German.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL, PREFECT_CLIENT_MAX_RETRIES, temporary_settings
from sqlalchemy.orm import Session, sessionmaker

import tasks.company_lock
from connectors.fieldservice.models import Customer
from tasks.company_lock import CompanyLockLost, Lease, limit_name
from tasks.connection import LexsyncConnection
from tasks.report import RunReport
from tasks.run import Frame, Run, run_job
from tests.flows.conftest import connection_name
from tests.support.builders import add_customer
from tests.support.prefect_server import free_port


def release_from_outside(lease_id: UUID) -> None:
    """What the server does with a lease that ran out (or a taking-over run with a stale one)."""
    with get_client(sync_client=True) as client:
        client.release_concurrency_slots_with_lease(lease_id)


@flow(name="lease-lost-job")
def _loses_its_lock_halfway(connection: str) -> RunReport:
    def steps(run: Run) -> None:
        with run.part("customers"):  # a run-wide error: the part does not swallow it
            add_customer(run.sessions, last_name="Vorher")
            assert run.lease is not None
            release_from_outside(run.lease.lease_id)
            assert run.lease.wait_lost(timeout=60), "the renewal never noticed"
            add_customer(run.sessions, last_name="Nachher")

    return run_job(connection, "lease-lost", "Lease lost", steps, Frame(lexoffice=False))


def test_a_run_whose_lease_is_gone_stops_writing_and_fails_in_german(
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tasks.company_lock, "RENEW_SECONDS", 0.2)  # renew at once, not in 15 s
    name = connection_name(connection_block)

    state = _loses_its_lock_halfway(name, return_state=True)

    assert state.is_failed()
    assert state.message is not None
    assert state.message.startswith("Fehlgeschlagen: Die Schreibsperre")
    with sessions.begin() as session:
        names = session.scalars(sa.select(Customer.last_name)).all()
    assert names == ["Vorher"]  # written while held; nothing after the loss
    with get_client(sync_client=True) as client:
        assert client.read_global_concurrency_limit_by_name(limit_name(name)).active_slots == 0


def test_an_unreachable_server_is_asked_again_within_the_lease_then_the_lease_is_lost(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A lease of 10 s, not 60: a refused connection takes the client ~1.5 s to give up on.
    monkeypatch.setattr(tasks.company_lock, "LEASE_SECONDS", 10.0)
    monkeypatch.setattr(tasks.company_lock, "RENEW_SECONDS", 0.2)
    lease, stop = Lease("firma", uuid4()), threading.Event()
    caplog.set_level(logging.WARNING)
    nobody = f"http://127.0.0.1:{free_port()}/api"
    with temporary_settings({PREFECT_API_URL: nobody, PREFECT_CLIENT_MAX_RETRIES: 0}):
        renewing = contextvars.copy_context()  # the renewal thread asks the same (dead) API
        renewal = threading.Thread(
            target=renewing.run, args=(tasks.company_lock._renew, lease, stop)
        )
        renewal.start()
        try:
            assert lease.wait_lost(timeout=60)
        finally:
            stop.set()
            renewal.join()
    retries = [r for r in caplog.records if "trying again" in r.getMessage()]
    assert retries  # asked again while the lease lasted, not given up at the first failure
    with pytest.raises(CompanyLockLost, match="Prefect-Server war nicht erreichbar"):
        lease.check()
