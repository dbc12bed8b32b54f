"""A flow run's final state decides the exit code, the same for every command."""

from __future__ import annotations

from typing import Any

import pytest
from prefect import flow
from prefect.states import Completed

from deployments.cli_outcome import run_flow
from deployments.cli_support import ConfigurationError


@pytest.fixture(autouse=True)
def _under_prefect_harness(prefect_harness: None) -> None:
    """The flows report their states to the session's temporary Prefect server."""


@flow
def _ends(how: str) -> Any:
    if how == "problems":
        return Completed(name="Mit Problemen", message="3 Probleme, 1 Konflikt", data="report")
    if how == "failed":
        raise RuntimeError("lexoffice antwortet nicht")
    if how == "configuration":
        raise ConfigurationError("LEXOFFICE_RATE_PER_SECOND='abc' ist keine Zahl")
    return "report"


@pytest.mark.parametrize(
    ("how", "exit_code"),
    [("clean", 0), ("problems", 3), ("failed", 1), ("configuration", 2)],
)
def test_the_final_state_gives_the_exit_code(how: str, exit_code: int) -> None:
    outcome = run_flow(_ends, how)
    assert outcome.exit_code == exit_code
    assert (outcome.failure is None) == (exit_code in (0, 3))
