"""VAPID key pairs (RFC 8292) for Web Push: pure functions over ``cryptography``."""

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class KeyPair:
    # The raw private number (32 bytes), base64url: what pywebpush reads as a key.
    private: str
    # The uncompressed public point (65 bytes), base64url: the browser's applicationServerKey.
    public: str


def key_pair(private_key: ec.EllipticCurvePrivateKey | None = None) -> KeyPair:
    key = private_key or ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return KeyPair(private=b64url(private), public=b64url(public))
