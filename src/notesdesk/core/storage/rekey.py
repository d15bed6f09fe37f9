"""Renewing the data key (`notesdesk rekey`, Settings → Renew keys) and issuing a new recovery key.

Changing the passphrase only rewraps the data key, so an old passphrase and an old copy of the vault
still open every record written later. A rekey draws a new data key and redoes everything keyed by
it, in ONE SQLite transaction, so a crash leaves the old vault or the new one, never a mix:
- every sealed row is opened under the old key and sealed again under the new one (same row, same
  clear columns, a new nonce);
- every audit entry is opened, its row digest brought up to date where it is a live row's last
  audited write (the digest covers the ciphertext, which changed; audit.py), sealed again and
  chained under the new audit key, and a "rekey" entry is added;
- the authenticated head's set digest is recomputed with the new row-terms key and MAC'd under the
  new head key (head.py);
- the key slots: the new data key wrapped by the passphrase and by a new recovery key, and the
  header MAC under the new header key, with the old key's mark added to the vault's retired keys.
The triggers that refuse any update of a signed note, addendum or audit entry are dropped inside
that transaction and put back, with their exact SQL, before it commits (schema.py refuses a vault
without them). After the commit the local anchor is rewritten under the new key, listing the old
key as retired, so a copy of the vault from before the rekey is refused on this computer
(rollback.py). Backups made before keep their own key slots: they open with the secrets of their
day, and restore as any older backup does.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from notesdesk.core.crypto import kdf, keys, recovery
from notesdesk.core.crypto.cipher import ClearValue
from notesdesk.core.errors import NotesdeskError, ReadOnlyVault, StorageFull
from notesdesk.core.storage.audit import AUDIT_TABLE, GENESIS, WRITE_ACTIONS, AuditLog, chain_mac, row_digest
from notesdesk.core.storage.head import Head
from notesdesk.core.storage.header_repair import RETIRED_KEYS
from notesdesk.core.storage.keyring import KeyRing, derive_keys
from notesdesk.core.storage.sqlite import is_disk_full
from notesdesk.core.storage.tables import SEALED_TABLES, MetaRow, missing_later_table

if TYPE_CHECKING:
    from notesdesk.core.storage.vault import Vault

FULL = "The disk is full: the keys were not renewed and nothing was changed. Free some space and try again."
FAILED = "The vault could not be written just now: the keys were not renewed and nothing was changed."
UPDATE_GUARDS = ("note_signed_no_update", "addendum_no_update", "audit_no_update",
                 "plan_review_no_update", "plan_agreement_no_update")


def rekey(vault: Vault, passphrase: str) -> str:
    """Renew `vault`'s data key; the new key is wrapped by `passphrase` (the caller has proven it, or
    checked it as a new one) and by a new recovery key, whose text is returned (shown once)."""
    _writable(vault)
    old = vault.key_ring()
    new = derive_keys(os.urandom(keys.DEK_LEN), vault.vault_id)
    secret = recovery.new_recovery_secret()
    slots = (
        keys.passphrase_slot(passphrase, kdf.new_params(), new.dek, vault.vault_id),
        keys.recovery_slot(secret, new.dek, vault.vault_id),
    )
    retired = [*vault.retired_keys, vault.anchor.retired_mark()]
    with vault.unit_of_work() as uow:
        session = uow.session
        assert session is not None
        before = vault.audit.current(session)
        vault.audit.heads.check(session, before)  # never re-seal a vault that is not what it says
        try:
            records, head = reseal(session, old, new, before)
        except sqlite3.Error as exc:  # on the raw connection: SQLAlchemy does not wrap these
            raise StorageFull(FULL) if is_disk_full(exc) else NotesdeskError(FAILED) from exc
        session.info["audit_head"] = head
        session.merge(MetaRow(key=RETIRED_KEYS, value=json.dumps(retired)))
        vault.write_slots(session, *slots, header_key=new.header_key)
        AuditLog(new.sealer, new.audit_key, vault.audit.actor, new.heads).record(
            session, "rekey", detail=f"new data key; {records} records sealed again"
        )
        head = session.info["audit_head"]
        session.info.pop("head_moved", None)  # the anchor is saved below, under the new key
        uow.commit()
        # Still inside the unit of work: no other thread's can read a row between the commit and
        # the switch to the keys it is now sealed under.
        vault.use_key_ring(new, retired)
        vault.anchor.save(head.seq, head.chain, retired)
    return recovery.encode(secret)


def new_recovery_key(vault: Vault) -> str:
    """A new recovery key in place of the old one (lost, or shown to someone): one slot and the
    header MAC, one transaction. The data key stays, so backups made before still open with the old
    recovery key; a rekey is what stops that."""
    _writable(vault)
    secret = recovery.new_recovery_secret()
    slot = keys.recovery_slot(secret, vault.key_ring().dek, vault.vault_id)
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        vault.write_slots(uow.session, slot)
        uow.record("new recovery key", detail="header repaired" if vault.header_repair else "")
        uow.commit()
    vault.header_repair = None
    return recovery.encode(secret)


def _writable(vault: Vault) -> None:
    if vault.read_only:
        raise ReadOnlyVault("The vault is open read-only: its keys cannot be changed. Nothing was changed.")


def reseal(session: Session, old: KeyRing, new: KeyRing, before: Head) -> tuple[int, Head]:
    """Every sealed row and audit entry under the new keys, in the session's transaction. Returns
    the number of rows and the head as it now stands (before the rekey's own audit entry)."""
    cursor = _raw(session)
    guards = cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
        f"({', '.join('?' for _ in UPDATE_GUARDS)})", UPDATE_GUARDS
    ).fetchall()
    for name, _sql in guards:
        cursor.execute(f'DROP TRIGGER "{name}"')  # names from UPDATE_GUARDS only
    digests = _reseal_rows(session, cursor, old, new)
    seq, chain = _rechain(session, cursor, old, new, digests)
    for _name, sql in guards:
        cursor.execute(sql)
    return len(digests), Head(seq, chain, new.heads.live_rows(session), before.lineage)


