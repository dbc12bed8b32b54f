"""Plain errors: each case an admin ran into gives one or two German lines and exit code 2.

What is wrong, which value or host, what to do next; never a traceback (that needs --debug).
"""

from __future__ import annotations

import io
import socket
import uuid
from pathlib import Path

import pytest

from connectors.fieldservice.db import current_revision, head_revision
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.cli import main
from tasks.connection import LexsyncConnection
from tasks.resources import dispose_engines
from tests.support.databases import ThrowawayDatabases


@pytest.fixture(autouse=True)
def _under_prefect_harness(prefect_harness: None) -> None:
    """Connection blocks and flows need a Prefect API: the session's temporary server."""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once the probe is closed


def plain(err: str) -> list[str]:
    """The error's lines; fails on a traceback or on more than two lines."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 2, err
    return lines


def profile_requests(sandbox: SandboxServer) -> int:
    entries = sandbox.control.get("/requests").json()
    return sum(1 for entry in entries if "/v1/profile" in str(entry))


def add_connection(
    monkeypatch: pytest.MonkeyPatch, name: str, database_url: str, base_url: str, key: str
) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{key}\n"))
    argv = ["connections", "add", name, "--database-url", database_url, "--base-url", base_url]
    return main([*argv, "--api-key-file", "-"])


def test_a_missing_api_key_file_names_the_file(
    sandbox: SandboxServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nicht-da.key"
    argv = ["connections", "add", "kurz", "--database-url", "sqlite:///x.db"]
    assert main([*argv, "--api-key-file", str(missing)]) == 2
    [line] = plain(capsys.readouterr().err)
    assert str(missing) in line and "gibt es nicht" in line


def test_an_unreachable_base_url_names_the_host_after_one_attempt(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    host = f"127.0.0.1:{closed_port()}"
    monkeypatch.setenv("LEXOFFICE_BASE_URL", f"http://{host}")
    assert main(["sync"]) == 2
    [line] = plain(capsys.readouterr().err)
    assert host in line and "nicht erreichbar" in line


def test_a_base_url_ending_in_v1_says_to_leave_it_off(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEXOFFICE_BASE_URL", f"{sandbox.base_url}/v1")
    requests_before = profile_requests(sandbox)
    assert main(["sync"]) == 2
    [line] = plain(capsys.readouterr().err)
    assert "/v1" in line and f"{sandbox.base_url} angeben" in line
    assert profile_requests(sandbox) == requests_before  # refused before asking lexoffice


@pytest.mark.postgres
def test_a_postgres_url_is_read_as_postgresql_with_psycopg(
    postgres_databases: ThrowawayDatabases, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres_databases.create()
    libpq_style = "postgres://" + url.split("://", 1)[1]
    try:
        assert main(["db", "upgrade", "--url", libpq_style]) == 0
        assert current_revision(url) == head_revision()
    finally:
        dispose_engines()
        postgres_databases.drop(url)


def test_a_rate_that_is_not_a_number_names_the_variable(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEXOFFICE_RATE_PER_SECOND", "abc")
    assert main(["sync"]) == 2
    [line] = plain(capsys.readouterr().err)
    assert "LEXOFFICE_RATE_PER_SECOND='abc'" in line and "block" not in line


def test_invoicing_a_work_report_that_does_not_exist_is_an_input_error(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["invoice", "999999"]) == 2
    [line] = plain(capsys.readouterr().err)
    assert "Arbeitsnachweis 999999" in line and "gibt es" in line


def test_a_bad_connection_name_is_refused_before_the_key_is_checked(
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    requests_before = profile_requests(sandbox)
    database = f"sqlite:///{tmp_path / 'b.db'}"
    assert add_connection(monkeypatch, "Meier Elektro", database, sandbox.base_url, "k") == 2
    [line] = plain(capsys.readouterr().err)
    assert "'Meier Elektro'" in line and "Kleinbuchstaben" in line
    assert profile_requests(sandbox) == requests_before


def test_adding_a_connection_with_an_unreachable_database_keeps_the_reason(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"postgresql+psycopg://lexsync@127.0.0.1:{closed_port()}/nirgends"
    name = f"fern-{uuid.uuid4().hex[:6]}"
    assert add_connection(monkeypatch, name, database, sandbox.base_url, sandbox.api_key) == 2
    [line] = plain(capsys.readouterr().err)
    assert "nicht erreichbar" in line and "OperationalError" in line
    assert "refused" in line.lower() or "verweigert" in line.lower()


def test_the_upgrade_hint_names_the_connection(
    sandbox: SandboxServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"alt-{uuid.uuid4().hex[:6]}"
    LexsyncConnection(
        database_url=f"sqlite:///{tmp_path / 'never-migrated.db'}",
        lexoffice_base_url=sandbox.base_url,
        lexoffice_api_key=sandbox.api_key,
        active=False,  # left out of other tests' fan-outs
    ).save(name)
    assert main(["sync", "--connection", name]) == 2
    [line] = plain(capsys.readouterr().err)
    assert f"`lexsync db upgrade --connection {name}`" in line
