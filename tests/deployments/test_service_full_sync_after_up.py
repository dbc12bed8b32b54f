"""`make up`, then the `full-sync` deployment through the Prefect API: it completes.

Right after `up` the first full sync writes the demo customers to the sandbox, the sandbox
sends their webhooks to the receiver, and `customer-events` runs write the same SQLite
database while the full sync is still writing (the "database is locked" case of issue 14).
Each trial is a fresh `up` (own var/, ports, Prefect home); LEXSYNC_UP_TRIALS=5 repeats it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

import httpx
import pytest
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings

from deployments.cli import main
from deployments.processes import is_alive
from tests.support.prefect_server import free_port

pytestmark = pytest.mark.slow
TRIALS = int(os.environ.get("LEXSYNC_UP_TRIALS", "1"))


def recorded_pids(var: Path) -> list[int]:
    return [int(path.read_text()) for path in (var / "run").glob("*.pid")]


@pytest.mark.parametrize("trial", range(TRIALS))
def test_full_sync_deployment_right_after_up_completes(
    trial: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LEXOFFICE_API_KEY", "LEXOFFICE_BASE_URL", "LEXSYNC_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    var = tmp_path / "var"
    port = free_port()
    argv = ["--var", str(var), "--port", str(port)]
    argv += ["--sandbox-port", str(free_port()), "--receiver-port", str(free_port())]
    api = f"http://127.0.0.1:{port}/api"
    try:
        assert main(["up", *argv]) == 0
        with temporary_settings({PREFECT_API_URL: api}):
            run = cast(FlowRun, run_deployment("full-sync/full-sync", timeout=600))
        assert run.state is not None, "no state"
        assert run.state.is_completed(), (run.state, _tail(var / "log" / "worker.log"))
        assert _failed_runs(api) == []  # the webhook runs beside it did not fail either
    finally:
        pids = recorded_pids(var)
        assert main(["down", "--var", str(var)]) == 0
    assert not any(is_alive(pid) for pid in pids)


def _failed_runs(api: str) -> list[str]:
    """Flow runs on the service's server that failed: the full sync's and the receiver's."""
    body = {"flow_runs": {"state": {"type": {"any_": ["FAILED", "CRASHED"]}}}}
    runs = httpx.post(f"{api}/flow_runs/filter", json=body, timeout=10).json()
    return [f"{run['name']}: {run['state']['message']}" for run in runs]


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:] if log.exists() else "(no worker log)"
