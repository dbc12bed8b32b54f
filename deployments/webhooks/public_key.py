"""Where the receiver's copy of lexoffice's webhook public key comes from.

Without `--public-key` / `LEXSYNC_WEBHOOK_PUBLIC_KEY` (a PEM path or URL, used as given):
1. the copy cached on disk by an earlier start (`LEXSYNC_WEBHOOK_KEY_CACHE`, default
   `~/.cache/lexsync/lexoffice_public_key.pub`);
2. else the key Lexware publishes (`LEXOFFICE_PUBLIC_KEY_URL`), fetched once and cached;
3. else the copy pinned in the package (`keys/lexoffice_public_key.pub`, placed with
   `make webhook-key` where the URL is reachable), so an offline host still starts;
4. else `PublicKeyError`, naming all three places and what to do.

`python -m deployments.webhooks.public_key` fetches the published key into the pinned file
and prints its SHA-256 fingerprint (compare it with a second source before committing).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from deployments.webhooks.config import LEXOFFICE_PUBLIC_KEY_URL, PINNED_KEY_PATH
from deployments.webhooks.signature import PublicKeyError, load_public_key, parse_public_key

log = logging.getLogger("lexsync.webhooks")

CACHE_ENV = "LEXSYNC_WEBHOOK_KEY_CACHE"
FETCH_TIMEOUT_SECONDS = 10.0


def default_cache_path() -> Path:
    """`$LEXSYNC_WEBHOOK_KEY_CACHE`, else the user's cache folder (XDG)."""
    if configured := os.environ.get(CACHE_ENV):
        return Path(configured)
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache_home) / "lexsync" / "lexoffice_public_key.pub"


@dataclass(frozen=True)
class KeySources:
    """The published URL, the on-disk cache and the pinned package copy, tried in that order
    (the cache first: once fetched, the key is not fetched again)."""

    url: str = LEXOFFICE_PUBLIC_KEY_URL
    cache: Path = field(default_factory=default_cache_path)
    pinned: Path = PINNED_KEY_PATH


def receiver_public_key(
    explicit: str | None, sources: KeySources | None = None
) -> rsa.RSAPublicKey:
    """The key the receiver checks signatures with: `explicit` as given, else the chain."""
    if explicit:
        return load_public_key(explicit)
    return published_public_key(sources or KeySources())


def published_public_key(sources: KeySources) -> rsa.RSAPublicKey:
    """Lexware's key from the cache, the URL (then cached) or the pinned copy."""
    cached = _valid_file(sources.cache)
    if cached is not None:
        return cached
    fetch_failure = ""
    try:
        pem = fetch_pem(sources.url)
        key = parse_public_key(pem, sources.url)
    except PublicKeyError as error:
        fetch_failure = str(error)
    else:
        _warn_if_not_the_pinned_key(key, sources.pinned)
        _write_cache(sources.cache, pem)
        return key
    pinned = _valid_file(sources.pinned)
    if pinned is not None:
        return pinned
    raise PublicKeyError(
        f"lexoffices Webhook-Schlüssel ist nicht verfügbar: {fetch_failure}; keine gespeicherte "
        f"Kopie unter {sources.cache} und keine mitgelieferte unter {sources.pinned}. Auf einem "
        f"Rechner, der {sources.url} erreicht, `make webhook-key` ausführen (oder die Datei an "
        f"einen dieser Orte legen), oder den Empfänger mit --public-key PFAD starten."
    )


def _warn_if_not_the_pinned_key(fetched: rsa.RSAPublicKey, pinned_path: Path) -> None:
    """A published key that differs from the pinned copy is used (Lexware may have rotated it),
    but said out loud: the admin compares and refreshes the pinned copy."""
    pinned = _valid_file(pinned_path)
    if pinned is None or fingerprint(pinned) == fingerprint(fetched):
        return
    log.warning(
        "the published webhook key (SHA-256 %s) differs from the pinned copy (SHA-256 %s): "
        "if Lexware rotated its key, refresh the pinned copy with `make webhook-key`",
        fingerprint(fetched),
        fingerprint(pinned),
    )


def fetch_pem(url: str) -> bytes:
    """The key file at `url` (PublicKeyError when it cannot be had)."""
    try:
        response = httpx.get(url, timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as error:
        reason = str(error) or type(error).__name__
        raise PublicKeyError(f"nicht abrufbar von {url} ({reason})") from None
    return response.content


def fingerprint(key: rsa.RSAPublicKey) -> str:
    """SHA-256 of the key's DER encoding, as `openssl pkey -pubin -outform DER | sha256sum`."""
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def _valid_file(path: Path) -> rsa.RSAPublicKey | None:
    """The key in `path`, or None when it is missing or not a usable key (then skipped)."""
    try:
        return parse_public_key(path.read_bytes(), str(path))
    except (OSError, PublicKeyError):
        return None


def _write_cache(path: Path, pem: bytes) -> None:
    """Atomically, so a second receiver starting at the same time never reads half a file.

    A cache that cannot be written only costs a fetch at the next start.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as temporary:
            temporary.write(pem)
        os.chmod(temporary.name, 0o644)
        os.replace(temporary.name, path)
    except OSError:
        return


def pin(sources: KeySources | None = None) -> str:
    """Fetch the published key into the pinned package copy; returns its fingerprint."""
    sources = sources or KeySources()
    pem = fetch_pem(sources.url)
    key = parse_public_key(pem, sources.url)
    sources.pinned.write_bytes(pem)
    return fingerprint(key)


def main() -> int:
    try:
        print(f"pinned {PINNED_KEY_PATH.name}, SHA-256 {pin()}")
    except (PublicKeyError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
