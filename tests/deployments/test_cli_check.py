"""`lexsync check`: the API tester, against the sandbox and a real database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from connectors.fieldservice.db import migrate
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.cli import main
from tests.support.cli_process import LEXSYNC, PROJECT, cli_environment
from tests.support.environment import use_as_default_connection


@pytest.fixture(autouse=True)
def _under_prefect_harness(prefect_harness: None) -> None:
    """load_connection and the flows need a Prefect API: the session's temporary server."""


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> SandboxServer:
    return sandbox_server


@pytest.fixture
def migrated_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'system.db'}"
    migrate(url)
    return url


@pytest.fixture
def configured(
    monkeypatch: pytest.MonkeyPatch, sandbox: SandboxServer, migrated_url: str
) -> SandboxServer:
    """The default connection from the environment: the sandbox and a migrated database."""
    return use_as_default_connection(monkeypatch, sandbox, migrated_url)


def test_check_passes_and_shows_the_profile_but_never_the_key(
    configured: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    profile = configured.client().get("/v1/profile").json()
    assert f"organizationId: {profile['organizationId']}" in out
    assert "Steuerart: netto" in out and "Kleinunternehmer: nein" in out
    assert "Schema auf dem neuesten Stand" in out and "alle Prüfungen bestanden" in out
    assert configured.api_key not in out


def test_check_lists_the_event_subscriptions(
    configured: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # The sandbox wants a callback that answers HEAD; its own public-key path does.
    callback = f"{configured.base_url}/webhookSignature/public/public_key.pub"
    body = {"eventType": "contact.changed", "callbackUrl": callback}
    configured.client().post("/v1/event-subscriptions", json=body).raise_for_status()
    assert main(["check"]) == 0
    assert f"contact.changed → {callback}" in capsys.readouterr().out


def test_check_without_an_api_key_says_where_to_set_it(
    configured: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("LEXOFFICE_API_KEY")
    assert main(["check"]) == 2
    out = capsys.readouterr().out
    assert "[FEHLER] lexoffice-API-Schlüssel" in out and "LEXOFFICE_API_KEY" in out
    assert "[OK] Systemdatenbank" in out  # the other checks still run


def test_check_with_a_refused_key_fails_without_echoing_it(
    configured: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEXOFFICE_API_KEY", "revoked-key-4711")
    assert main(["check"]) == 2
    out = capsys.readouterr().out
    assert "[FEHLER] lexoffice-Profil" in out and "lehnt den API-Schlüssel ab" in out
    assert "revoked-key-4711" not in out


def test_check_of_a_database_never_migrated_says_run_db_upgrade(
    configured: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LEXSYNC_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["check"]) == 2
    out = capsys.readouterr().out
    assert "[FEHLER] Systemdatenbank" in out and "lexsync db upgrade" in out


def test_check_of_an_unknown_connection_block_is_a_configuration_error(
    configured: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--connection", "nowhere"]) == 2
    assert "Keine Verbindung namens 'nowhere'" in capsys.readouterr().out


def test_check_without_any_prefect_server_starts_none_and_logs_no_error(
    sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    """No PREFECT_API_URL, no Prefect database: only the environment's default can exist."""
    url = f"sqlite:///{tmp_path / 'system.db'}"
    migrate(url)
    home = tmp_path / "prefect-home"
    environment = {
        "LEXOFFICE_API_KEY": sandbox_server.api_key,
        "LEXOFFICE_BASE_URL": sandbox_server.base_url,
        "LEXSYNC_DATABASE_URL": url,
    }
    done = subprocess.run(
        [*LEXSYNC, "check"],
        env=cli_environment(home, **environment),
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "alle Prüfungen bestanden" in done.stdout
    assert "ERROR" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (home / "prefect.db").exists()  # no temporary server was started
