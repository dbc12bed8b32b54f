"""Background processes of `lexsync up`: recorded by pid, stopped by pid, stubborn ones too."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from deployments.processes import is_alive, log_file, pid_file, running, start, stop

# Ignores the first SIGTERM like a busy Prefect worker, exits on the second.
STUBBORN = """
import signal, time
terms = []
def on_term(*_):
    terms.append(1)
    print(f"SIGTERM {len(terms)}", flush=True)
    if len(terms) == 2:
        raise SystemExit(0)
signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
while True:
    time.sleep(0.05)
"""


def started(var: Path, name: str, code: str) -> int:
    process = start(name, [sys.executable, "-c", code], os.environ, var, var)
    deadline = time.monotonic() + 20
    while "ready" not in log_file(var, name).read_text():
        assert time.monotonic() < deadline and process.poll() is None, "did not start"
        time.sleep(0.05)
    return process.pid


def test_a_started_process_is_recorded_by_pid_and_logs_to_var_log(tmp_path: Path) -> None:
    pid = started(tmp_path, "sleeper", "print('ready', flush=True)\nimport time; time.sleep(60)")
    try:
        assert pid_file(tmp_path, "sleeper").read_text().strip() == str(pid)
        assert running(tmp_path) == {"sleeper": pid}
    finally:
        assert stop(tmp_path, "sleeper", term_wait=5)
    assert not is_alive(pid)
    assert not pid_file(tmp_path, "sleeper").exists()
    assert running(tmp_path) == {}


def test_a_process_that_ignores_the_first_sigterm_gets_a_second(tmp_path: Path) -> None:
    pid = started(tmp_path, "worker", STUBBORN)
    assert stop(tmp_path, "worker", term_wait=1.0)
    assert not is_alive(pid)
    assert "SIGTERM 2" in log_file(tmp_path, "worker").read_text()


def test_stopping_what_is_not_running_says_so_and_cleans_up(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    pid_file(tmp_path, "gone").write_text("999999999\n")
    assert not stop(tmp_path, "gone")
    assert not pid_file(tmp_path, "gone").exists()
