"""The main job against a real lexoffice account: the right organization, a dry run first.

The sandbox poses as a real account: with LEXSYNC_SANDBOX_HOSTS empty, its 127.0.0.1 base URL
counts as a real one, exactly as https://api.lexware.io would.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.cli import main
from tests.support.builders import add_customer
from tests.support.environment import use_as_default_connection


@pytest.fixture(autouse=True)
def _under_prefect_harness(prefect_harness: None) -> None:
    """The flows need a Prefect API: the session's temporary server."""


@pytest.fixture
def real_account(
    monkeypatch: pytest.MonkeyPatch, sandbox_server: SandboxServer, system_url: str
) -> SandboxServer:
    """The sandbox as the default connection, taken for a real lexoffice account."""
    use_as_default_connection(monkeypatch, sandbox_server, system_url)
    monkeypatch.setenv("LEXSYNC_SANDBOX_HOSTS", "")
    return sandbox_server


class Terminal(io.StringIO):
    """Standard input of a person at a terminal who types `answer`."""

    def isatty(self) -> bool:
        return True


def contacts(sandbox: SandboxServer, api_key: str | None = None) -> list[str]:
    body = sandbox.client(api_key).get("/v1/contacts").json()
    return sorted(c["person"]["lastName"] for c in body["content"])


def test_without_a_terminal_a_real_account_gets_a_dry_run_and_no_writes(
    real_account: SandboxServer,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # cron: no terminal
    add_customer(sessions, last_name="Vorsicht", email="vorsicht@example.de")
    assert main(["sync"]) == 2
    captured = capsys.readouterr()
    assert "Probelauf" in captured.out and "Vorsicht" not in contacts(real_account)
    assert "--yes" in captured.err
    assert contacts(real_account) == []


def test_with_yes_a_real_account_is_written_without_asking(
    real_account: SandboxServer, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    add_customer(sessions, last_name="Bestaetigt", email="ok@example.de")
    assert main(["sync", "--yes"]) == 0
    assert contacts(real_account) == ["Bestaetigt"]


@pytest.mark.parametrize(("answer", "written"), [("j\n", ["Gefragt"]), ("n\n", [])])
def test_at_a_terminal_the_person_confirms_after_the_dry_run(
    real_account: SandboxServer,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    answer: str,
    written: list[str],
) -> None:
    monkeypatch.setattr("sys.stdin", Terminal(answer))
    add_customer(sessions, last_name="Gefragt", email="gefragt@example.de")
    assert main(["sync"]) == (0 if written else 2)
    out = capsys.readouterr().out
    assert "Probelauf" in out and "Jetzt wirklich in lexoffice schreiben?" in out
    assert contacts(real_account) == written


def test_a_database_linked_to_another_organization_is_refused(
    real_account: SandboxServer,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_customer(sessions, last_name="Erstfirma", email="erst@example.de")
    assert main(["sync", "--yes"]) == 0  # the database is now linked to the first account
    other = real_account.control.post("/organizations", json={"companyName": "Andere GmbH"})
    other_key = str(other.json()["apiKey"])
    monkeypatch.setenv("LEXOFFICE_API_KEY", other_key)
    capsys.readouterr()
    assert main(["sync", "--yes"]) == 2
    err = capsys.readouterr().err
    assert "anderen lexoffice-Konto" in err and "Traceback" not in err
    assert contacts(real_account, other_key) == []


def test_a_sandbox_on_this_machine_is_written_without_asking(
    real_account: SandboxServer,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LEXSYNC_SANDBOX_HOSTS")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    add_customer(sessions, last_name="Demo", email="demo@example.de")
    assert main(["sync"]) == 0
    assert contacts(real_account) == ["Demo"]
