"""The receiver's settings and where lexoffice's webhook public key comes from.

lexoffice publishes the key that signs its callbacks at `LEXOFFICE_PUBLIC_KEY_URL`; the
receiver fetches it once and caches it, with a copy pinned in the package as the fallback
(`public_key.py`), unless `--public-key` / `LEXSYNC_WEBHOOK_PUBLIC_KEY` names a path or URL.
Without a key the receiver does not start: accepting unsigned events would let anyone
trigger syncs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

LEXOFFICE_PUBLIC_KEY_URL = "https://developers.lexware.io/webhookSignature/public/public_key.pub"
PUBLIC_KEY_ENV = "LEXSYNC_WEBHOOK_PUBLIC_KEY"
# The package's pinned copy of the published key (`make webhook-key` refreshes it).
PINNED_KEY_PATH = Path(__file__).with_name("keys") / "lexoffice_public_key.pub"
CALLBACK_PATH = "/webhooks/lexoffice"
DEPLOYMENT = "customer-events/customer-events"


def configured_public_key() -> str | None:
    """The key source the environment names, if any (else the published key is used)."""
    return os.environ.get(PUBLIC_KEY_ENV) or None


@dataclass(frozen=True)
class ReceiverSettings:
    """How the receiver behaves; the defaults suit lexoffice's limits."""

    # The name of the one connection of `build_receiver(connection_block=...)`.
    connection: str = "default"
    # The connections served; empty: every active connection (the embedded default if none).
    connections: tuple[str, ...] = ()
    # A PEM file path or an http(s) URL; None: $LEXSYNC_WEBHOOK_PUBLIC_KEY, else the published
    # key (cached, with the pinned copy as fallback).
    public_key: str | None = None
    # lexoffice's bodies are ~150 bytes; anything near this limit is not from lexoffice.
    max_body_bytes: int = 16 * 1024
    # A burst is collected until no event came for `quiet_seconds`, at most `max_delay_seconds`.
    quiet_seconds: float = 1.0
    max_delay_seconds: float = 10.0
    # Contacts per flow run: 500 changed contacts become 5 runs, not 500.
    batch_size: int = 100
    # A batch whose run never finished is handed out again after this long.
    redispatch_after_seconds: float = 900.0
    # How often the dispatcher looks for leftovers without being woken (restarts, failed runs).
    idle_check_seconds: float = 60.0
    # A connection's settings (which events it wants) are re-read at most this often while
    # events arrive: a switched import takes effect within it (following.py says why).
    settings_ttl_seconds: float = 5.0
    deployment: str = DEPLOYMENT

    def key_source(self) -> str | None:
        return self.public_key or configured_public_key()
