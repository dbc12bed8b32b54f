"""Settings of one lexoffice connection (one company's lexoffice account)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr

DEFAULT_BASE_URL = "https://api.lexware.io"


def default_pacing_dir() -> Path:
    """Where the file pacing store keeps its slot files unless told otherwise."""
    return Path(tempfile.gettempdir()) / "lexsync-pacing"


def default_read_timeout() -> float:
    """35 s, or LEXSYNC_LEXOFFICE_READ_TIMEOUT seconds when set."""
    return float(os.environ.get("LEXSYNC_LEXOFFICE_READ_TIMEOUT") or 35.0)


class LexofficeSettings(BaseModel):
    """Everything a `LexofficeClient` needs to talk to one lexoffice account.

    The API key is a `SecretStr`: it shows as `**********` in repr, str and dumps.
    """

    model_config = ConfigDict(frozen=True)

    api_key: SecretStr
    base_url: str = DEFAULT_BASE_URL
    connect_timeout: float = Field(default=5.0, gt=0)
    # lexoffice's gateway gives up after 30 s (504), so wait a little longer than that.
    # LEXSYNC_LEXOFFICE_READ_TIMEOUT overrides it (the fault suite makes timeouts real).
    read_timeout: float = Field(default_factory=lambda: default_read_timeout(), gt=0)
    rate_per_second: float = Field(default=2.0, gt=0)
    # Network jitter can bunch requests that left us exactly 1 s apart; keep a margin.
    pacing_margin_seconds: float = Field(default=0.05, ge=0)
    pacing_dir: Path = Field(default_factory=default_pacing_dir)
    # When set, pacing is shared through Redis (several machines) instead of a local file.
    pacing_redis_url: str | None = None
    # All attempts and waits of one request stay within this budget. lexoffice answers 429
    # when a client is too fast and only asks it to wait: at least a minute is ridden out.
    retry_budget_seconds: float = Field(default=90.0, ge=0)
    # A guard against a server that keeps asking to retry at once (Retry-After: 0).
    max_attempts: int = Field(default=100, ge=1)
    backoff_base_seconds: float = Field(default=0.5, ge=0)
    backoff_cap_seconds: float = Field(default=8.0, ge=0)

    @property
    def api_root(self) -> str:
        """The base URL without a trailing slash."""
        return self.base_url.rstrip("/")

    def key_fingerprint(self) -> str:
        """A stable, non-reversible name for this API key (pacing files, Redis keys)."""
        material = f"{self.api_root}\n{self.api_key.get_secret_value()}".encode()
        return hashlib.sha256(material).hexdigest()[:24]
