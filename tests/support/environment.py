"""Pointing the embedded default connection (environment variables) at a test sandbox."""

from __future__ import annotations

import pytest

from connectors.lexoffice.sandbox.server import SandboxServer


def use_as_default_connection(
    monkeypatch: pytest.MonkeyPatch, sandbox: SandboxServer, database_url: str
) -> SandboxServer:
    """An emptied sandbox and `database_url` become the "default" connection of this test."""
    sandbox.control.post("/reset").raise_for_status()
    monkeypatch.setenv("LEXOFFICE_API_KEY", sandbox.api_key)
    monkeypatch.setenv("LEXOFFICE_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("LEXOFFICE_RATE_PER_SECOND", "90")
    monkeypatch.setenv("LEXSYNC_DATABASE_URL", database_url)
    return sandbox
