"""Background processes the local service starts: pid files, logs, and stopping by pid.

Each process leads its own session (process group), so stopping it by its pid also stops
what it spawned (the Prefect server runs uvicorn, a worker runs flow-run processes).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

# A Prefect worker needed a second SIGTERM (or ~15 s) to stop (shared prefect-notes).
TERM_WAIT_SECONDS = 10.0
KILL_WAIT_SECONDS = 5.0


class StartError(RuntimeError):
    """A process exited or did not answer in time; the message (German, for the admin
    reading `lexsync up`) names its log."""


def pid_file(var: Path, name: str) -> Path:
    return var / "run" / f"{name}.pid"


def log_file(var: Path, name: str) -> Path:
    return var / "log" / f"{name}.log"


def start(
    name: str, command: Sequence[str], env: Mapping[str, str], var: Path, cwd: Path
) -> subprocess.Popen[bytes]:
    """Start `command` in the background, output to var/log/NAME.log, pid to var/run/NAME.pid."""
    for folder in ("run", "log"):
        (var / folder).mkdir(parents=True, exist_ok=True)
    with log_file(var, name).open("ab") as log:
        process = subprocess.Popen(
            list(command),
            env=dict(env),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    pid_file(var, name).write_text(f"{process.pid}\n")
    return process


def wait_http(
    name: str, url: str, process: subprocess.Popen[bytes], var: Path, timeout: float
) -> None:
    """Wait until `url` answers below 500; fail early if the process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StartError(
                f"{name} hat sich beendet (Exit-Code {process.returncode}); "
                f"siehe {log_file(var, name)}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.5)
    raise StartError(
        f"{name} antwortet nach {timeout:.0f} s nicht unter {url}; siehe {log_file(var, name)}"
    )


def running(var: Path) -> dict[str, int]:
    """name → pid of every recorded process that is still alive."""
    found = {}
    for path in sorted((var / "run").glob("*.pid")):
        pid = _read_pid(path)
        if pid is not None and is_alive(pid):
            found[path.stem] = pid
    return found


def stop(var: Path, name: str, term_wait: float = TERM_WAIT_SECONDS) -> bool:
    """Stop the recorded process NAME and its group: SIGTERM, again, then SIGKILL.

    Waits `term_wait` seconds after each SIGTERM. Returns whether it was running; the pid
    file is removed either way.
    """
    path = pid_file(var, name)
    pid = _read_pid(path)
    was_running = pid is not None and is_alive(pid)
    if pid is not None and was_running:
        for sig, wait in (
            (signal.SIGTERM, term_wait),
            (signal.SIGTERM, term_wait),
            (signal.SIGKILL, KILL_WAIT_SECONDS),
        ):
            _signal_group(pid, sig)
            if _wait_gone(pid, wait):
                break
    path.unlink(missing_ok=True)
    return was_running


def is_alive(pid: int) -> bool:
    """Whether pid runs (a zombie left by a parent that did not wait counts as gone)."""
    _reap(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _state(pid) != "Z"


def _signal_group(pid: int, sig: signal.Signals) -> None:
    # The pid leads its own group (start_new_session); fall back to the pid alone.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            os.kill(pid, sig)


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not is_alive(pid):
            return True
        time.sleep(0.2)
    return not is_alive(pid)


def _reap(pid: int) -> None:
    # Only our own children can be reaped; for anything else this does nothing.
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[0]


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None
