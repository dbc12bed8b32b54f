"""Test-wide settings, set before Prefect builds its settings (see shared prefect-notes)."""

from __future__ import annotations

import os
import tempfile

_PREFECT_TEST_ENV = {
    "PREFECT_HOME": tempfile.mkdtemp(prefix="lexsync-prefect-"),
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
}
for _name, _value in _PREFECT_TEST_ENV.items():
    os.environ.setdefault(_name, _value)


# Imported after the environment above is set: these modules may import Prefect.
from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings  # noqa: E402
from prefect.testing.utilities import prefect_test_harness  # noqa: E402

from connectors.lexoffice.sandbox.config import SandboxConfig  # noqa: E402
from connectors.lexoffice.sandbox.server import SandboxServer  # noqa: E402
from tests.support.databases import ThrowawayDatabases  # noqa: E402


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[ThrowawayDatabases]:
    """Creates lexsync_test_<random> databases on the PostgreSQL server; drops them at the end."""
    databases = ThrowawayDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for every test that runs flows or reads blocks.

    Heartbeats are off: they cost about a second per flow run (see prefect-notes).
    """
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}), prefect_test_harness():
        yield


@pytest.fixture(scope="module")
def sandbox_server() -> Iterator[SandboxServer]:
    """A fast lexoffice sandbox (the rate limit still applies, at 100 requests/s)."""
    with SandboxServer(SandboxConfig(rps=100.0, burst=100)) as server:
        yield server
