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
from notesdesk.core.storage.header_repair import (
    HEADER_MAC_KEY,
    REPAIR_PASSPHRASE,
    REPAIR_RECOVERY,
    SLOT_SUMS,
    HeaderRepair,
    slot_damaged,
    sums_value,
)
from notesdesk.core.storage.tables import KeySlotRow, MetaRow

VAULT_FORMAT = "notesdesk-vault/1"


def header_mac(header_key: bytes, vault_id: str, meta: dict[str, str], slots: dict[str, keys.KeySlot]) -> str:
    parts: list[bytes | str] = ["nd-header", vault_id]
    for key in sorted(k for k in meta if k != HEADER_MAC_KEY):
        parts += [key, meta[key]]
    for kind in sorted(slots):
        slot = slots[kind]
        parts += [kind, slot.params, slot.wrapped if isinstance(slot.wrapped, bytes) else b""]
    return hmac.new(header_key, lp(*parts), hashlib.sha256).hexdigest()


Slots = dict[str, keys.KeySlot]


def header_intact(header_key: bytes, vault_id: str, meta: dict[str, str], slots: Slots) -> bool:
    expected = header_mac(header_key, vault_id, meta, slots)
    return hmac.compare_digest(expected, meta.get(HEADER_MAC_KEY, ""))


def header_damage(meta: dict[str, str], slots: Slots, used: str) -> VaultDamaged:
    """The header check failed although the secret of the `used` slot was right: damage, saying
    what to do about it (header_repair.py)."""
    other = slots.get(keys.SLOT_RECOVERY if used == keys.SLOT_PASSPHRASE else keys.SLOT_PASSPHRASE)
    if used == keys.SLOT_PASSPHRASE and (other is None or slot_damaged(meta, other)):
        return VaultDamaged(
            "The vault's recovery key slot is damaged, so the recovery key no longer opens it. "
            + REPAIR_RECOVERY
        )
    if used == keys.SLOT_PASSPHRASE:
        return VaultDamaged(
            "The vault's key slots or settings were altered or damaged (header check failed); your "
            f"passphrase is right. {REPAIR_PASSPHRASE}"
        )
    return VaultDamaged(
        "The vault's key slots or settings were altered or damaged (header check failed); your "
        "recovery key is right. Repair them with 'notesdesk passwd --recovery-key-stdin', which also "
        "sets a new passphrase, or \u201cForgot passphrase?\u201d in the app."
    )


def read_header_in(session: Session) -> tuple[dict[str, str], dict[str, keys.KeySlot]]:
    """The header as a unit of work that holds the vault reads it (read_header opens its own)."""
    return _rows(session)


def _rows(session: Session) -> tuple[dict[str, str], dict[str, keys.KeySlot]]:
    meta = {r.key: r.value for r in session.scalars(select(MetaRow))}
    slots = {r.kind: keys.KeySlot(r.kind, r.params, r.wrapped) for r in session.scalars(select(KeySlotRow))}
    return meta, slots


def write_header_mac(session: Session, header_key: bytes, vault_id: str) -> None:
    """The slot checksums and the header MAC, from the settings and slots as they are now."""
    _meta, slots = _rows(session)
    session.execute(delete(MetaRow).where(MetaRow.key.in_((HEADER_MAC_KEY, SLOT_SUMS))))
    session.add(MetaRow(key=SLOT_SUMS, value=sums_value(slots)))
    session.flush()
    meta, slots = _rows(session)
    session.add(MetaRow(key=HEADER_MAC_KEY, value=header_mac(header_key, vault_id, meta, slots)))
    session.flush()


def replace_slots(
    session: Session, header_key: bytes, vault_id: str, repair: HeaderRepair | None, *new_slots: keys.KeySlot
) -> None:
    """Replace key slots and rewrite the header MAC, in the caller's transaction. With a pending
    repair the recomputed settings go in too, and a damaged slot that is not replaced is removed (so
    it is reported as missing, never taken for a wrong secret)."""
    if repair is not None:
        session.execute(delete(MetaRow))
        session.add_all(MetaRow(key=key, value=value) for key, value in repair.meta.items())
        if repair.slot_damaged and repair.slot_damaged not in {slot.kind for slot in new_slots}:
            session.execute(delete(KeySlotRow).where(KeySlotRow.kind == repair.slot_damaged))
    for slot in new_slots:
        session.execute(delete(KeySlotRow).where(KeySlotRow.kind == slot.kind))
        session.add(KeySlotRow(kind=slot.kind, params=slot.params, wrapped=slot.wrapped))
    session.flush()
    write_header_mac(session, header_key, vault_id)


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
    meta: dict[str, str],
    slots: dict[str, keys.KeySlot],
    passphrase: str | None,
    recovery_key: str | None,
) -> bytes:
    """The data key. A slot that fails to open and no longer matches its checksum is damaged
    (VaultDamaged, saying which secret still works), never a wrong secret."""
    vault_id = meta["vault_id"]
    if recovery_key is not None:
        secret = recovery.decode(recovery_key)
        slot = slots.get(keys.SLOT_RECOVERY)
        salt = str(keys.slot_params(slot).get("salt", "")) if slot else ""
        try:
            kek = keys.recovery_kek(secret, bytes.fromhex(salt))
        except ValueError:
            kek = b""
        dek = slot.unwrap(kek, vault_id) if slot and kek else None
        if dek is None and (slot is None or slot_damaged(meta, slot)):
            raise VaultDamaged(
                "The vault's recovery key slot is damaged, so no recovery key can open it (your key "
                f"was not the problem). {REPAIR_RECOVERY}"
            )
        if dek is None:
            raise WrongPassphrase("That recovery key does not open this vault.")
        return dek
    if passphrase is None:
        raise WrongPassphrase("A passphrase or the recovery key is needed to open the vault.")
    slot = slots.get(keys.SLOT_PASSPHRASE)
    if slot is None:
        raise VaultDamaged(f"The vault has no passphrase key slot; it is damaged. {REPAIR_PASSPHRASE}")
    try:
        params = kdf.KdfParams.from_dict(keys.slot_params(slot))
    except VaultDamaged as exc:
        raise VaultDamaged(f"{exc.message} {REPAIR_PASSPHRASE}") from exc
    dek = keys.unwrap_passphrase_slot(slot, passphrase, params, vault_id)
    if dek is None and slot_damaged(meta, slot):
        raise VaultDamaged(
            "The vault's passphrase key slot is damaged, so no passphrase can open it (your "
            f"passphrase was not the problem). {REPAIR_PASSPHRASE}"
        )
    if dek is None:
        raise WrongPassphrase("Wrong passphrase.")
    return dek
