"""The final state of a run, as the Prefect UI and the CLI show it (the shared contract).

- nothing to look at: Completed, message "Ohne Probleme";
- done, but records failed, are in conflict or held back: a COMPLETED-type state named
  "Mit Problemen", message e.g. "3 Probleme, 1 Konflikt";
- the run stopped: Failed, message "Fehlgeschlagen: <reason>".
"""

from __future__ import annotations

from prefect.client.schemas.objects import State
from prefect.states import Completed, Failed

from tasks.error_text import reason
from tasks.report import RunReport

WITH_PROBLEMS = "Mit Problemen"
NO_PROBLEMS = "Ohne Probleme"
_MAX_REASON = 200


def final_state(report: RunReport, failure: Exception | None, data: object = None) -> State:
    """The state the run ends in; its data is `data` (or, failed, the exception)."""
    if failure is not None:
        return Failed(message=f"Fehlgeschlagen: {short_reason(failure)}", data=failure)
    summary = problem_summary(report)
    if summary:
        return Completed(name=WITH_PROBLEMS, message=summary, data=data)
    return Completed(message=NO_PROBLEMS, data=data)


def problem_summary(report: RunReport) -> str:
    """ "3 Probleme, 1 Konflikt"; empty when there is nothing to look at.

    Problems are records that failed or were held back (skipped with a reason); conflicts
    are counted apart because a person resolves them differently.
    """
    conflicts = sum(1 for _, problem in report.problems if problem.kind == "conflict")
    others = len(report.problems) - conflicts
    parts = []
    if others:
        parts.append(f"{others} {'Problem' if others == 1 else 'Probleme'}")
    if conflicts:
        parts.append(f"{conflicts} {'Konflikt' if conflicts == 1 else 'Konflikte'}")
    return ", ".join(parts)


def short_reason(error: BaseException) -> str:
    """One line saying why, shortened: in German for the errors lexsync knows
    (`tasks.error_text`), else the error's type and its message's first line.

    Only the first line, because database errors append the SQL and its parameters
    (customer data) on the following lines.
    """
    line = reason(error)
    return line if len(line) <= _MAX_REASON else line[: _MAX_REASON - 1] + "…"
