"""`lexsync demo` twice: the first run seeds and syncs, the second finds nothing to do and says
why that is the point."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from deployments import demo_summary
from deployments.cli import main
from tasks.report import Problem, RunReport
from tasks.resources import dispose_engines

DEMO_ENVIRONMENT = (
    "LEXOFFICE_API_KEY",
    "LEXOFFICE_BASE_URL",
    "LEXOFFICE_RATE_PER_SECOND",
    "LEXSYNC_DATABASE_URL",
)


@pytest.fixture(autouse=True)
def _under_prefect_harness(prefect_harness: None) -> None:
    """The demo's flows need a Prefect API: the session's temporary server."""


@pytest.fixture
def demo_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working directory of its own; the variables the demo sets are restored afterwards."""
    monkeypatch.chdir(tmp_path)
    for name in DEMO_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    yield tmp_path
    dispose_engines()


@pytest.mark.slow
def test_second_demo_changes_nothing_and_says_why(
    demo_folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["demo", "--rps", "500"]) == 0
    first = capsys.readouterr().out
    for name in DEMO_ENVIRONMENT:  # as a second `make demo` starts: a fresh environment
        monkeypatch.delenv(name, raising=False)

    assert main(["demo", "--rps", "500"]) == 0
    second = capsys.readouterr().out

    assert "Erster Lauf:" in first and "Nichts geändert" not in first
    assert "(Stand des letzten Demo-Laufs)" in second
    assert "Nichts geändert: kein Datensatz neu oder geändert" in second
    assert "Genau das ist der Sinn" in second
    # Only the "unverändert" column: no count of writes in either direction.
    assert "**Aus dem System nach lexoffice**\n\n| Daten | unverändert |\n" in second


@pytest.mark.slow
def test_fresh_demo_seeds_again(demo_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (demo_folder / "var").mkdir()
    (demo_folder / "var" / "demo-sandbox.json").write_text("{}")  # a repeat, but for --fresh
    (demo_folder / "var" / "demo.db").write_bytes(b"")

    assert main(["demo", "--rps", "500", "--fresh"]) == 0

    assert "Erster Lauf:" in capsys.readouterr().out


def test_repeated_run_with_writes_does_not_claim_nothing_changed() -> None:
    report = RunReport("Full sync of default")
    report.section("customers", "system → lexoffice").count("updated", 2)
    report.section("customers", "system → lexoffice").add_problem(
        Problem("error", "Kunde 3", "keine gültige E-Mail-Adresse")
    )
    log = [{"method": "GET"}, {"method": "PUT"}, {"method": "PUT"}]

    said = demo_summary.repeated_run(report, log)

    assert "Nichts geändert" not in said
    assert "2 Datensätze angelegt oder geändert, 2 schreibende und 1 lesende" in said
    assert "Die 1 Probleme stehen weiter im Bericht" in said
