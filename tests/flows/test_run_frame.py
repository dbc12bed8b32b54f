"""The run frame: three final states, the whole report on the parent run whatever happens,
one entity's failure ends that entity alone, every writing job waits for the company's lock."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.concurrency.sync import concurrency
from prefect.states import Crashed
from pydantic import SecretStr
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.customer_events import sync_contacts
from flows.full_sync import full_sync
from flows.invoice import create_invoice
from tasks.company_lock import ensure_limit, limit_name
from tasks.connection import LexsyncConnection
from tasks.lock_holder import record_holder, this_holder
from tasks.report import Problem, RunReport
from tasks.resources import system_engine
from tasks.run import Run, run_job
from tasks.schema import OutdatedSchemaError
from tests.flows.conftest import connection_name, lexoffice_records, requests_log, seed
from tests.support.artifacts import run_artifacts
from tests.support.builders import add_customer, lex_article, lex_person


def test_a_run_without_problems_ends_completed_without_problems(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    seed(sandbox, "contacts", [lex_person("Neu")])

    state = full_sync(connection=connection_name(connection_block), return_state=True)

    assert (state.type.value, state.name, state.message) == (
        "COMPLETED",
        "Completed",
        "Ohne Probleme",
    )
    assert state.result().problems == []


def test_products_failing_end_products_alone_and_the_parent_run_carries_the_report(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    name = connection_name(connection_block)
    seed(sandbox, "contacts", [lex_person("Importiert")])
    seed(sandbox, "articles", [lex_article("Kabel")])
    add_customer(sessions, last_name="Exportiert")
    with system_engine(connection_block.database_url).begin() as db:  # listing products now fails
        db.execute(sa.text("ALTER TABLE products RENAME TO products_gone"))

    state = full_sync(connection=name, return_state=True)

    assert (state.type.value, state.name, state.message) == (
        "COMPLETED",
        "Mit Problemen",
        "1 Problem",
    )
    report: RunReport = state.result()
    [(section, problem)] = report.problems
    assert (section.entity, problem.kind) == ("products", "error")
    assert "products" in problem.message and "liefen weiter" in problem.message
    with sessions.begin() as session:  # customers before products, both ways
        assert {c.last_name for c in queries.list_customers(session)} == {
            "Importiert",
            "Exportiert",
        }
    assert "Exportiert" in {c["person"]["lastName"] for c in lexoffice_records(sandbox, "contacts")}
    assert {s.entity for s in report.sections} >= {"customers", "products", "activities"}
    assert any(e["path"].startswith("/v1/voucherlist") for e in requests_log(sandbox))
    artifacts = run_artifacts(state.state_details.flow_run_id)
    assert "Abgebrochen" in artifacts[f"full-sync-{name}"]
    assert "products" in artifacts[f"full-sync-{name}-problems"]


def test_an_outdated_schema_fails_the_run_in_german_and_still_publishes_the_report(
    sandbox: SandboxServer, connection_block: LexsyncConnection
) -> None:
    with system_engine(connection_block.database_url).begin() as db:
        db.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))

    state = full_sync(connection=connection_name(connection_block), return_state=True)

    assert state.is_failed()
    assert state.message and state.message.startswith("Fehlgeschlagen: Die Systemdatenbank hat")
    artifacts = run_artifacts(state.state_details.flow_run_id)
    upgrade = f"lexsync db upgrade --connection {connection_name(connection_block)}"
    assert upgrade in artifacts[f"full-sync-{connection_name(connection_block)}"]
    with pytest.raises(OutdatedSchemaError):  # a direct caller (the CLI) gets the exception
        full_sync(connection=connection_name(connection_block))
    assert requests_log(sandbox) == []


def test_the_invoice_checks_the_schema_too(
    sandbox: SandboxServer, connection_block: LexsyncConnection
) -> None:
    name = connection_name(connection_block)
    with system_engine(connection_block.database_url).begin() as db:
        db.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))

    state = create_invoice(1, connection=name, return_state=True)

    assert state.is_failed() and "lexsync db upgrade" in str(state.message)
    markdown = run_artifacts(state.state_details.flow_run_id)[f"invoice-{name}-work-report-1"]
    assert "lexsync db upgrade" in markdown


def test_a_refused_api_key_fails_the_run_instead_of_each_part(
    sandbox: SandboxServer, connection_block: LexsyncConnection
) -> None:
    name = connection_name(connection_block)
    connection_block.lexoffice_api_key = SecretStr("not-a-key")
    connection_block.save(name, overwrite=True)

    state = full_sync(connection=name, return_state=True)

    assert state.is_failed()
    assert state.message and state.message.startswith(
        "Fehlgeschlagen: lexoffice lehnt den API-Schlüssel ab: einen neuen erzeugen und eintragen"
    )
    assert "HTTP 401" in state.message


@flow(name="frame-test-job")
def _stops_halfway(connection: str) -> RunReport:
    def steps(run: Run) -> None:
        run.report.section("customers", "both").count("created", 2)
        raise RuntimeError("the second step broke\n[SQL: SELECT secret FROM customers]")

    return run_job(connection, "frame-test", "Frame test", steps)


def test_an_exception_mid_run_publishes_what_was_done_so_far(
    connection_block: LexsyncConnection,
) -> None:
    name = connection_name(connection_block)

    state = _stops_halfway(name, return_state=True)

    assert state.is_failed()
    assert state.message == "Fehlgeschlagen: RuntimeError: the second step broke"
    markdown = run_artifacts(state.state_details.flow_run_id)[f"frame-test-{name}"]
    assert "| Kunden | 2 | 0 |" in markdown  # what was done before the failure
    assert "the second step broke" in markdown and "secret" not in markdown
    with pytest.raises(RuntimeError, match="second step"):
        _stops_halfway(name)


def test_problems_and_conflicts_are_counted_in_the_state_message() -> None:
    from tasks.run_state import final_state

    report = RunReport("t")
    section = report.section("customers", "both")
    for kind in ("error", "skip", "error", "conflict"):
        section.add_problem(Problem(kind, "customer 1", "why"))

    state = final_state(report, None, report)

    assert (state.type.value, state.name, state.message) == (
        "COMPLETED",
        "Mit Problemen",
        "3 Probleme, 1 Konflikt",
    )


@pytest.mark.parametrize(
    "job",
    [
        pytest.param(lambda name: full_sync(connection=name), id="full-sync"),
        pytest.param(lambda name: sync_contacts(["x"], connection=name), id="customer-events"),
        pytest.param(lambda name: create_invoice(1, connection=name), id="invoice"),
    ],
)
def test_every_writing_job_waits_for_the_company_lock_and_says_so_at_once(
    job: Callable[[str], Any],
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    caplog: pytest.LogCaptureFixture,
) -> None:
    name = connection_name(connection_block)
    ensure_limit(limit_name(name))
    done = threading.Event()

    def run_job_in_thread() -> None:
        try:
            job(name)
        except Exception:  # the invoice of a missing work report fails: fine here
            pass
        finally:
            done.set()

    caplog.set_level(logging.WARNING)
    with concurrency(limit_name(name), occupy=1, strict=True):  # another job of the company
        thread = threading.Thread(target=run_job_in_thread, daemon=True)
        thread.start()
        note = wait_for_log(caplog, "Wartet auf den laufenden Auftrag")
        assert re.search(r"endet seine Sperre spätestens \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr", note)
        assert requests_log(sandbox) == [] and not done.is_set()  # it has not started
    thread.join(timeout=120)
    assert done.is_set()


@pytest.mark.parametrize("how", ["process gone", "flow run crashed"])
def test_a_killed_holder_is_noticed_and_its_lease_taken_over_at_once(
    how: str, sandbox: SandboxServer, connection_block: LexsyncConnection, caplog: Any
) -> None:
    """Without the takeover the sync would wait for the dead holder's 600 s lease."""
    name = connection_name(connection_block)
    limit = limit_name(name)
    ensure_limit(limit)
    with get_client(sync_client=True) as client:
        taken = client.increment_concurrency_slots_with_lease(
            names=[limit], slots=1, mode="concurrency", lease_duration=600
        )
        holder = this_holder(UUID(taken.json()["lease_id"]))
        if how == "process gone":
            holder = replace(holder, pid=finished_process_id())
        else:
            holder = replace(holder, flow_run_id=crashed_flow_run(client), host="elsewhere")
        record_holder(client, limit, holder)
    caplog.set_level(logging.WARNING)

    state = full_sync(connection=name, return_state=True)

    assert state.is_completed()
    assert any("ist weg" in record.getMessage() for record in caplog.records)
    with get_client(sync_client=True) as client:
        assert client.read_global_concurrency_limit_by_name(limit).active_slots == 0


def finished_process_id() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@flow(name="killed-job")
def _killed_job() -> None:
    """Stands for a job whose process was killed (never run here)."""


def crashed_flow_run(client: Any) -> str:
    """A flow run as a worker reports it after its process was killed."""
    return str(client.create_flow_run(flow=_killed_job, state=Crashed()).id)


def wait_for_log(caplog: pytest.LogCaptureFixture, text: str, timeout: float = 60) -> str:
    """The first log message containing `text`, as soon as it is logged."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for record in list(caplog.records):
            if text in record.getMessage():
                return record.getMessage()
        time.sleep(0.05)
    raise AssertionError(f"nothing logged containing {text!r}")
