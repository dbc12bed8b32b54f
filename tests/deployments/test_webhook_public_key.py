"""lexoffice's webhook key: fetched once from the published URL and cached, a pinned copy when
offline, and a clear error naming every place when there is neither."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from deployments.webhooks.config import PINNED_KEY_PATH
from deployments.webhooks.public_key import (
    KeySources,
    fingerprint,
    pin,
    published_public_key,
    receiver_public_key,
)
from deployments.webhooks.signature import PublicKeyError

KEY_PATH = "/webhookSignature/public/public_key.pub"
# The SHA-256 (DER) of Lexware's key as pinned in the package; keys/README.md says where it
# came from. A changed pinned file must be a deliberate change of this line too.
PINNED_FINGERPRINT = "6a42debdf6c613137f8da76b231711c93c3b4fc2dc0e7a2998e08c7f479f80b1"


def _pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class KeyServer:
    """A local stand-in for developers.lexware.io, counting the key downloads."""

    body: bytes
    url: str = ""
    downloads: list[str] = field(default_factory=list)


@pytest.fixture
def key_server() -> Iterator[KeyServer]:
    served = KeyServer(_pem(_new_key()))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.downloads.append(self.path)
            found = self.path == KEY_PATH
            self.send_response(200 if found else 404)
            self.end_headers()
            self.wfile.write(served.body if found else b"not here")

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.url = f"http://127.0.0.1:{server.server_port}{KEY_PATH}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _unreachable_url() -> str:
    """A loopback port nobody listens on (bound, then closed): offline, at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{KEY_PATH}"


def _same(key: rsa.RSAPublicKey, pem: bytes) -> bool:
    loaded = serialization.load_pem_public_key(pem)
    assert isinstance(loaded, rsa.RSAPublicKey)
    return fingerprint(key) == fingerprint(loaded)


def test_published_key_is_fetched_once_then_read_from_the_cache(
    key_server: KeyServer, tmp_path: Path
) -> None:
    sources = KeySources(key_server.url, tmp_path / "cache" / "key.pub", tmp_path / "pinned.pub")

    first = published_public_key(sources)
    second = published_public_key(sources)

    assert _same(first, key_server.body) and _same(second, key_server.body)
    assert key_server.downloads == [KEY_PATH]
    assert sources.cache.read_bytes() == key_server.body


def test_cached_key_serves_an_offline_start(key_server: KeyServer, tmp_path: Path) -> None:
    online = KeySources(key_server.url, tmp_path / "key.pub", tmp_path / "pinned.pub")
    published_public_key(online)

    key = published_public_key(KeySources(_unreachable_url(), online.cache, online.pinned))

    assert _same(key, key_server.body)


def test_offline_without_cache_falls_back_to_the_pinned_copy(tmp_path: Path) -> None:
    pinned = tmp_path / "pinned.pub"
    pinned.write_bytes(_pem(_new_key()))
    sources = KeySources(_unreachable_url(), tmp_path / "cache.pub", pinned)

    key = published_public_key(sources)

    assert _same(key, pinned.read_bytes())
    assert not sources.cache.exists()


def test_a_page_that_is_not_a_key_is_never_cached(key_server: KeyServer, tmp_path: Path) -> None:
    key_server.body = b"<html>Wartungsarbeiten</html>"
    pinned = tmp_path / "pinned.pub"
    pinned.write_bytes(_pem(_new_key()))
    sources = KeySources(key_server.url, tmp_path / "cache.pub", pinned)

    key = published_public_key(sources)

    assert _same(key, pinned.read_bytes())
    assert not sources.cache.exists()


def test_neither_url_nor_copies_is_a_clear_error_naming_each_place(tmp_path: Path) -> None:
    sources = KeySources(_unreachable_url(), tmp_path / "cache.pub", tmp_path / "pinned.pub")

    with pytest.raises(PublicKeyError) as raised:
        published_public_key(sources)

    message = str(raised.value)
    assert sources.url in message and str(sources.cache) in message
    assert str(sources.pinned) in message and "make webhook-key" in message
    assert "Traceback" not in message


def test_an_explicit_key_file_wins_over_the_published_key(
    key_server: KeyServer, tmp_path: Path
) -> None:
    explicit = tmp_path / "mine.pub"
    explicit.write_bytes(_pem(_new_key()))
    sources = KeySources(key_server.url, tmp_path / "cache.pub", tmp_path / "pinned.pub")

    key = receiver_public_key(str(explicit), sources)

    assert _same(key, explicit.read_bytes())
    assert key_server.downloads == []


def test_pin_writes_the_published_key_into_the_package_copy(
    key_server: KeyServer, tmp_path: Path
) -> None:
    sources = KeySources(key_server.url, tmp_path / "cache.pub", tmp_path / "pinned.pub")

    printed = pin(sources)

    assert sources.pinned.read_bytes() == key_server.body
    assert printed == fingerprint(published_public_key(sources))


def test_the_package_pins_lexwares_4096_bit_key() -> None:
    pinned = serialization.load_pem_public_key(PINNED_KEY_PATH.read_bytes())

    assert isinstance(pinned, rsa.RSAPublicKey) and pinned.key_size == 4096
    assert fingerprint(pinned) == PINNED_FINGERPRINT


def test_an_offline_first_start_uses_the_packaged_key(tmp_path: Path) -> None:
    sources = KeySources(_unreachable_url(), tmp_path / "cache.pub")

    key = published_public_key(sources)

    assert fingerprint(key) == PINNED_FINGERPRINT


def test_a_published_key_unlike_the_pinned_copy_is_used_and_named(
    key_server: KeyServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pinned = tmp_path / "pinned.pub"
    pinned.write_bytes(_pem(_new_key()))
    sources = KeySources(key_server.url, tmp_path / "cache.pub", pinned)

    with caplog.at_level(logging.WARNING, logger="lexsync.webhooks"):
        key = published_public_key(sources)

    assert _same(key, key_server.body)
    assert fingerprint(key) in caplog.text and "make webhook-key" in caplog.text


def test_a_published_key_equal_to_the_pinned_copy_warns_nothing(
    key_server: KeyServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pinned = tmp_path / "pinned.pub"
    pinned.write_bytes(key_server.body)
    sources = KeySources(key_server.url, tmp_path / "cache.pub", pinned)

    with caplog.at_level(logging.WARNING, logger="lexsync.webhooks"):
        published_public_key(sources)

    assert caplog.records == []
