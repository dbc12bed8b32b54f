"""`lexsync up` starts the whole service with the sandbox; `lexsync down` stops it by pid."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from deployments.cli import main
from deployments.processes import is_alive

pytestmark = pytest.mark.slow
BLOCK = "lexsync-connection"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def recorded_pids(var: Path) -> dict[str, int]:
    return {path.stem: int(path.read_text()) for path in (var / "run").glob("*.pid")}


def test_up_starts_every_part_with_the_sandbox_and_down_stops_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("LEXOFFICE_API_KEY", "LEXOFFICE_BASE_URL", "LEXSYNC_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    var = tmp_path / "var"
    ports = {"prefect": free_port(), "sandbox": free_port(), "receiver": free_port()}
    argv = ["--var", str(var), "--port", str(ports["prefect"])]
    argv += ["--sandbox-port", str(ports["sandbox"]), "--receiver-port", str(ports["receiver"])]
    try:
        assert main(["up", *argv]) == 0, capsys.readouterr()
        out = capsys.readouterr().out
        ui = f"http://127.0.0.1:{ports['prefect']}"
        assert f"Prefect-UI: {ui}" in out
        pids = recorded_pids(var)
        assert {"prefect-server", "sandbox", "worker", "receiver"} <= set(pids)
        assert all(is_alive(pid) for pid in pids.values())
        assert httpx.get(f"{ui}/api/health", timeout=5).status_code == 200
        assert httpx.get(ui, timeout=5).status_code == 200  # the UI itself
        found = httpx.post(f"{ui}/api/deployments/filter", json={}, timeout=5).json()
        assert {"full-sync", "create-invoice"} <= {d["name"] for d in found}
        receiver = f"http://127.0.0.1:{ports['receiver']}/webhooks/lexoffice"
        assert httpx.head(receiver, timeout=5).status_code == 200
        key = (var / "sandbox.key").read_text().strip()
        subscriptions = httpx.get(
            f"http://127.0.0.1:{ports['sandbox']}/v1/event-subscriptions",
            headers={"Authorization": f"Bearer {key}"},
            timeout=5,
        ).json()["content"]
        assert {s["callbackUrl"] for s in subscriptions} == {receiver}
        assert "Demo-Betrieb angelegt" in out
        assert "Verbindungsblock default: angelegt" in out
        blocks = httpx.post(f"{ui}/api/block_documents/filter", json={}, timeout=5).json()
        assert "default" in {b["name"] for b in blocks if b["block_type"]["slug"] == BLOCK}
        assert key not in out
    finally:
        assert main(["down", "--var", str(var)]) == 0
    assert not any(is_alive(pid) for pid in pids.values())
    assert recorded_pids(var) == {}
    assert "prefect-server: gestoppt" in capsys.readouterr().out
