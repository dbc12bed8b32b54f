"""Fixtures of the deployment tests: a real Prefect server for those that deploy prefect.yaml,
and for the CLI tests a migrated SQLite system database behind the sandbox as `default`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.db import migrate
from connectors.lexoffice.sandbox.server import SandboxServer
from tasks.resources import dispose_engines, system_sessions
from tests.support.environment import use_as_default_connection
from tests.support.prefect_server import prefect_env, prefect_server


@pytest.fixture
def system_url(tmp_path: Path) -> Iterator[str]:
    """A migrated SQLite system database of the test's own."""
    url = f"sqlite:///{tmp_path / 'system.db'}"
    migrate(url)
    yield url
    dispose_engines()


@pytest.fixture
def sessions(system_url: str) -> sessionmaker[Session]:
    return system_sessions(system_url)


@pytest.fixture
def sandbox(
    monkeypatch: pytest.MonkeyPatch, sandbox_server: SandboxServer, system_url: str
) -> SandboxServer:
    """An empty sandbox and the migrated database as the default connection (environment)."""
    return use_as_default_connection(monkeypatch, sandbox_server, system_url)


__all__ = ["prefect_env", "prefect_server"]
