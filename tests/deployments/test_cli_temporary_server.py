"""Without PREFECT_API_URL a command starts one temporary Prefect server and leaves nothing.

Each run gets a fresh PREFECT_HOME (the migration-race case); every process a command starts
inherits that PREFECT_HOME, so /proc tells exactly which of them are still alive.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from prefect import flow, tags
from prefect.artifacts import create_progress_artifact

from connectors.fieldservice.db import migrate
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.cli_progress import newest_progress
from tests.support.cli_process import (
    LEXSYNC,
    PROJECT,
    cli_environment,
    processes_with_home,
    run_piped,
)

RUNS = int(os.environ.get("LEXSYNC_FRESH_HOME_RUNS", "10"))


@pytest.fixture
def sandbox_env(sandbox_server: SandboxServer, tmp_path: Path) -> dict[str, str]:
    sandbox_server.control.post("/reset").raise_for_status()
    url = f"sqlite:///{tmp_path / 'system.db'}"
    migrate(url)
    return {
        "LEXOFFICE_API_KEY": sandbox_server.api_key,
        "LEXOFFICE_BASE_URL": sandbox_server.base_url,
        "LEXOFFICE_RATE_PER_SECOND": "90",
        "LEXSYNC_DATABASE_URL": url,
    }


@pytest.mark.slow
@pytest.mark.timeout(RUNS * 150)  # each run starts a server on a fresh home: ≈20-50 s here
def test_consecutive_syncs_on_fresh_homes_succeed_end_and_leave_no_process(
    sandbox_env: dict[str, str], tmp_path: Path
) -> None:
    outcomes = []
    for number in range(RUNS):
        home = tmp_path / f"prefect-home-{number}"
        done = run_piped(["sync"], cli_environment(home, **sandbox_env), timeout=240)
        outcomes.append((done.returncode, processes_with_home(home)))
        assert done.returncode == 0, done.stderr[-3000:]
        assert "# Vollständiger Abgleich – default" in done.stdout, done.stdout
        assert "Error logging to API" not in done.stderr
    assert outcomes == [(0, [])] * RUNS


def start_receiver(sandbox_env: dict[str, str], home: Path, stderr: int) -> subprocess.Popen[str]:
    """`lexsync receiver` on a free port, with the sandbox's webhook key, output piped."""
    key_url = sandbox_env["LEXOFFICE_BASE_URL"] + "/webhookSignature/public/public_key.pub"
    return subprocess.Popen(
        [*LEXSYNC, "receiver", "--port", "0", "--public-key", key_url],
        env=cli_environment(home, **sandbox_env),
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )


@pytest.fixture
def receiver(sandbox_env: dict[str, str], tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    home = tmp_path / "prefect-home"
    process = start_receiver(sandbox_env, home, subprocess.STDOUT)
    process.home = home  # type: ignore[attr-defined]
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_receiver_stopped_by_a_signal_stops_its_temporary_server(
    receiver: subprocess.Popen[str], stop_signal: signal.Signals
) -> None:
    assert receiver.stdout is not None
    # Printed once the temporary server is up and the app is built.
    started = _line_with("Webhook-Empfänger für", receiver.stdout)
    assert "Webhook-Empfänger für default" in started, started
    assert "in diesem Prozess" in started, started
    home: Path = receiver.home  # type: ignore[attr-defined]
    assert len(processes_with_home(home)) >= 2  # the receiver and its temporary server
    # The signal goes to a receiver that serves: uvicorn says so once it listens.
    serving = _line_with("Uvicorn running on", receiver.stdout)
    assert "Uvicorn running on" in serving, serving
    receiver.send_signal(stop_signal)
    assert receiver.wait(timeout=60) in (0, 130)
    assert _gone_soon(home) == []


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_receiver_interrupted_while_it_starts_exits_130_and_leaves_nothing(
    sandbox_env: dict[str, str], tmp_path: Path, stop_signal: signal.Signals
) -> None:
    """The signal comes while uvicorn starts: its log goes to a full pipe, so the receiver
    waits writing uvicorn's first line ("Started server process", after uvicorn took over
    the signals, before it starts the app and binds the port) until the test reads, after
    sending the signal."""
    home = tmp_path / "prefect-home"
    log_read, log_write = os.pipe()
    _fill(log_write)
    process = start_receiver(sandbox_env, home, log_write)
    os.close(log_write)
    try:
        assert process.stdout is not None
        starting = _line_with("Webhook-Empfänger für", process.stdout)  # it says it starts
        assert "Webhook-Empfänger für default" in starting, starting
        assert _waits_writing_to_a_pipe(process.pid)
        process.send_signal(stop_signal)
        with os.fdopen(log_read, errors="replace") as log:  # reading lets it go on
            stderr = log.read().lstrip("x")
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    assert code == 130, stderr
    assert "abgebrochen" in stderr and "Traceback" not in stderr, stderr
    assert "Uvicorn running on" not in stderr, stderr  # it never listened
    assert _gone_soon(home) == []


def _waits_writing_to_a_pipe(pid: int) -> bool:
    """Whether the process's main thread comes to wait in the kernel's pipe write."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "pipe_write" in Path(f"/proc/{pid}/wchan").read_text():
            return True
        time.sleep(0.01)
    return False


def _fill(pipe_write_end: int) -> None:
    """Fills the pipe, so that the next write to it waits until someone reads."""
    # A second open of the pipe, non-blocking for the test; the receiver's end still blocks.
    filler = os.open(f"/proc/self/fd/{pipe_write_end}", os.O_WRONLY | os.O_NONBLOCK)
    try:
        for chunk in (b"x" * 4096, b"x"):
            with contextlib.suppress(BlockingIOError):
                while True:
                    os.write(filler, chunk)
    finally:
        os.close(filler)


def _line_with(text: str, stream: IO[str]) -> str:
    seen = []
    for line in stream:
        seen.append(line)
        if text in line:
            return line
    return "".join(seen)


def _gone_soon(home: Path) -> list[int]:
    # The server's group gets SIGTERM before the receiver exits; reaping can lag a moment.
    deadline = time.monotonic() + 5
    while (left := processes_with_home(home)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@flow
def _progressing(percent: float) -> None:
    create_progress_artifact(percent, description=f"{percent:g} %")


def test_the_progress_bar_follows_its_own_run_not_the_newest_one(prefect_harness: None) -> None:
    with tags("lexsync-cli-mine"):
        _progressing(40.0)
    with tags("lexsync-cli-other"):
        _progressing(90.0)  # newer, another command's run (another company's, say)
    mine = newest_progress("lexsync-cli-mine")
    assert mine is not None and float(mine.data) == 40.0
    assert newest_progress("lexsync-cli-nobody") is None


@pytest.mark.slow
def test_sync_terminated_while_its_server_starts_leaves_nothing(
    sandbox_env: dict[str, str], tmp_path: Path
) -> None:
    home = tmp_path / "prefect-home"
    sync = subprocess.Popen(
        [*LEXSYNC, "sync"],
        env=cli_environment(home, **sandbox_env),
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while len(processes_with_home(home)) < 2:  # the command and its temporary server
            assert sync.poll() is None, sync.communicate()[1]
            time.sleep(0.05)
        sync.terminate()
        _, err = sync.communicate(timeout=60)
    finally:
        if sync.poll() is None:
            sync.kill()
    assert sync.returncode == 130, err
    assert "abgebrochen" in err and "Traceback" not in err
    assert _gone_soon(home) == []
