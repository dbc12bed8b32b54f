"""A worker killed at a random point: the next runs finish the work, nothing twice, nothing lost.

`lexsync sync` runs the full sync in a subprocess (its flow runs report to this session's
Prefect server) and gets SIGKILL:
- while lexoffice holds the answer of a contact it has already created (the worst moment:
  the POST was performed, the link is not saved; only the pending-create marker knows);
- or once the sandbox has logged the k-th write, k chosen by the seed (any moment).
Then rounds run in-process until they settle, and the end state is compared with the
fault-free run of the same data, as in `test_faults_scenarios`.

Long mode: `LEXSYNC_FAULT_SEEDS=200 .venv/bin/pytest tests/faults` (as there).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity
from connectors.lexoffice.sandbox.server import SandboxServer
from tasks.resources import system_sessions
from tests.faults.faults_end_state import (
    EndState,
    duplicates,
    lexoffice_state,
    performed_creates,
    system_state,
)
from tests.faults.faults_org import Org
from tests.faults.faults_scenario import (
    apply_edits,
    apply_system_edits,
    arm,
    disarm,
    fault_seeds,
    save_connection,
    seed_mixed_data,
    settle,
)

LEXSYNC = Path(sys.executable).with_name("lexsync")
KILL_DEADLINE_SECONDS = 60
SHORT_SEEDS = (5,)


def start_sync(connection: str) -> subprocess.Popen[bytes]:
    """`lexsync sync` in its own process, on this session's Prefect server."""
    env = os.environ | {"PREFECT_API_URL": str(PREFECT_API_URL.value())}
    command = [str(LEXSYNC), "sync", "--connection", connection]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def kill_when(worker: subprocess.Popen[bytes], org: Org, due: Any) -> bool:
    """SIGKILL the worker once `due(request_log)` holds.

    True only when the SIGKILL is what ended it; False if it finished first.
    """
    deadline = time.monotonic() + KILL_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            return False
        if due(org.requests()):
            os.kill(worker.pid, signal.SIGKILL)
            return worker.wait(timeout=10) == -signal.SIGKILL
        time.sleep(0.01)
    worker.kill()
    raise AssertionError(f"the sync neither finished nor reached the point: {worker.stdout}")


def free_the_killed_runs_slots(connection: str) -> None:
    """A killed run's concurrency slots free themselves when their lease runs out (minutes);
    the test frees them at once, as if that time had passed."""
    with get_client(sync_client=True) as client:
        for limit in client.read_global_concurrency_limits(limit=200):
            if limit.name.endswith(connection):
                client.delete_global_concurrency_limit_by_name(limit.name)


def writes(log: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [entry for entry in log if entry["method"] in ("POST", "PUT")]


def created_but_unanswered(log: list[dict[str, Any]]) -> bool:
    """lexoffice performed a contact create whose answer it still holds back."""
    return any(
        entry["method"] == "POST" and entry.get("fault") == "timeout" and "performedStatus" in entry
        for entry in log
    )


def prepare(sandbox: SandboxServer, system_url: str) -> tuple[Org, sessionmaker[Session], Any]:
    org = Org(sandbox)
    sessions = system_sessions(system_url)
    seeded = seed_mixed_data(org, sessions)
    apply_edits(org, seeded.edits)
    apply_system_edits(sessions, seeded)
    return org, sessions, seeded


def finish_and_compare(
    org: Org, sessions: sessionmaker[Session], name: str, seeded: Any, fault_free: EndState
) -> None:
    outcomes = settle(org, name, seeded.work_report_id, invoiced=False)
    assert outcomes[-1].clean and not outcomes[-1].writes, outcomes[-1]
    system, lexoffice = system_state(sessions), lexoffice_state(org)
    assert duplicates(system) == {} and duplicates(lexoffice) == {}
    assert system == fault_free.system
    assert lexoffice == fault_free.lexoffice
    assert performed_creates(org.requests()) == fault_free.creates


def test_faults_worker_killed_after_lexoffice_created_a_contact_links_it_once(
    sandbox: SandboxServer, system_url: str, fault_free: EndState
) -> None:
    org, sessions, seeded = prepare(sandbox, system_url)
    name = save_connection(sandbox, sandbox.api_key, system_url)
    arm(org, [{"fault": "timeout", "delay": 30, "method": "POST", "path": "/v1/contacts"}])

    killed = kill_when(start_sync(name), org, created_but_unanswered)

    assert killed
    disarm(org)
    free_the_killed_runs_slots(name)
    with sessions.begin() as session:
        [marker] = queries.pending_creates(session, SyncEntity.CUSTOMER)
        assert queries.get_link(session, SyncEntity.CUSTOMER, marker.local_id) is None
    finish_and_compare(org, sessions, name, seeded, fault_free)


@pytest.mark.parametrize("seed_value", fault_seeds(SHORT_SEEDS))
def test_faults_worker_killed_after_a_random_write_loses_and_repeats_nothing(
    seed_value: int, sandbox: SandboxServer, system_url: str, fault_free: EndState
) -> None:
    org, sessions, seeded = prepare(sandbox, system_url)
    name = save_connection(sandbox, sandbox.api_key, system_url)
    total = sum(fault_free.creates.values())
    k = random.Random(seed_value).randint(1, total)

    killed = kill_when(start_sync(name), org, lambda log: len(writes(log)) >= k)

    # k is at most the number of creates, so the run cannot finish before its k-th write.
    assert killed, f"the sync finished before its write {k}"
    free_the_killed_runs_slots(name)

    finish_and_compare(org, sessions, name, seeded, fault_free)
