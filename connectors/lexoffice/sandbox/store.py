"""The sandbox's state: one store per organization, and its JSON persistence.

All access happens on the server's event loop, so a handler that does not `await` between
reading and writing a record is atomic; no locks are needed.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import OrganizationConfig, SandboxConfig

# `payments`: invoice id → {"items": [...]}, the payments booked on it (routes/payments.py).
COLLECTIONS = (
    "contacts",
    "articles",
    "invoices",
    "order-confirmations",
    "delivery-notes",
    "payments",
)
VOUCHER_COLLECTIONS = ("invoices", "order-confirmations", "delivery-notes")

# Number ranges as lexoffice assigns them: customers 10001…, vendors 70001…,
# invoices RE0001…, order confirmations AB0001…, delivery notes LS0001….
FIRST_NUMBER = {"customer": 10001, "vendor": 70001}
VOUCHER_PREFIX = {"invoices": "RE", "order-confirmations": "AB", "delivery-notes": "LS"}


@dataclass
class OrgStore:
    """Everything one organization owns."""

    api_key: str
    config: OrganizationConfig
    records: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {name: {} for name in COLLECTIONS}
    )
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    @property
    def organization_id(self) -> str:
        return self.config.organization_id

    def collection(self, name: str) -> dict[str, dict[str, Any]]:
        """The records of one resource type, by id."""
        return self.records[name]

    def reset(self) -> None:
        """Forget every record, subscription and number range."""
        self.records = {name: {} for name in COLLECTIONS}
        self.subscriptions = {}
        self.counters = {}

    def next_role_number(self, role: str) -> int:
        """The next customer or vendor number."""
        number = self.counters.get(role, FIRST_NUMBER[role])
        self.counters[role] = number + 1
        return number

    def claim_role_number(self, role: str, number: int) -> None:
        """Keep the number range ahead of a number a user typed in."""
        if number >= self.counters.get(role, FIRST_NUMBER[role]):
            self.counters[role] = number + 1

    def next_voucher_number(self, collection: str) -> str:
        """The next voucher number of a voucher type, e.g. RE0001."""
        number = self.counters.get(collection, 1)
        self.counters[collection] = number + 1
        return f"{VOUCHER_PREFIX[collection]}{number:04d}"

    def claim_voucher_number(self, collection: str, voucher_number: str) -> None:
        """Keep the voucher number range ahead of a seeded voucher number."""
        match = re.fullmatch(rf"{VOUCHER_PREFIX[collection]}(\d+)", voucher_number or "")
        if match and int(match.group(1)) >= self.counters.get(collection, 1):
            self.counters[collection] = int(match.group(1)) + 1

    def to_json(self) -> dict[str, Any]:
        return {
            "apiKey": self.api_key,
            "organization": self.config.to_json(),
            "records": self.records,
            "subscriptions": self.subscriptions,
            "counters": self.counters,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OrgStore:
        store = cls(data["apiKey"], OrganizationConfig.from_json(data["organization"]))
        for name in COLLECTIONS:
            store.records[name] = dict(data.get("records", {}).get(name, {}))
        store.subscriptions = dict(data.get("subscriptions", {}))
        store.counters = dict(data.get("counters", {}))
        return store


class Store:
    """All organizations of the sandbox, keyed by API key, plus persistence."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.orgs: dict[str, OrgStore] = {
            key: OrgStore(key, org) for key, org in config.organizations.items()
        }
        self.default_key = config.default_api_key
        self.private_key_pem: str | None = None
        self.pending_webhooks: list[dict[str, Any]] = []
        self.dirty = False

    def org(self, api_key: str | None) -> OrgStore | None:
        """The organization an API key belongs to, or None for an unknown key."""
        return self.orgs.get(api_key) if api_key else None

    @property
    def default(self) -> OrgStore:
        return self.orgs[self.default_key]

    def add_org(self, api_key: str, config: OrganizationConfig) -> OrgStore:
        """Register another organization (multi-tenant setups)."""
        self.orgs[api_key] = OrgStore(api_key, config)
        self.dirty = True
        return self.orgs[api_key]

    def snapshot(self) -> dict[str, Any]:
        return {
            "format": 1,
            "defaultApiKey": self.default_key,
            "organizations": [org.to_json() for org in self.orgs.values()],
            "privateKeyPem": self.private_key_pem,
            "pendingWebhooks": self.pending_webhooks,
        }

    def load(self, data: dict[str, Any]) -> None:
        """Take over a state file's organizations, keeping configured keys authoritative."""
        loaded = [OrgStore.from_json(item) for item in data.get("organizations", [])]
        if self.config.key_generated and data.get("defaultApiKey"):
            self.orgs.pop(self.default_key, None)
            self.default_key = data["defaultApiKey"]
        for org in loaded:
            configured = self.config.organizations.get(org.api_key)
            if configured is not None and not self.config.key_generated:
                org.config = configured
            self.orgs[org.api_key] = org
        if self.default_key not in self.orgs:
            self.orgs[self.default_key] = OrgStore(self.default_key, OrganizationConfig())
        self.private_key_pem = data.get("privateKeyPem")
        self.pending_webhooks = list(data.get("pendingWebhooks", []))


def read_state(path: Path) -> dict[str, Any] | None:
    """The state file's content, or None when there is none yet."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write_state(path: Path, snapshot: dict[str, Any]) -> None:
    """Write the state atomically (a crash never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(snapshot, handle, ensure_ascii=False, separators=(",", ":"))
    os.chmod(temporary, 0o600)  # it holds API keys and the webhook signing key
    temporary.replace(path)
