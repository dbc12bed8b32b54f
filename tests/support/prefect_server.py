"""A real Prefect server (own home, port and database) and a process worker, for tests that
deploy from prefect.yaml the way an admin does."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings

PROJECT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).with_name("prefect"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def prefect_env(tmp_path: Path) -> dict[str, str]:
    """Environment of a separate Prefect installation: its own home, server URL and worker pace."""
    port = free_port()
    return os.environ | {
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_WORKER_HEARTBEAT_SECONDS": "5",
        "PREFECT_LOGGING_LEVEL": "INFO",
    }


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(command, env=env, cwd=PROJECT, stdout=handle, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def prefect_server(prefect_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    url = prefect_env["PREFECT_API_URL"]
    port = prefect_env["PREFECT_SERVER_API_PORT"]
    server = start(
        [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", port],
        prefect_env,
        tmp_path / "server.log",
    )
    try:
        wait_healthy(url, server, tmp_path / "server.log")
        yield url
    finally:
        stop(server)


def wait_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"prefect server exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("prefect server did not become healthy")


def run_cli(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [PREFECT, *args], env=env, cwd=PROJECT, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def awaited(url: str, name: str, log: Path, **parameters: Any) -> FlowRun:
    """Runs deployment `name` through the API and waits for it; fails with the worker's log."""
    with temporary_settings({PREFECT_API_URL: url}):
        run = cast(FlowRun, run_deployment(name, parameters=parameters, timeout=240))
    assert run.state is not None and run.state.is_completed(), log.read_text()[-4000:]
    return run


def deployments(url: str) -> list[Any]:
    async def read() -> list[Any]:
        async with get_client() as client:
            return list(await client.read_deployments())

    with temporary_settings({PREFECT_API_URL: url}):
        return asyncio.run(read())
