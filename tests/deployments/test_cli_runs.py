"""`lexsync sync`, `invoice`, `status` and `db upgrade` against the sandbox and real databases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.db import current_revision, head_revision
from connectors.fieldservice.models import IssueKind, SyncEntity
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.cli import main
from tasks.report_text import amount, moment
from tasks.report_text import amount as german_euro
from tests.support.builders import add_customer
from tests.support.databases import ThrowawayDatabases
from tests.tasks.invoicing.invoicing_builders import HAND_CHECKED_GROSS, seed_linked_work_report

# Words of the English status output that must not come back (the office reads it).
ENGLISH = re.compile(r"\b(linked|missing|runs?|changes|errors?|failed|invoices?|none|issues)\b")


@pytest.fixture(autouse=True)
def _under_prefect_harness(prefect_harness: None) -> None:
    """load_connection and the flows need a Prefect API: the session's temporary server."""


def contacts(sandbox: SandboxServer) -> list[str]:
    body = sandbox.client().get("/v1/contacts").json()
    return sorted(c["person"]["lastName"] for c in body["content"])


def test_sync_runs_the_full_sync_and_prints_the_report(
    sandbox: SandboxServer, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    add_customer(sessions, last_name="Voll", email="voll@example.de")
    assert main(["sync"]) == 0
    out = capsys.readouterr().out
    assert "# Vollständiger Abgleich – default" in out and "Keine Probleme." in out
    assert contacts(sandbox) == ["Voll"]


def test_sync_dry_run_of_one_entity_writes_nothing(
    sandbox: SandboxServer, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    add_customer(sessions, last_name="Probe", email="probe@example.de")
    assert main(["sync", "--entity", "customers", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "(Probelauf: nichts wurde geschrieben)" in out and "| Kunden |" in out
    assert "| Material (Produkte) |" not in out
    assert contacts(sandbox) == []


def test_sync_with_a_refused_record_exits_3_and_names_it(
    sandbox: SandboxServer, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    add_customer(sessions, last_name="Gut", email="gut@example.de")
    add_customer(sessions, last_name="Schlecht", email="kein-at-zeichen")
    assert main(["sync", "--entity", "customers"]) == 3  # done, with problems
    assert "Schlecht" in capsys.readouterr().out
    assert contacts(sandbox) == ["Gut"]


def test_sync_without_an_api_key_exits_2_with_a_clear_message(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("LEXOFFICE_API_KEY")
    assert main(["sync"]) == 2
    assert "LEXOFFICE_API_KEY" in capsys.readouterr().err


def test_sync_into_a_database_never_migrated_exits_2(
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LEXSYNC_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["sync"]) == 2
    assert "lexsync db upgrade" in capsys.readouterr().err


def test_unknown_entity_is_a_usage_error(sandbox: SandboxServer) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["sync", "--entity", "invoices"])
    assert exit_info.value.code == 2


def test_invoice_prints_the_result_and_refuses_a_second_invoice(
    sandbox: SandboxServer, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    seeded = seed_linked_work_report(sessions, sandbox.control)
    assert main(["invoice", str(seeded.work_report_id)]) == 0
    out = capsys.readouterr().out
    assert f"Arbeitsnachweis {seeded.work_report_id}: Rechnung jetzt erstellt" in out
    assert f"brutto {amount(HAND_CHECKED_GROSS)}" in out
    assert "brutto 1.008,15\xa0€" in out  # German digits, the sign kept with its number
    assert main(["invoice", str(seeded.work_report_id)]) == 2  # input error: nothing sent
    assert "schon in lexoffice abgerechnet" in capsys.readouterr().err


def test_status_shows_what_became_of_each_invoice_in_lexoffice(
    sandbox: SandboxServer, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    seeded = seed_linked_work_report(sessions, sandbox.control)
    main(["invoice", str(seeded.work_report_id)])
    [invoice] = (
        sandbox.client()
        .get("/v1/voucherlist", params={"voucherType": "invoice", "voucherStatus": "any"})
        .json()["content"]
    )
    sandbox.control.patch(f"/invoices/{invoice['id']}", json={"voucherStatus": "open"})
    sandbox.control.post(f"/payments/{invoice['id']}", json={"amount": 100})
    main(["sync"])  # reconciles through the voucherlist (no receiver here)
    capsys.readouterr()

    main(["status"])

    out = capsys.readouterr().out
    rest = german_euro(HAND_CHECKED_GROSS - 100)
    assert "Rechnungen, die lexsync erstellt hat (Stand in lexoffice):" in out, out
    assert f"Arbeitsnachweis {seeded.work_report_id}: RE0001 offen, Restbetrag {rest}" in out, out


def test_status_shows_links_runs_and_open_errors(
    sandbox: SandboxServer, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    good = ["Gut", "Froh"]
    bad = ["Schlecht"]  # lexoffice refuses an e-mail without @
    for name in good:
        add_customer(sessions, last_name=name, email=f"{name.lower()}@example.de")
    for name in bad:
        add_customer(sessions, last_name=name, email="kein-at-zeichen")
    main(["sync", "--entity", "customers"])
    capsys.readouterr()
    assert main(["status"]) == 3  # an open error
    out = capsys.readouterr().out
    # Each good customer was exported (one change each) and linked; each bad one failed.
    assert re.search(rf"\n  Kunden +{len(good)} verknüpft, davon 0 in lexoffice gelöscht", out)
    with sessions.begin() as session:
        [(run_id, last_change, changes)] = queries.recent_runs(session, 5)
    assert changes == len(good)
    assert f"  {moment(last_change)}  Lauf {run_id}: {len(good)} Änderungen\n" in out, out
    assert f"Offene Probleme: {len(bad)} Fehler, 0 Konflikte, 0 übersprungen" in out, out
    assert re.search(r"Letzter Bericht: .+ – default \(\d\d\.\d\d\.\d{4}, \d\d:\d\d\)", out)
    assert f"  {len(bad)} Datensatz mit Fehler, 0 Konflikte\n" in out, out
    for name in bad:
        assert re.search(rf"Fehler · Kunden: Kunde \d+ \([^)]*{name}\) · E-Mail: ", out), out
    assert not ENGLISH.findall(out), ENGLISH.findall(out)


def test_status_after_a_clean_run_with_an_open_conflict_exits_0(
    sandbox: SandboxServer, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    add_customer(sessions, last_name="Sauber", email="sauber@example.de")
    assert main(["sync"]) == 0  # the last report replaces any earlier one
    with sessions.begin() as session:
        queries.append_issues(
            session,
            [
                {
                    "run_id": "r1",
                    "entity": SyncEntity.PRODUCT,
                    "local_id": 7,
                    "record_label": "Kabel",
                    "field": "name",
                    "kind": IssueKind.CONFLICT,
                    "message": "auf beiden Seiten geändert",
                    "values": {"system": "Kabel blau", "lexoffice": "Kabel rot"},
                }
            ],
        )
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "Offene Probleme: 0 Fehler, 1 Konflikt, 0 übersprungen" in out, out
    line = "Konflikt · Material Kabel · Bezeichnung: auf beiden Seiten geändert"
    assert f"{line} (System: „Kabel blau“, lexoffice: „Kabel rot“)" in out, out
    assert "0 Datensätze mit Fehler, 0 Konflikte" in out and ": 1 Änderung\n" in out, out
    assert not ENGLISH.findall(out), ENGLISH.findall(out)


@pytest.mark.postgres
def test_db_upgrade_migrates_postgresql_to_head_once(
    postgres_databases: ThrowawayDatabases, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres_databases.create()
    try:
        assert main(["db", "upgrade", "--url", url]) == 0
        assert "migriert von (leer) auf" in capsys.readouterr().out
        assert current_revision(url) == head_revision()
        assert main(["db", "upgrade", "--url", url]) == 0
        assert "schon auf dem neuesten Schema" in capsys.readouterr().out
    finally:
        postgres_databases.drop(url)


def test_db_upgrade_migrates_the_default_connections_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("LEXSYNC_DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    assert current_revision(url) == head_revision()
