"""One lexoffice organization of the test sandbox, as the fault suite drives it."""

from __future__ import annotations

from typing import Any

import httpx

from connectors.lexoffice.sandbox.server import SandboxServer


class Org:
    """One lexoffice organization of the sandbox: its control client and its API key."""

    def __init__(self, sandbox: SandboxServer, api_key: str | None = None) -> None:
        self.sandbox = sandbox
        self.api_key = api_key or sandbox.api_key
        headers = {"X-Sandbox-Api-Key": self.api_key}
        self.control = httpx.Client(base_url=str(sandbox.control.base_url), headers=headers)

    def client(self) -> httpx.Client:
        return self.sandbox.client(api_key=self.api_key)

    def seed(self, resource: str, records: list[dict[str, Any]]) -> list[str]:
        response = self.control.post(f"/seed/{resource}", json=records)
        response.raise_for_status()
        ids: list[str] = response.json()["ids"]
        return ids

    def requests(self) -> list[dict[str, Any]]:
        log: list[dict[str, Any]] = self.control.get("/requests").json()
        return log
