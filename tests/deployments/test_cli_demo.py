"""`lexsync demo`, the README's main job, through its entry point as `make demo` runs it.

The first run seeds both sides and syncs them; the second syncs the same data again (the demo
keeps var/demo.db and the sandbox's state), so it must say that nothing changed and leave the
database as the first left it. No process of either run may outlive it (its temporary Prefect
server included).
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.sandbox import wait_until

pytestmark = pytest.mark.slow

LEXSYNC = Path(sys.executable).with_name("lexsync")
REPORT_ROW = re.compile(r"^\| .* \|$", re.MULTILINE)


def demo_environment(prefect_home: Path) -> dict[str, str]:
    """This environment without lexoffice, lexsync or Prefect settings, as on a fresh machine."""
    ours = ("LEXOFFICE_", "LEXSYNC_", "PREFECT_")
    env = {name: value for name, value in os.environ.items() if not name.startswith(ours)}
    return env | {
        "PREFECT_HOME": str(prefect_home),
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }


def processes_with(marker: str) -> list[int]:
    """Pids of the processes whose environment holds `marker` (started by a demo run)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def run_demo(workdir: Path, prefect_home: Path) -> subprocess.CompletedProcess[str]:
    """`lexsync demo` in `workdir`; afterwards no process it started may be left."""
    env = demo_environment(prefect_home)
    command = [str(LEXSYNC), "demo", "--rps", "100"]
    try:
        return subprocess.run(
            command, cwd=workdir, env=env, capture_output=True, text=True, timeout=600
        )
    finally:
        try:
            wait_until(lambda: not processes_with(str(prefect_home)), timeout=20)
        finally:
            for pid in processes_with(str(prefect_home)):  # left behind: stop it, then fail
                os.kill(pid, signal.SIGKILL)


def table_counts(database: Path) -> dict[str, int]:
    """Rows per table of the demo database (links, journal and projects among them)."""
    tables = ("customers", "products", "activities", "lexoffice_links", "projects", "sync_journal")
    with sqlite3.connect(database) as db:
        return {
            table: db.execute(f"select count(*) from {table}").fetchone()[0] for table in tables
        }


def test_demo_syncs_prints_the_report_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    prefect_home = tmp_path / "prefect-home"

    first = run_demo(tmp_path, prefect_home)
    after_first = table_counts(tmp_path / "var" / "demo.db")
    second = run_demo(tmp_path, prefect_home)

    # Wording is the report's business (and German for people); the shape is checked here:
    # exit 0 (done without problems), a titled report with its table; then nothing to do.
    assert first.returncode == 0, first.stdout + first.stderr
    assert re.search(r"^# \S", first.stdout, re.MULTILINE), first.stdout
    rows = REPORT_ROW.findall(first.stdout)
    assert len(rows) > 2 and any(re.search(r"\| [1-9]\d* \|", row) for row in rows), rows
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(r"^# \S", second.stdout, re.MULTILINE), second.stdout
    assert "Nichts geändert" in second.stdout, second.stdout
    assert table_counts(tmp_path / "var" / "demo.db") == after_first
    assert after_first["customers"] > 0 and after_first["lexoffice_links"] > 0
