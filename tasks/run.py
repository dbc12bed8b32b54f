"""The run frame: what every lexsync flow does before and after its own steps.

    def steps(run: Run) -> None:
        with run.part("customers"):   # its failure ends only this part
            ...
    return run_job(connection, "full-sync", "Full sync of …", steps)  # report + final state

On the way in: the active connection, the schema check, the company's write lock (policy in
`tasks.company_lock`), the system sessions and the lexoffice client, one run_id. On the way
out — also after an exception — the report is published (what was done so far, and why the
run stopped) and the final state is chosen (`tasks.run_state`): Completed "Ohne Probleme",
Completed "Mit Problemen", or Failed with a German message. A failed run hands its exception
to a caller that called the flow directly (the CLI, tests), so nothing is swallowed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TypeVar, cast

from prefect import get_run_logger
from prefect.runtime import flow_run
from sqlalchemy.orm import Session, sessionmaker

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import CredentialsError
from tasks import report_text
from tasks.company_lock import CompanyLockLost, Lease, company_lock
from tasks.connection import LexsyncConnection, load_active_connection
from tasks.process import freeze_imported_objects
from tasks.publish import publish_report
from tasks.report import Problem, RunReport
from tasks.resources import lexoffice_client, system_sessions
from tasks.run_state import final_state, short_reason
from tasks.schema import require_current_schema
from tasks.settings import SyncSettings

_log = logging.getLogger(__name__)

T = TypeVar("T")

RecordFailure = Callable[[RunReport, Exception], None]


@dataclass
class Run:
    """One flow run of one connection, as its steps see it.

    `connection_name` is the connection's name (the flow parameter `connection`);
    `connection_block` the block loaded by that name.
    """

    connection_name: str
    report: RunReport
    run_id: str
    dry_run: bool = False
    settings: SyncSettings = field(default_factory=SyncSettings)
    _connection_block: LexsyncConnection | None = None
    _sessions: sessionmaker[Session] | None = None
    _client: LexofficeClient | None = None
    lease: Lease | None = None
    failure: Exception | None = None
    # A dry run's customer links the master-data step would make (lexoffice id → local id),
    # so that a later step (the document import) decides as it will after the real step.
    planned_links: dict[str, int] = field(default_factory=dict)

    @property
    def sessions(self) -> sessionmaker[Session]:
        assert self._sessions is not None, "this run was opened without the system database"
        return self._sessions

    @property
    def client(self) -> LexofficeClient:
        assert self._client is not None, "this run was opened without a lexoffice client"
        return self._client

    @property
    def connection_block(self) -> LexsyncConnection:
        assert self._connection_block is not None, "this run has not loaded its connection"
        return self._connection_block

    @contextmanager
    def part(self, name: str, direction: str = "both") -> Iterator[None]:
        """One part of the run (an entity, the document import): its failure ends it alone.

        The reason goes into the report as the part's problem; the run goes on with the next
        part and ends "Mit Problemen". Run-wide errors (a refused key) fail the run.
        """
        try:
            yield
        except Exception as error:
            if is_run_wide(error):
                raise
            reason = short_reason(error)
            part = report_text.entity(name)
            _run_logger().error(
                "%s: abgebrochen (%s); die anderen Teile laufen weiter", part, reason
            )
            _log.debug("part %s of run %s failed", name, self.run_id, exc_info=True)
            message = f"Abgebrochen: {reason}. Die anderen Teile des Laufs liefen weiter."
            self.report.section(name, direction).add_problem(Problem("error", name, message))


@dataclass(frozen=True)
class Frame:
    """How a job enters its run (the defaults suit a job that writes both sides).

    `system`: check the schema and open sessions; `lexoffice`: open a client; `lock`: hold
    the company's write slot (every job that writes takes it). `record_failure` puts an
    exception into the report in the job's own words (default: one "run stopped" problem).
    `report_key`: the artifact key (default `<job>-<connection>`, stable per connection so
    the Prefect UI shows the history).
    """

    dry_run: bool = False
    system: bool = True
    lexoffice: bool = True
    lock: bool = True
    record_failure: RecordFailure | None = None
    report_key: str | None = None


def run_job(
    connection: str, job: str, title: str, steps: Callable[[Run], object], frame: Frame = Frame()
) -> RunReport:
    """Run `steps` of `job` for `connection` in the frame; returns the report in its final state.

    Prefect takes a returned state as the run's final state and hands a direct caller the
    state's data (the report), or raises the failed run's exception.
    """
    run, _ = _framed(connection, job, title, steps, frame)
    return cast(RunReport, final_state(run.report, run.failure, run.report))


def run_job_returning(
    connection: str, job: str, title: str, steps: Callable[[Run], T], frame: Frame = Frame()
) -> T:
    """Like `run_job`, for a job whose flow returns what its steps return (not the report)."""
    run, value = _framed(connection, job, title, steps, frame)
    return cast(T, final_state(run.report, run.failure, value))


def _framed(
    connection: str, job: str, title: str, steps: Callable[[Run], T], frame: Frame
) -> tuple[Run, T | None]:
    freeze_imported_objects()
    report = RunReport(title, dry_run=frame.dry_run)
    run = Run(connection, report, current_run_id(), frame.dry_run)
    value: T | None = None
    try:
        with ExitStack() as stack:
            _enter(run, stack, frame)
            value = steps(run)
    except Exception as error:
        run.failure = error
        (frame.record_failure or _record_stop)(run.report, error)
        _run_logger().error("Lauf abgebrochen: %s", short_reason(error))
        _log.debug("run %s of %s failed", run.run_id, job, exc_info=True)
    finally:
        _publish(run.report, frame.report_key or f"{job}-{connection}")
    return run, value


def is_run_wide(error: Exception) -> bool:
    """An error no other part could escape either, so the run fails at once: lexoffice
    refusing the key (401), the company's write lock lost. A 403 (a scope missing) or a 402
    (not in the plan) may concern one part only."""
    if isinstance(error, CompanyLockLost):
        return True
    return isinstance(error, CredentialsError) and error.status == 401


def current_run_id() -> str:
    """The flow run's id (the journal's run_id); a fresh one outside Prefect."""
    return str(flow_run.get_id() or uuid.uuid4())


def _enter(run: Run, stack: ExitStack, frame: Frame) -> None:
    run._connection_block = connection_block = load_active_connection(run.connection_name)
    run.settings = connection_block.settings
    if frame.system:
        require_current_schema(connection_block.database_url, run.connection_name)
    if frame.lock:
        lock = company_lock(run.connection_name, notify=_run_logger().warning)
        run.lease = stack.enter_context(lock)
    if frame.system:
        run._sessions = system_sessions(connection_block.database_url)
    if frame.lexoffice:
        client = lexoffice_client(connection_block.lexoffice_settings())
        run._client = stack.enter_context(client)


def _record_stop(report: RunReport, error: Exception) -> None:
    message = f"Lauf abgebrochen: {short_reason(error)}. Bis dahin Erledigtes steht oben."
    report.section("Lauf", "—").add_problem(Problem("error", "Lauf", message))


def _publish(report: RunReport, key: str) -> None:
    """Publish; a Prefect API that is down must not hide the run's own outcome."""
    try:
        publish_report(report, key=key)
    except Exception as error:
        _run_logger().warning(
            "Der Bericht ließ sich nicht veröffentlichen: %s", short_reason(error)
        )


def _run_logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    try:
        return get_run_logger()
    except Exception:  # outside a run (a plain function call in a test)
        return _log
