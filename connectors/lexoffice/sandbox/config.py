"""How a sandbox is set up: rate limit, organizations (one per API key), persistence, webhooks."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

# lexoffice's delivery schedule: 5 quick retries (10..160 s), then 20 retries 2 hours apart.
DEFAULT_RETRY_DELAYS: tuple[float, ...] = (10.0, 20.0, 40.0, 80.0, 160.0) + (7200.0,) * 20

TaxType = Literal["net", "gross", "vatfree"]


def generate_api_key() -> str:
    """A random API key for an organization nobody configured a key for."""
    return "sandbox-" + secrets.token_urlsafe(24)


@dataclass
class OrganizationConfig:
    """One lexoffice organization (tenant) as the profile endpoint describes it."""

    company_name: str = "Sandbox Handwerk GmbH"
    organization_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    tax_type: TaxType = "net"
    small_business: bool = False
    distance_sales_principle: str | None = "ORIGIN"
    business_features: list[str] = field(
        default_factory=lambda: ["INVOICING", "INVOICING_PRO", "BOOKKEEPING"]
    )
    connection_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    user_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    user_name: str = "Erika Mustermann"
    user_email: str = "erika.mustermann@example.org"

    def to_json(self) -> dict[str, Any]:
        """The organization as stored in the state file."""
        return {
            "companyName": self.company_name,
            "organizationId": self.organization_id,
            "taxType": self.tax_type,
            "smallBusiness": self.small_business,
            "distanceSalesPrinciple": self.distance_sales_principle,
            "businessFeatures": list(self.business_features),
            "connectionId": self.connection_id,
            "userId": self.user_id,
            "userName": self.user_name,
            "userEmail": self.user_email,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OrganizationConfig:
        """An organization read back from the state file or the control API."""
        defaults = cls()
        return cls(
            company_name=data.get("companyName", defaults.company_name),
            organization_id=data.get("organizationId", defaults.organization_id),
            tax_type=data.get("taxType", defaults.tax_type),
            small_business=bool(data.get("smallBusiness", False)),
            distance_sales_principle=data.get("distanceSalesPrinciple", "ORIGIN"),
            business_features=list(data.get("businessFeatures", defaults.business_features)),
            connection_id=data.get("connectionId", defaults.connection_id),
            user_id=data.get("userId", defaults.user_id),
            user_name=data.get("userName", defaults.user_name),
            user_email=data.get("userEmail", defaults.user_email),
        )


@dataclass
class SandboxConfig:
    """Settings of one sandbox process.

    `organizations` maps API key → organization. When it is empty, one organization is
    created for `api_key` (or for a generated key). The first entry is the default
    organization: the one `SandboxServer.api_key` returns and the control API uses when no
    `X-Sandbox-Api-Key` header is sent.
    """

    rps: float = 2.0
    burst: int = 2
    # Seconds every /v1 answer is held back, like a slow lexoffice (the requests still count
    # against the rate limit when they arrive). Benchmarks use it; 0 answers at once.
    latency_seconds: float = 0.0
    organizations: dict[str, OrganizationConfig] = field(default_factory=dict)
    api_key: str | None = None
    state_file: Path | None = None
    # Webhook delivery: retry delays in seconds (lexoffice's by default), all multiplied by
    # `webhook_delay_scale` so tests can run the whole schedule in milliseconds.
    webhook_retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS
    webhook_delay_scale: float = 1.0
    webhook_timeout: float = 5.0
    # Probability that a successful delivery is sent a second time (at-least-once semantics).
    webhook_duplicate_rate: float = 0.0
    # lexoffice only accepts https callback URLs. Local receivers cannot present a trusted
    # certificate, so plain http is accepted when the host is a loopback address.
    allow_http_loopback_callbacks: bool = True
    head_check_timeout: float = 5.0
    rsa_key_size: int = 4096
    seed_demo: bool = False
    persist_interval: float = 1.0
    # True when nobody chose the default key: a state file may then bring its own.
    key_generated: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        if not self.organizations:
            self.key_generated = self.api_key is None
            key = self.api_key or generate_api_key()
            self.organizations = {key: OrganizationConfig()}
        if self.api_key is None:
            self.api_key = next(iter(self.organizations))
        elif self.api_key not in self.organizations:
            self.organizations = {self.api_key: OrganizationConfig(), **self.organizations}

    @property
    def default_api_key(self) -> str:
        """The API key of the default organization."""
        assert self.api_key is not None
        return self.api_key
