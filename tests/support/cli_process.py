"""Running the `lexsync` command as an admin's shell does, and finding what it left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
LEXSYNC = [sys.executable, "-m", "deployments.cli"]
# What a shell of an admin without a Prefect server has: no PREFECT_API_URL, no test harness.
CLEARED = ("PREFECT_API_URL", "PREFECT_SERVER_API_PORT")


def cli_environment(home: Path, **extra: str) -> dict[str, str]:
    """os.environ without a Prefect server, with its own fresh PREFECT_HOME (a unique marker)."""
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    return env | {"PREFECT_HOME": str(home), "PYTHONUNBUFFERED": "1"} | extra


def processes_with_home(home: Path) -> list[int]:
    """Pids of live processes started with PREFECT_HOME=`home`: every descendant inherits it."""
    marker = f"PREFECT_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:
            continue
        if marker in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def run_piped(
    args: list[str], env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """`lexsync ARGS | cat`: returns only once nothing holds the pipe open any more."""
    command = " ".join([*LEXSYNC, *args]) + " | cat"
    return subprocess.run(
        ["sh", "-c", command],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
