"""The sync benchmark's processes: a sandbox to talk to, and one sync run to measure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.benchmarks.bench_sync_worker import RESULT_PREFIX

REPO = Path(__file__).resolve().parents[2]
WORKER = [sys.executable, "-m", "tests.benchmarks.bench_sync_worker"]


@dataclass
class SandboxProcess:
    """The sandbox in a child process; state survives a restart through its state file."""

    process: subprocess.Popen[str]
    base_url: str
    control: httpx.Client

    @classmethod
    def start(
        cls, rate: float, api_key: str, state_file: Path, latency: float = 0.0
    ) -> SandboxProcess:
        command = [*WORKER, "sandbox", "--rps", str(rate), "--api-key", api_key]
        command += ["--latency", str(latency)]
        process = subprocess.Popen(
            [*command, "--state-file", str(state_file)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            process.wait(timeout=30)
            raise RuntimeError(f"the sandbox did not start (exit {process.returncode})")
        base_url = json.loads(line)["base_url"]
        control = httpx.Client(base_url=f"{base_url}/_sandbox", timeout=300.0)
        return cls(process, base_url, control)

    def stop(self) -> None:
        """Close its stdin (it then stops and writes its state file) and wait for it."""
        self.control.close()
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.terminate()  # only the process we started, by its handle
            self.process.wait(timeout=30)


def run_sync_process(
    env: dict[str, str], profile: Path | None = None, gc_freeze: bool = False
) -> dict[str, Any]:
    """One full sync in a fresh process; its `RESULT` line as a dict."""
    options = [] if profile is None else ["--profile", str(profile)]
    options += ["--gc-freeze"] if gc_freeze else []
    completed = subprocess.run(
        [*WORKER, "sync", *options],
        cwd=REPO,
        env=os.environ | env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line.removeprefix(RESULT_PREFIX))
            return result
    raise RuntimeError(f"the sync process printed no result (exit {completed.returncode})")
