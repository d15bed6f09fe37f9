"""Ed25519 signatures for signed notes, verifiable by anyone holding the public key."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

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


# Below this many signatures one thread does them all: starting a second costs more than it saves.
PARALLEL_FROM = 256


def verify_many(public_key: bytes, claims: Sequence[tuple[bytes, bytes]], workers: int = 2) -> list[bool]:
    """verify() of each (signature, message), in order. Ed25519 verification in `cryptography` runs
    without the interpreter lock, so the pairs are split over `workers` threads: `verify` checks
    every signed note's signature, and on two cores that takes about half as long (bench/RESULTS.md)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError:
        return [False] * len(claims)

    def check(part: Sequence[tuple[bytes, bytes]]) -> list[bool]:
        results = []
        for signature, message in part:
            try:
                key.verify(signature, message)
            except (InvalidSignature, ValueError):
                results.append(False)
            else:
                results.append(True)
        return results

    if workers < 2 or len(claims) < PARALLEL_FROM:
        return check(claims)
    size = -(-len(claims) // workers)
    parts = [claims[i : i + size] for i in range(0, len(claims), size)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [ok for part in pool.map(check, parts) for ok in part]


def fingerprint(public_key: bytes) -> str:
    """A short, readable fingerprint for printouts: SHA-256 of the raw key, 16 hex groups of 4."""
    digest = hashlib.sha256(public_key).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))
