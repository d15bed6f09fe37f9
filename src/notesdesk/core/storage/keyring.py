"""Every key a vault uses, derived from its one data key (crypto/keys.py): built at unlock, and
again for the new data key of a rekey (rekey.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from notesdesk.core.crypto import keys
from notesdesk.core.crypto.cipher import FieldCipher
from notesdesk.core.storage.head import HeadKeeper
from notesdesk.core.storage.sealer import Sealer


@dataclass(frozen=True)
class KeyRing:
    dek: bytes = field(repr=False)
    sealer: Sealer = field(repr=False)
    header_key: bytes = field(repr=False)
    audit_key: bytes = field(repr=False)
    heads: HeadKeeper = field(repr=False)
    anchor_key: bytes = field(repr=False)


def derive_keys(dek: bytes, vault_id: str) -> KeyRing:
    def sub(label: str) -> bytes:
        return keys.subkey(dek, vault_id, label)

    return KeyRing(
        dek=dek,
        sealer=Sealer(
            FieldCipher(sub(keys.SUBKEY_FIELDS), vault_id), FieldCipher(sub(keys.SUBKEY_PRIVATE), vault_id)
        ),
        header_key=sub(keys.SUBKEY_HEADER_MAC),
        audit_key=sub(keys.SUBKEY_AUDIT_MAC),
        heads=HeadKeeper(sub(keys.SUBKEY_AUDIT_HEAD), sub(keys.SUBKEY_ROW_TERMS), vault_id),
        anchor_key=sub(keys.SUBKEY_LOCAL_ANCHOR),
    )
