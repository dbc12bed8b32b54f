"""Fixtures for the sandbox tests: a sandbox over loopback and a webhook receiver."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from connectors.lexoffice.sandbox import SandboxConfig, SandboxServer
from tests.support.sandbox import WebhookReceiver


@pytest.fixture(scope="module")
def sandbox_server() -> Iterator[SandboxServer]:
    """One sandbox per test module, effectively without rate limit; webhook retries 1000× faster."""
    config = SandboxConfig(rps=10_000.0, burst=10_000, webhook_delay_scale=0.001)
    with SandboxServer(config) as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> SandboxServer:
    """The module's sandbox, emptied (records, subscriptions, faults, logs)."""
    sandbox_server.control.post("/reset", params={"all": "true"}).raise_for_status()
    return sandbox_server


@pytest.fixture
def api(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """An httpx client with the default organization's bearer key."""
    with sandbox.client(timeout=10.0) as client:
        yield client


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    hook = WebhookReceiver()
    yield hook
    hook.close()
