"""The webhook signing key: RSA, signatures RSA-SHA512 with PKCS#1 v1.5 padding, base64."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# Generating a 4096-bit key costs ~0.3 s; a test session starts many sandboxes, so keys
# generated (never loaded) are shared within one process. Nothing is ever written to disk
# except into the configured state file.
_GENERATED: dict[int, rsa.RSAPrivateKey] = {}


class Signer:
    """Signs webhook bodies the way lexoffice does (`X-Lxo-Signature`)."""

    def __init__(self, private_pem: str | None = None, key_size: int = 4096) -> None:
        if private_pem:
            loaded = serialization.load_pem_private_key(private_pem.encode(), password=None)
            if not isinstance(loaded, rsa.RSAPrivateKey):
                raise ValueError("the state file's webhook key is not an RSA key")
            self.key = loaded
        else:
            if key_size not in _GENERATED:
                _GENERATED[key_size] = rsa.generate_private_key(65537, key_size)
            self.key = _GENERATED[key_size]

    def sign(self, body: bytes) -> str:
        """base64(RSA-SHA512 signature over the exact body bytes)."""
        signature = self.key.sign(body, padding.PKCS1v15(), hashes.SHA512())
        return base64.b64encode(signature).decode("ascii")

    def public_pem(self) -> bytes:
        """The public key as PEM (what /webhookSignature/public/public_key.pub serves)."""
        return self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def private_pem(self) -> str:
        """The private key as unencrypted PEM, for the state file only."""
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")
