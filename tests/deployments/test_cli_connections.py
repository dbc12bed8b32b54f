"""`lexsync connections`: add (key checked with lexoffice), list, disable, enable, remove."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest

from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.cli import main
from tasks.connection import LexsyncConnection, load_connection
from tasks.connection_registry import NAME_TAKEN, active_connection_names, list_connections
from tasks.resources import dispose_engines


@pytest.fixture(autouse=True)
def _under_prefect_harness(prefect_harness: None) -> None:
    """Connections are blocks: the session's temporary Prefect server keeps them."""


@pytest.fixture
def api_key(sandbox_server: SandboxServer) -> str:
    """A new lexoffice organization's key."""
    created = sandbox_server.control.post("/organizations", json={"companyName": "Maler Kurz"})
    created.raise_for_status()
    return str(created.json()["apiKey"])


def add(
    name: str, key: str, sandbox: SandboxServer, database: Path, monkeypatch: pytest.MonkeyPatch
) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{key}\n"))
    return main(
        [
            "connections",
            "add",
            name,
            "--database-url",
            f"sqlite:///{database}",
            "--base-url",
            sandbox.base_url,
            "--api-key-file",
            "-",
            "--migrate",
        ]
    )


def names() -> dict[str, bool]:
    return {entry.name: entry.active for entry in list_connections()}


def test_add_checks_the_key_learns_the_organization_and_never_prints_the_key(
    sandbox_server: SandboxServer,
    api_key: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = f"kurz-{uuid.uuid4().hex[:6]}"

    assert add(name, api_key, sandbox_server, tmp_path / "kurz.db", monkeypatch) == 0

    out = capsys.readouterr().out
    saved = load_connection(name)
    profile = sandbox_server.control.get(
        "/organizations", headers={"X-Sandbox-Api-Key": api_key}
    ).json()
    assert saved.organization_id in {org["organizationId"] for org in profile}
    assert str(saved.organization_id) in out and "Maler Kurz" in out
    assert api_key not in out
    assert saved.lexoffice_api_key is not None
    assert saved.lexoffice_api_key.get_secret_value() == api_key
    assert main(["connections", "list"]) == 0
    listed = capsys.readouterr().out
    assert name in listed and api_key not in listed
    dispose_engines()


def test_a_refused_key_adds_nothing(
    sandbox_server: SandboxServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = f"falsch-{uuid.uuid4().hex[:6]}"

    assert add(name, "not-a-key", sandbox_server, tmp_path / "x.db", monkeypatch) == 2

    assert name not in names()
    assert "not-a-key" not in capsys.readouterr().err


def test_one_lexoffice_organization_or_name_cannot_be_two_connections(
    sandbox_server: SandboxServer,
    api_key: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, second = f"erst-{uuid.uuid4().hex[:6]}", f"zweit-{uuid.uuid4().hex[:6]}"
    assert add(first, api_key, sandbox_server, tmp_path / "a.db", monkeypatch) == 0
    capsys.readouterr()

    assert add(second, api_key, sandbox_server, tmp_path / "b.db", monkeypatch) == 2
    assert f"gehört schon zur Verbindung {first!r}" in capsys.readouterr().err
    assert add(first, api_key, sandbox_server, tmp_path / "a.db", monkeypatch) == 2
    taken = capsys.readouterr().err

    assert first in names() and second not in names()
    assert f"eine Verbindung namens {first!r} {NAME_TAKEN}" in taken
    dispose_engines()  # `lexsync up` keeps a block it finds by NAME_TAKEN (deployments/service.py)


def test_disable_enable_remove(
    sandbox_server: SandboxServer, api_key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"wechsel-{uuid.uuid4().hex[:6]}"
    database = tmp_path / "w.db"
    assert add(name, api_key, sandbox_server, database, monkeypatch) == 0

    assert main(["connections", "disable", name]) == 0
    assert names()[name] is False and name not in active_connection_names()
    assert main(["connections", "enable", name]) == 0
    assert names()[name] is True and name in active_connection_names()
    assert main(["connections", "remove", name]) == 0
    assert name not in names()
    assert database.exists()  # the company's data stays
    assert main(["connections", "remove", name]) == 2
    dispose_engines()


def test_a_vendor_with_hundreds_of_companies_gets_each_listed_once(tmp_path: Path) -> None:
    prefix = f"massen-{uuid.uuid4().hex[:4]}"
    names = [f"{prefix}-{n:03d}" for n in range(205)]  # more than one page of 200
    for name in names:  # disabled: the other tests' fan-outs in this session skip them
        LexsyncConnection(database_url=f"sqlite:///{tmp_path / name}.db", active=False).save(name)

    listed = [entry.name for entry in list_connections() if entry.name.startswith(prefix)]

    assert listed == names
    assert not set(names) & set(active_connection_names())
