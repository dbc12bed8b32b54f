"""A flow run's final state as an exit code, the same for every command.

0  done without problems (Prefect state Completed)
3  done with problems: failed records, conflicts, held back ("Mit Problemen")
1  the run failed (Failed, Crashed, Cancelled)
2  a configuration or input error: nothing was run, or the run refused to start
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from deployments.cli_support import EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, error

PROBLEMS_STATE_NAME = "Mit Problemen"


@dataclass
class Outcome:
    """What a flow run ended with: its exit code, its result (or the exception)."""

    exit_code: int
    result: Any = None
    failure: BaseException | None = None


def run_flow(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Outcome:
    """Calls the flow for its final state; the state, not an exception, decides the code."""
    state = call(*args, return_state=True, **kwargs)
    if not state.is_completed():
        failure = state.result(raise_on_failure=False)
        exception = failure if isinstance(failure, BaseException) else None
        return Outcome(failure_exit_code(exception), failure=exception)
    result = state.result()
    problems = state.name == PROBLEMS_STATE_NAME or bool(getattr(result, "failed", 0))
    return Outcome(EXIT_PROBLEMS if problems else EXIT_OK, result)


def failure_exit_code(failure: BaseException | None) -> int:
    return EXIT_USAGE if failure is not None and is_configuration_error(failure) else EXIT_FAILED


def report_failure(outcome: Outcome) -> int:
    """One line on stderr: why the run stopped (the run's own report has the details)."""
    from tasks import error_text

    failure = outcome.failure
    if failure is None:
        error("Der Lauf ist fehlgeschlagen (Details im Prefect-Protokoll).")
    elif outcome.exit_code == EXIT_USAGE:
        error(error_text.message(failure))
    else:
        error(f"Der Lauf ist fehlgeschlagen: {error_text.reason(failure)}")
    return outcome.exit_code


def is_configuration_error(failure: BaseException) -> bool:
    """What an admin or the caller must fix, not a fault of the run."""
    from connectors.lexoffice.errors import CredentialsError
    from deployments.cli_support import ConfigurationError
    from tasks.connection import ConnectionDisabledError, MissingApiKeyError
    from tasks.invoicing.errors import PreconditionError
    from tasks.schema import OutdatedSchemaError

    known = (
        ConfigurationError,
        MissingApiKeyError,
        ConnectionDisabledError,
        OutdatedSchemaError,
        CredentialsError,
        PreconditionError,
    )
    return isinstance(failure, known)