def _reseal_rows(
    session: Session, cursor: sqlite3.Cursor, old: KeyRing, new: KeyRing
) -> dict[tuple[str, str], str]:
    digests: dict[tuple[str, str], str] = {}
    for table, clear_names in SEALED_TABLES.items():
        if missing_later_table(session, table):
            continue
        columns = ", ".join(["id", *clear_names, "data"])  # names from SEALED_TABLES only
        for row in cursor.execute(f"SELECT {columns} FROM {table}").fetchall():
            row_id, data = str(row[0]), row[-1]
            clear: dict[str, ClearValue] = dict(zip(clear_names, row[1:-1], strict=True))
            plain = old.sealer.open_bytes(table, row_id, clear, data)
            sealed = new.sealer.seal_bytes(table, row_id, clear, plain)
            cursor.execute(f"UPDATE {table} SET data = ? WHERE id = ?", (sealed, row_id))
            digests[(table, row_id)] = row_digest(clear, sealed)
    return digests


def _rechain(
    session: Session,
    cursor: sqlite3.Cursor,
    old: KeyRing,
    new: KeyRing,
    digests: dict[tuple[str, str], str],
) -> tuple[int, bytes]:
    entries = list(AuditLog(old.sealer, old.audit_key, "", old.heads).entries(session))  # checks the chain
    last_write = {(e.table, e.row_id): e.seq for e in entries if e.action in WRITE_ACTIONS and e.table}
    refreshed = {seq: digests[key] for key, seq in last_write.items() if key in digests}
    previous, seq = GENESIS, 0
    for entry in entries:
        seq = entry.seq
        if seq in refreshed:
            entry = replace(entry, digest=refreshed[seq])
        data = new.sealer.seal(AUDIT_TABLE, str(seq), {}, entry)
        previous = chain_mac(new.audit_key, previous, seq, data)
        cursor.execute("UPDATE audit SET data = ?, mac = ? WHERE seq = ?", (data, previous, seq))
    return seq, previous


def _raw(session: Session) -> sqlite3.Cursor:
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver.cursor()
