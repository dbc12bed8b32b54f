"""Fixtures of the fault-injection suite: the flow tests' harness, sandbox and databases,
and the fault-free end state every faulted run is compared with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connectors.fieldservice.db import migrate
from connectors.lexoffice.sandbox.config import SandboxConfig
from connectors.lexoffice.sandbox.server import SandboxServer
from tests.faults.faults_scenario import EndState, fault_free_end_state
from tests.flows.conftest import (  # noqa: F401  (fixtures, registered by being imported)
    _under_prefect_harness,
    connection_block,
    sandbox,
    sessions,
    system_url,
)


@pytest.fixture(scope="session")
def fault_free(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EndState]:
    """The end state of the mixed data set synced without faults (SQLite, own sandbox):
    computed once, because the data set is the same for every seed."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fault-free') / 'system.db'}"
    migrate(url)
    with SandboxServer(SandboxConfig(rps=100.0, burst=100)) as reference:
        yield fault_free_end_state(reference, url)
