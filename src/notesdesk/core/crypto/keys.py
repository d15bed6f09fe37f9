"""The key hierarchy: a random data key wrapped by the passphrase and by the recovery key.

passphrase --Argon2id--> KEK_pw --+
recovery key --HKDF----> KEK_rc --+-- AES-256-GCM wrap --> DEK (32 random bytes)
DEK --HKDF(salt=vault id, info=label)--> one subkey per purpose (fields, private notes, audit,
    header, audit head, row terms, local anchor)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from notesdesk.core.crypto.encoding import lp
from notesdesk.core.crypto.kdf import KdfParams, derive_key, unlock_forms

DEK_LEN = 32
SLOT_PASSPHRASE = "passphrase"
SLOT_RECOVERY = "recovery"

SUBKEY_FIELDS = "fields"
SUBKEY_PRIVATE = "private-notes"
SUBKEY_AUDIT_MAC = "audit-mac"
SUBKEY_HEADER_MAC = "header-mac"
SUBKEY_AUDIT_HEAD = "audit-head"
SUBKEY_ROW_TERMS = "row-terms"
SUBKEY_LOCAL_ANCHOR = "local-anchor"


def hkdf(key: bytes, salt: bytes, label: str, length: int = 32) -> bytes:
    return HKDF(hashes.SHA256(), length, salt, f"notesdesk/v1/{label}".encode()).derive(key)


def subkey(dek: bytes, vault_id: str, label: str) -> bytes:
    return hkdf(dek, vault_id.encode(), label)


def recovery_kek(secret: bytes, salt: bytes) -> bytes:
    return hkdf(secret, salt, "recovery-kek")


@dataclass(frozen=True)
class KeySlot:
    """One wrapped copy of the data key. `params` is canonical JSON, bound into the wrap's AD."""

    kind: str
    params: str
    wrapped: bytes

    def unwrap(self, kek: bytes, vault_id: str) -> bytes | None:
        """The data key, or None when the secret is wrong or the slot is damaged (indistinguishable)."""
        if not isinstance(self.wrapped, bytes) or len(self.wrapped) != 12 + DEK_LEN + 16:
            return None
        try:
            return AESGCM(kek).decrypt(self.wrapped[:12], self.wrapped[12:], self._ad(vault_id))
        except InvalidTag:
            return None

    def _ad(self, vault_id: str) -> bytes:
        return lp("nd-keyslot", 1, vault_id, self.kind, self.params)


def canonical(params: dict[str, object]) -> str:
    return json.dumps(params, sort_keys=True, separators=(",", ":"))


def wrap(kind: str, params: dict[str, object], kek: bytes, dek: bytes, vault_id: str) -> KeySlot:
    slot = KeySlot(kind, canonical(params), b"")
    nonce = os.urandom(12)
    wrapped = nonce + AESGCM(kek).encrypt(nonce, dek, slot._ad(vault_id))
    return KeySlot(kind, slot.params, wrapped)


def passphrase_slot(passphrase: str, kdf: KdfParams, dek: bytes, vault_id: str) -> KeySlot:
    return wrap(SLOT_PASSPHRASE, dict(kdf.as_dict()), derive_key(passphrase, kdf), dek, vault_id)


def unwrap_passphrase_slot(slot: KeySlot, passphrase: str, params: KdfParams, vault_id: str) -> bytes | None:
    """The data key, trying each form of the passphrase a slot may have been made from (kdf.unlock_forms)."""
    for form in unlock_forms(passphrase):
        dek = slot.unwrap(derive_key(form, params, as_typed=True), vault_id)
        if dek is not None:
            return dek
    return None


def recovery_slot(secret: bytes, dek: bytes, vault_id: str) -> KeySlot:
    salt = os.urandom(16)
    params: dict[str, object] = {"kdf": "hkdf-sha256", "salt": salt.hex()}
    return wrap(SLOT_RECOVERY, params, recovery_kek(secret, salt), dek, vault_id)


def slot_params(slot: KeySlot) -> dict[str, object]:
    try:
        params = json.loads(slot.params)
    except (TypeError, ValueError):
        return {}
    return params if isinstance(params, dict) else {}
