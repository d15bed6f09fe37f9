"""The printed recovery key: 128 random bits and a 32-bit checksum, in Crockford base32.

32 characters shown as eight groups of four (XXXX-XXXX-...). The checksum catches typing mistakes
before any key derivation runs; O/I/L are read as 0/1/1 because people confuse them on paper.
"""

from __future__ import annotations

import hashlib
import os

from notesdesk.core.errors import WrongPassphrase

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {ch: i for i, ch in enumerate(ALPHABET)} | {"O": 0, "I": 1, "L": 1}
KEY_BYTES = 16
CHECK_BYTES = 4
CHARS = (KEY_BYTES + CHECK_BYTES) * 8 // 5


def _checksum(key: bytes) -> bytes:
    return hashlib.sha256(b"notesdesk-recovery" + key).digest()[:CHECK_BYTES]


def new_recovery_secret() -> bytes:
    return os.urandom(KEY_BYTES)


def encode(secret: bytes) -> str:
    number = int.from_bytes(secret + _checksum(secret), "big")
    chars = [ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CHARS))]
    text = "".join(chars)
    return "-".join(text[i : i + 4] for i in range(0, CHARS, 4))


def decode(text: str) -> bytes:
    """Parse what a person typed; raise WrongPassphrase with a helpful line if it cannot be right."""
    cleaned = "".join(ch for ch in text.upper() if ch not in "- \t\r\n")
    if len(cleaned) != CHARS or any(ch not in _DECODE for ch in cleaned):
        raise WrongPassphrase(
            f"A recovery key has {CHARS} letters and digits in groups of four; please check it."
        )
    number = 0
    for ch in cleaned:
        number = (number << 5) | _DECODE[ch]
    raw = number.to_bytes(KEY_BYTES + CHECK_BYTES, "big")
    secret, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if _checksum(secret) != check:
        raise WrongPassphrase("That recovery key has a typing mistake; please check each group.")
    return secret
