"""Fixtures for flow tests: Prefect's test harness, a sandbox, a system database, a connection.

Every test that takes `system_url` (or `connection`) runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.db import migrate
from connectors.lexoffice.sandbox.server import SandboxServer
from tasks.connection import LexsyncConnection
from tasks.resources import dispose_engines, system_sessions
from tests.support.databases import ThrowawayDatabases

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session", autouse=True)
def _under_prefect_harness(prefect_harness: None) -> None:
    """Every flow test runs against the session's temporary Prefect server."""


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> SandboxServer:
    """The module's sandbox, emptied: no records, no faults, no subscriptions, no log."""
    control = sandbox_server.control
    control.post("/reset").raise_for_status()
    control.delete("/faults")
    control.delete("/requests").raise_for_status()
    return sandbox_server


@pytest.fixture(params=BACKENDS)
def system_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_databases: ThrowawayDatabases
) -> Iterator[str]:
    """A new system database migrated to head: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'system.db'}"
    else:
        url = postgres_databases.create()
    migrate(url)
    yield url
    dispose_engines()
    if request.param == "postgresql":
        postgres_databases.drop(url)


@pytest.fixture
def sessions(system_url: str) -> sessionmaker[Session]:
    return system_sessions(system_url)


@pytest.fixture
def connection_block(sandbox: SandboxServer, system_url: str, tmp_path: Path) -> LexsyncConnection:
    """A connection block (saved under a unique name) on the sandbox and the test database."""
    block = LexsyncConnection(
        database_url=system_url,
        lexoffice_base_url=sandbox.base_url,
        lexoffice_api_key=SecretStr(sandbox.api_key),
        lexoffice_rate_per_second=90.0,
    )
    name = f"test-{uuid.uuid4().hex[:12]}"
    block.save(name)
    block._block_document_name = name
    return block


def connection_name(connection_block: LexsyncConnection) -> str:
    name = connection_block._block_document_name
    assert name is not None
    return name


def seed(sandbox: SandboxServer, resource: str, records: list[dict[str, Any]]) -> list[str]:
    """Records typed into lexoffice by a user (the API's write rules do not apply)."""
    response = sandbox.control.post(f"/seed/{resource}", json=records)
    response.raise_for_status()
    body = response.json()
    items = body.get("ids", body) if isinstance(body, dict) else body
    return [item if isinstance(item, str) else item["id"] for item in items]


def lexoffice_records(sandbox: SandboxServer, resource: str) -> list[dict[str, Any]]:
    """Every record of a lexoffice collection, read through the API like a client would."""
    records: list[dict[str, Any]] = []
    with sandbox.client() as http:
        for page in range(100):
            body = http.get(f"/v1/{resource}", params={"size": 250, "page": page}).json()
            records += body["content"]
            if body["last"]:
                return records
    raise AssertionError("more pages than expected")


def requests_log(sandbox: SandboxServer, method: str | None = None) -> list[dict[str, Any]]:
    """The sandbox's request log, optionally only one HTTP method."""
    log: list[dict[str, Any]] = sandbox.control.get("/requests").json()
    return [entry for entry in log if method is None or entry["method"] == method]


def edit_in_lexoffice(
    sandbox: SandboxServer, resource: str, record_id: str, changes: dict[str, Any]
) -> None:
    """Change a record as a user of lexoffice's web app would (bumps its version)."""
    sandbox.control.patch(f"/{resource}/{record_id}", json=changes).raise_for_status()


def inject_fault(sandbox: SandboxServer, **fault: Any) -> None:
    """The next matching requests fail the way lexoffice sometimes does."""
    sandbox.control.post("/faults", json=fault).raise_for_status()
