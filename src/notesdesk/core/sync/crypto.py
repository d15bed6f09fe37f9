"""The practice's keys and what they seal: the practice data key wrapped for each clinician's X25519 key
(and for the practice recovery key), rows sealed for the server, each device's signed push log, and
the fingerprints compared out of band (docs/design-notes.md §9)."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from notesdesk.core.crypto import signing
from notesdesk.core.crypto.cipher import pad, unpad
from notesdesk.core.crypto.encoding import lp
from notesdesk.core.crypto.keys import hkdf

PRACTICE_KEY_LEN = 32
KEY_VERSION = 1
RECOVERY = "recovery"
"""The recipient name of the practice key's copy wrapped for the practice recovery key."""
CLINICIAN = "clinician"
SUPERVISOR = "supervisor"
ROLES = (CLINICIAN, SUPERVISOR)
_RAW = serialization.Encoding.Raw
GENESIS = b"\x00" * 32  # the "previous" of a log's first push, and of the first key rotation


class SyncRefused(Exception):
    """A wrapped key, sealed row or signed log entry fails its check. Callers say which, in one line."""


def new_practice_key() -> bytes:
    return os.urandom(PRACTICE_KEY_LEN)


def new_x25519_private() -> bytes:
    return X25519PrivateKey.generate().private_bytes(
        _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def x25519_public(private: bytes) -> bytes:
    return (
        X25519PrivateKey.from_private_bytes(private)
        .public_key()
        .public_bytes(_RAW, serialization.PublicFormat.Raw)
    )


def _wrap_ad(practice_id: str, recipient: str, version: int) -> bytes:
    return lp("nd-sync-wrap", 1, practice_id, recipient, version)


def _box(public: bytes, secret: bytes, ad: bytes) -> bytes:
    """The sealed-box pattern: an ephemeral X25519 key agreed with the recipient's, HKDF, AES-GCM."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    kek = hkdf(shared, ephemeral_public + public, "sync-wrap")
    nonce = os.urandom(12)
    return ephemeral_public + nonce + AESGCM(kek).encrypt(nonce, secret, ad)


def _unbox(private: bytes, wrapped: bytes, ad: bytes) -> bytes:
    if len(wrapped) != 32 + 12 + PRACTICE_KEY_LEN + 16:
        raise SyncRefused("malformed wrapped key")
    me = X25519PrivateKey.from_private_bytes(private)
    public = me.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    shared = me.exchange(X25519PublicKey.from_public_bytes(wrapped[:32]))
    kek = hkdf(shared, wrapped[:32] + public, "sync-wrap")
    try:
        return AESGCM(kek).decrypt(wrapped[32:44], wrapped[44:], ad)
    except InvalidTag as exc:
        raise SyncRefused("the wrapped key does not open") from exc


def wrap_for(
    public: bytes, practice_key: bytes, practice_id: str, recipient: str, version: int = KEY_VERSION
) -> bytes:
    return _box(public, practice_key, _wrap_ad(practice_id, recipient, version))


def unwrap_with(
    private: bytes, wrapped: bytes, practice_id: str, recipient: str, version: int = KEY_VERSION
) -> bytes:
    return _unbox(private, wrapped, _wrap_ad(practice_id, recipient, version))


# -- per-client keys (core/sync/access.py) ---------------------------------------------------------


@dataclass(frozen=True)
class ClientKeyAddress:
    """One client key's copy for one recipient: everything here is bound into the wrap and its
    certificate, so a copy moved to another client, key or recipient no longer opens."""

    practice_id: str
    client_id: str
    key_id: str
    recipient: str
    role: str = CLINICIAN  # or SUPERVISOR: reads and co-signs, writes nothing else

    def ad(self) -> bytes:
        return lp(
            "nd-sync-client-wrap", 1, self.practice_id, self.client_id, self.key_id, self.recipient, self.role
        )


def wrap_client_key(public: bytes, client_key: bytes, at: ClientKeyAddress) -> bytes:
    return _box(public, client_key, at.ad())


def unwrap_client_key(private: bytes, wrapped: bytes, at: ClientKeyAddress) -> bytes:
    return _unbox(private, wrapped, at.ad())


def client_key_certificate(practice_key: bytes, at: ClientKeyAddress, wrapped: bytes) -> bytes:
    """A MAC under the practice key: only a member can hand out a client key, never the server (which
    could otherwise wrap a key of its own and read what a clinician then seals under it)."""
    key = hkdf(practice_key, at.practice_id.encode(), "sync-client-key-certificate")
    return hmac.new(key, lp(at.ad(), hashlib.sha256(wrapped).digest()), hashlib.sha256).digest()


def recovery_certificate(practice_key: bytes, practice_id: str, recovery_public: bytes) -> bytes:
    """A MAC under the practice key over the recovery key's public half as the server lists it."""
    key = hkdf(practice_key, practice_id.encode(), "sync-recovery-certificate")
    return hmac.new(key, lp("nd-sync-recovery", 1, practice_id, recovery_public), hashlib.sha256).digest()


def x25519_private_from_secret(secret: bytes) -> bytes:
    """The practice recovery key's X25519 key, derived from the printed secret (crypto/recovery.py)."""
    return X25519PrivateKey.from_private_bytes(hkdf(secret, b"", "sync-recovery")).private_bytes(
        _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def practice_fingerprint(practice_key: bytes, practice_id: str) -> str:
    """Printed by `practice init`, required by `practice join`: names the key without revealing it."""
    return signing.fingerprint(hkdf(practice_key, practice_id.encode(), "sync-fingerprint"))


@dataclass(frozen=True)
class DeviceKeys:
    """A device's public keys as the server lists them: its log-signing key, its clinician's X25519
    key and the key that signs the clinician's notes."""

    device_id: str
    clinician_id: str
    sign_public: bytes
    x25519_public: bytes
    note_public: bytes
    # Not part of the statement: for a device removed from the practice, the last push of its log that
    # counts and that push's hash, as certified under a rotated practice key (core/sync/roster.py);
    # None for a member's.
    pushes_until: int | None = None
    last_push_hash: bytes = GENESIS

    def statement(self, practice_id: str) -> bytes:
        return lp(
            "nd-sync-device",
            1,
            practice_id,
            self.device_id,
            self.clinician_id,
            self.sign_public,
            self.x25519_public,
            self.note_public,
        )

    def fingerprint(self, practice_id: str) -> str:
        """Printed by `practice join`, required by `practice add-clinician`: compared out of band."""
        return signing.fingerprint(self.statement(practice_id))

    def certificate(self, practice_key: bytes, practice_id: str) -> bytes:
        """A MAC under the practice key: only a member can vouch for a device, never the server."""
        key = hkdf(practice_key, practice_id.encode(), "sync-roster")
        return hmac.new(key, self.statement(practice_id), hashlib.sha256).digest()

    def removal_certificate(
        self, practice_key: bytes, practice_id: str, last_push: int, last_hash: bytes
    ) -> bytes:
        """A MAC under a rotated practice key: the device was removed after push `last_push` (whose hash
        is `last_hash`, so the server cannot fill that number in later), so its earlier pushes keep
        verifying and any later one (an operator's) is refused."""
        key = hkdf(practice_key, practice_id.encode(), "sync-roster")
        message = lp(self.statement(practice_id), "removed-after", last_push, last_hash)
        return hmac.new(key, message, hashlib.sha256).digest()

    def certified(self, certificate: bytes | None, practice_key: bytes, practice_id: str) -> bool:
        return certificate is not None and hmac.compare_digest(
            certificate, self.certificate(practice_key, practice_id)
        )


def normal_fingerprint(text: str) -> str:
    """A fingerprint as typed (any case, spaces or none) in the printed form."""
    digits = "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


# -- rows sealed for the server ------------------------------------------------------------------


@dataclass(frozen=True)
class RowAddress:
    """Where a sealed row belongs; all of it is bound into the seal, and all of it is what the
    server sees in clear."""

    table: str
    row_id: str
    rev: int
    device_id: str
    device_seq: int
    client_id: str = ""  # empty: sealed under the practice key (the first slice's rows)
    key_id: str = ""  # which of the client's keys (core/sync/access.py)


def _row_ad(practice_id: str, at: RowAddress) -> bytes:
    if not at.client_id:
        return lp("nd-sync-row", 1, practice_id, at.table, at.row_id, at.rev, at.device_id, at.device_seq)
    return lp(
        "nd-sync-row",
        2,
        practice_id,
        at.table,
        at.row_id,
        at.rev,
        at.device_id,
        at.device_seq,
        at.client_id,
        at.key_id,
    )


def _row_key(key: bytes, practice_id: str, at: RowAddress) -> bytes:
    if not at.client_id:
        return hkdf(key, practice_id.encode(), "sync-rows")
    return hkdf(key, lp(practice_id, at.client_id, at.key_id), "sync-client-rows")


def _row_format(at: RowAddress) -> int:
    return 2 if at.client_id else 1


def seal_row(
    key: bytes, practice_id: str, at: RowAddress, payload: bytes, version: int = KEY_VERSION
) -> bytes:
    """Padded to 256-byte buckets like the vault's own seals, under a key derived from the row's client
    key (or, for a row of no client, the practice key), never the vault's. Callers go through
    access.seal, which picks the key."""
    nonce = os.urandom(12)
    return (
        bytes((_row_format(at), version))
        + nonce
        + AESGCM(_row_key(key, practice_id, at)).encrypt(nonce, pad(payload), _row_ad(practice_id, at))
    )


def sealed_version(sealed: bytes) -> int:
    """The practice key version a row of no client is sealed under (its second byte)."""
    return sealed[1] if len(sealed) > 1 else 0


RowCiphers = dict[tuple[bytes, str, str, str], AESGCM]
"""The row ciphers one pull has made, by (key, practice, client, key id): each client key's row key is
derived once a pull, not once a row (an HKDF a row was a tenth of a new device's first pull). Kept by
the pull that made it and dropped with it, never beyond."""


def _row_cipher(key: bytes, practice_id: str, at: RowAddress, ciphers: RowCiphers | None) -> AESGCM:
    if ciphers is None:
        return AESGCM(_row_key(key, practice_id, at))
    name = (key, practice_id, at.client_id, at.key_id)
    found = ciphers.get(name)
    if found is None:
        found = ciphers[name] = AESGCM(_row_key(key, practice_id, at))
    return found


def open_row(
    key: bytes,
    practice_id: str,
    at: RowAddress,
    sealed: bytes,
    version: int = KEY_VERSION,
    ciphers: RowCiphers | None = None,
) -> bytes:
    """`ciphers`: the row ciphers made so far in this pull (made here once each)."""
    if len(sealed) < 2 + 12 + 16 or sealed[0] != _row_format(at) or sealed[1] != version:
        raise SyncRefused("malformed sealed row")
    cipher = _row_cipher(key, practice_id, at, ciphers)
    try:
        return unpad(cipher.decrypt(sealed[2:14], sealed[14:], _row_ad(practice_id, at)))
    except InvalidTag as exc:
        raise SyncRefused("a sealed row fails its check") from exc
    except Exception as exc:  # unpad's SealBroken: the same verdict
        raise SyncRefused("a sealed row is malformed") from exc


# -- the per-device signed log -------------------------------------------------------------------


def entries_digest(rows: list[tuple[RowAddress, bytes]]) -> bytes:
    # A row's client and key are in the signed digest, so a server that files a row under another
    # client (to hide it from the clinicians who may read it) is caught by every reader.
    parts = [
        lp(at.device_seq, at.table, at.row_id, at.rev, hashlib.sha256(sealed).digest())
        + (lp(at.client_id, at.key_id) if at.client_id else b"")
        for at, sealed in rows
    ]
    return hashlib.sha256(lp("nd-sync-entries", *parts)).digest()


@dataclass(frozen=True)
class PushEntry:
    """One push in a device's log: its rows (by digest), the previous push's hash and the device's audit
    head at the time. Signed with the device's Ed25519 key; its hash is the next push's `previous`."""

    practice_id: str
    device_id: str
    push_seq: int
    first_seq: int
    last_seq: int
    previous: bytes
    digest: bytes
    audit_head: bytes

    @classmethod
    def from_server(cls, practice_id: str, device_id: str, row: Any) -> PushEntry:
        """The entry as a `push` row on the server holds it (server_tables.py)."""
        return cls(practice_id, device_id, row.push_seq, row.first_seq, row.last_seq, bytes(row.previous),
                   bytes(row.digest), bytes(row.audit_head))

    def message(self) -> bytes:
        return lp(
            "nd-sync-push",
            1,
            self.practice_id,
            self.device_id,
            self.push_seq,
            self.first_seq,
            self.last_seq,
            self.previous,
            self.digest,
            self.audit_head,
        )

    def hash(self) -> bytes:
        return hashlib.sha256(self.message()).digest()

    def sign(self, device_private: bytes) -> bytes:
        return signing.sign(device_private, self.message())

    def signature_valid(self, device_public: bytes, signature: bytes) -> bool:
        return signing.verify(device_public, signature, self.message())
