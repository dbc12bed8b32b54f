"""Fixtures for the lexoffice client tests: a sandbox over loopback and a client pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.settings import LexofficeSettings

SeedFn = Callable[[str, list[dict[str, Any]]], list[str]]
RequestsFn = Callable[..., list[dict[str, Any]]]
FaultFn = Callable[..., None]


def start_sandbox(rps: float, burst: int = 2) -> Any:
    """A `SandboxServer` (not yet entered) with the given rate limit."""
    from connectors.lexoffice.sandbox.config import SandboxConfig
    from connectors.lexoffice.sandbox.server import SandboxServer

    return SandboxServer(SandboxConfig(rps=rps, burst=burst))


@pytest.fixture(scope="module")
def lex_sandbox_server() -> Iterator[Any]:
    """One fast sandbox (50 requests/s) per test module."""
    with start_sandbox(rps=50.0) as server:
        yield server


@pytest.fixture
def lex_sandbox(lex_sandbox_server: Any) -> Any:
    """The module's sandbox, emptied: no records, no faults, an empty request log."""
    control: httpx.Client = lex_sandbox_server.control
    control.post("/reset").raise_for_status()
    control.delete("/faults")
    control.delete("/requests").raise_for_status()
    return lex_sandbox_server


def sandbox_settings(sandbox: Any, pacing_dir: Path, **overrides: Any) -> LexofficeSettings:
    """Settings for a client of `sandbox`: fast pacing and backoff unless overridden."""
    values: dict[str, Any] = {
        "api_key": SecretStr(sandbox.api_key),
        "base_url": sandbox.base_url,
        "pacing_dir": pacing_dir,
        "rate_per_second": 40.0,
        "pacing_margin_seconds": 0.005,
        "read_timeout": 2.0,
        "backoff_base_seconds": 0.01,
        "backoff_cap_seconds": 0.05,
    }
    return LexofficeSettings(**(values | overrides))


@pytest.fixture
def lex_settings(lex_sandbox: Any, tmp_path: Path) -> LexofficeSettings:
    return sandbox_settings(lex_sandbox, tmp_path / "pacing")


@pytest.fixture
def make_settings(lex_sandbox: Any, tmp_path: Path) -> Callable[..., LexofficeSettings]:
    """Settings for the sandbox with some values overridden."""

    def make(**overrides: Any) -> LexofficeSettings:
        return sandbox_settings(lex_sandbox, tmp_path / "pacing", **overrides)

    return make


@pytest.fixture
def real_rate_sandbox() -> Iterator[Any]:
    """A sandbox limited like lexoffice: 2 requests/s per key (burst 2)."""
    with start_sandbox(rps=2.0, burst=2) as server:
        yield server


@pytest.fixture
def lex_client(lex_settings: LexofficeSettings) -> Iterator[LexofficeClient]:
    """A client whose HTTP seam reaches the sandbox over loopback."""
    timeout = httpx.Timeout(lex_settings.read_timeout, connect=lex_settings.connect_timeout)
    with httpx.Client(timeout=timeout) as http, LexofficeClient(lex_settings, http) as client:
        yield client


@pytest.fixture
def seed(lex_sandbox: Any) -> SeedFn:
    """Create records as a lexoffice user would (rules of the API not applied); returns ids."""

    def seed_records(resource: str, records: list[dict[str, Any]]) -> list[str]:
        response = lex_sandbox.control.post(f"/seed/{resource}", json=records)
        response.raise_for_status()
        return _ids(response.json())

    return seed_records


def _ids(body: Any) -> list[str]:
    if isinstance(body, dict):
        body = body.get("ids", body.get("content", []))
    return [item if isinstance(item, str) else item["id"] for item in body]


@pytest.fixture
def sandbox_requests(lex_sandbox: Any) -> RequestsFn:
    """The sandbox's request log, optionally only one method and path (prefix)."""

    def entries(method: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
        response = lex_sandbox.control.get("/requests")
        response.raise_for_status()
        body = response.json()
        log = body if isinstance(body, list) else body.get("requests", body.get("entries", []))
        return [
            entry
            for entry in log
            if (method is None or entry["method"] == method)
            and (path is None or entry["path"].startswith(path))
        ]

    return entries


@pytest.fixture
def inject_fault(lex_sandbox: Any) -> FaultFn:
    """Arm a sandbox fault: `inject_fault("POST", "/v1/contacts", "504", count=1)`."""

    def arm(method: str, path: str, fault: str, count: int = 1, **extra: Any) -> None:
        spec = {"method": method, "path": path, "fault": fault, "count": count, **extra}
        lex_sandbox.control.post("/faults", json=spec).raise_for_status()

    return arm
