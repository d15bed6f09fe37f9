"""A vault's header: its clear metadata and key slots, the HMAC that covers them (checked at every
unlock, rewritten whenever a slot or setting changes), and unwrapping the data key from a slot.
Read and written only through Vault (vault.py)."""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from notesdesk.core.crypto import kdf, keys, recovery
from notesdesk.core.crypto.encoding import lp
from notesdesk.core.errors import VaultDamaged, WrongPassphrase
from notesdesk.core.storage.tables import KeySlotRow, MetaRow

VAULT_FORMAT = "notesdesk-vault/1"
HEADER_MAC_KEY = "header_mac"


def header_mac(header_key: bytes, vault_id: str, meta: dict[str, str], slots: dict[str, keys.KeySlot]) -> str:
    parts: list[bytes | str] = ["nd-header", vault_id]
    for key in sorted(k for k in meta if k != HEADER_MAC_KEY):
        parts += [key, meta[key]]
    for kind in sorted(slots):
        slot = slots[kind]
        parts += [kind, slot.params, slot.wrapped if isinstance(slot.wrapped, bytes) else b""]
    return hmac.new(header_key, lp(*parts), hashlib.sha256).hexdigest()


Slots = dict[str, keys.KeySlot]


def check_header(header_key: bytes, vault_id: str, meta: dict[str, str], slots: Slots) -> None:
    expected = header_mac(header_key, vault_id, meta, slots)
    if not hmac.compare_digest(expected, meta.get(HEADER_MAC_KEY, "")):
        raise VaultDamaged(
            "The vault's key slots or settings were altered or damaged (header check failed)."
        )


def _rows(session: Session) -> tuple[dict[str, str], dict[str, keys.KeySlot]]:
    meta = {r.key: r.value for r in session.scalars(select(MetaRow))}
    slots = {r.kind: keys.KeySlot(r.kind, r.params, r.wrapped) for r in session.scalars(select(KeySlotRow))}
    return meta, slots


def write_header_mac(session: Session, header_key: bytes, vault_id: str) -> None:
    meta, slots = _rows(session)
    session.execute(delete(MetaRow).where(MetaRow.key == HEADER_MAC_KEY))
    session.add(MetaRow(key=HEADER_MAC_KEY, value=header_mac(header_key, vault_id, meta, slots)))
    session.flush()


def read_header(engine: Engine) -> tuple[dict[str, str], dict[str, keys.KeySlot]]:
    """Vault metadata and key slots, read without writing anything."""
    try:
        with Session(engine) as session:
            meta, slots = _rows(session)
    except DBAPIError as exc:
        raise VaultDamaged("This file is not a NotesDesk vault, or it is damaged.") from exc
    if meta.get("format") != VAULT_FORMAT or "vault_id" not in meta:
        raise VaultDamaged("This file is not a NotesDesk vault, or its header is damaged.")
    return meta, slots


def unwrap(
    vault_id: str,
    slots: dict[str, keys.KeySlot],
    passphrase: str | None,
    recovery_key: str | None,
) -> bytes:
    if recovery_key is not None:
        secret = recovery.decode(recovery_key)
        slot = slots.get(keys.SLOT_RECOVERY)
        salt = str(keys.slot_params(slot).get("salt", "")) if slot else ""
        try:
            kek = keys.recovery_kek(secret, bytes.fromhex(salt))
        except ValueError:
            kek = b""
        dek = slot.unwrap(kek, vault_id) if slot and kek else None
        if dek is None:
            raise WrongPassphrase("That recovery key does not open this vault.")
        return dek
    if passphrase is None:
        raise WrongPassphrase("A passphrase or the recovery key is needed to open the vault.")
    slot = slots.get(keys.SLOT_PASSPHRASE)
    if slot is None:
        raise VaultDamaged("The vault has no passphrase key slot; it is damaged.")
    params = kdf.KdfParams.from_dict(keys.slot_params(slot))
    dek = keys.unwrap_passphrase_slot(slot, passphrase, params, vault_id)
    if dek is None:
        raise WrongPassphrase("Wrong passphrase.")
    return dek
