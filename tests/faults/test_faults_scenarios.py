"""Seeded fault injection: after recovery the end state equals the fault-free end state.

Each seed arms a random fault schedule in the sandbox (429 bursts; 500, 503, 504, late
answers and answers lost after the write on POST and PUT; a few 5xx on reads), lets lexoffice
users edit records while the first round runs, runs two rounds (full sync, then the invoice
flow until it succeeded) under the faults, then rounds without faults until one reports
nothing and writes nothing (at most `SETTLE_ROUNDS`). The end state is compared with a
fault-free run of the same data in another sandbox organization and database: the same
customers, products, activities and projects in the system, the same contacts, articles and
invoice in lexoffice (business fields only), no duplicates, and no round that reported
nothing left anything undone (every error reported).

Short mode (`make test`): the seeds in `SHORT_SEEDS`, on SQLite and PostgreSQL.
Long mode: `LEXSYNC_FAULT_SEEDS=200 .venv/bin/pytest tests/faults` runs seeds 0…199;
`LEXSYNC_FAULT_SEEDS=17,42` runs exactly those (to reproduce a failure).
"""

from __future__ import annotations

import itertools
import random

import pytest

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
    RunOutcome,
    apply_system_edits,
    arm,
    disarm,
    edits_during_run,
    fault_schedule,
    fault_seeds,
    run_round,
    save_connection,
    seed_mixed_data,
    settle,
)

SHORT_SEEDS = (7,)
FAULTED_ROUNDS = 2


@pytest.mark.parametrize("seed_value", fault_seeds(SHORT_SEEDS))
def test_faults_end_state_equals_the_fault_free_run(
    seed_value: int,
    sandbox: SandboxServer,
    system_url: str,
    fault_free: EndState,
) -> None:
    org = Org(sandbox)
    sessions = system_sessions(system_url)
    seeded = seed_mixed_data(org, sessions)
    name = save_connection(sandbox, sandbox.api_key, system_url)
    rng = random.Random(seed_value)
    arm(org, fault_schedule(seed_value))
    faulted: list[RunOutcome] = []
    invoiced = False
    for index in range(FAULTED_ROUNDS):
        edits = seeded.edits if index == 0 else []
        if index == 1:
            apply_system_edits(sessions, seeded)  # found by round 2: a PUT if already linked
        with edits_during_run(org, edits, rng):
            faulted.append(run_round(org, name, None if invoiced else seeded.work_report_id))
        invoiced = invoiced or faulted[-1].invoiced
    disarm(org)
    settled = settle(org, name, seeded.work_report_id, invoiced)
    rounds = faulted + settled

    assert any(entry.get("fault") for entry in org.requests())  # the seed did inject faults
    assert settled[-1].clean and not settled[-1].writes, settled[-1]
    system, lexoffice = system_state(sessions), lexoffice_state(org)
    assert duplicates(system) == {} and duplicates(lexoffice) == {}
    assert system == fault_free.system
    assert lexoffice == fault_free.lexoffice
    assert performed_creates(org.requests()) == fault_free.creates  # no POST performed twice
    for index, (done, after) in enumerate(itertools.pairwise(rounds)):
        # A round that reported no problem left no write undone for the next one (the
        # system's edits before round 2 are that round's own updates).
        undone = [w for w in after.writes if index > 0 or w["method"] == "POST"]
        assert not done.clean or not undone, (index, undone)
