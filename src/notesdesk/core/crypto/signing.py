"""Ed25519 signatures for signed notes, verifiable by anyone holding the public key."""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

RAW = serialization.Encoding.Raw


def new_private_key_bytes() -> bytes:
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def public_key_bytes(private_key: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private_key).public_key().public_bytes(
        RAW, serialization.PublicFormat.Raw
    )


def sign(private_key: bytes, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private_key).sign(message)


def verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(public_key: bytes) -> str:
    """A short, readable fingerprint for printouts: SHA-256 of the raw key, 16 hex groups of 4."""
    digest = hashlib.sha256(public_key).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))
