"""lexoffice's webhook signature: `X-Lxo-Signature` = base64(RSA-SHA512, PKCS#1 v1.5) over the
exact body bytes. Checked against the raw request body, never a re-serialised dict (key order,
spacing and umlaut escaping would change the bytes)."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


class PublicKeyError(RuntimeError):
    """lexoffice's public key could not be loaded: the receiver must not start."""


def load_public_key(source: str) -> rsa.RSAPublicKey:
    """The RSA public key from a PEM file path or an http(s) URL (fetched once, now)."""
    pem = _fetch(source) if source.startswith(("http://", "https://")) else _read(source)
    return parse_public_key(pem, source)


def parse_public_key(pem: bytes, source: str) -> rsa.RSAPublicKey:
    """The RSA public key in `pem` (read from `source`, named in the error)."""
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError:
        raise PublicKeyError(f"{source} ist kein öffentlicher Schlüssel im PEM-Format") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise PublicKeyError(f"{source} ist kein öffentlicher RSA-Schlüssel")
    return key


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise PublicKeyError(f"kein Webhook-Schlüssel unter {path} ({error.strerror})") from None


def _fetch(url: str) -> bytes:
    try:
        response = httpx.get(url, timeout=10.0, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise PublicKeyError(
            f"Webhook-Schlüssel nicht abrufbar von {url} ({type(error).__name__})"
        ) from None
    return response.content


def signature_valid(key: rsa.RSAPublicKey, body: bytes, header: str | None) -> bool:
    """Whether `header` is lexoffice's signature of exactly these body bytes."""
    if not header:
        return False
    try:
        signature = base64.b64decode(header.strip(), validate=True)
        key.verify(signature, body, padding.PKCS1v15(), hashes.SHA512())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
