"""The keyed, hash-chained audit log, written in the same transaction as each change.

mac_i = HMAC(K_audit, mac_{i-1} | lp(seq, sealed entry)). Each entry is sealed (what was viewed or
changed is itself sensitive). Verification walks the chain and cross-checks every sealed row against
its last audited write: a row rolled back, replayed, deleted or inserted behind our back is found.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from notesdesk.core.crypto.encoding import lp
from notesdesk.core.domain.common import now
from notesdesk.core.errors import VaultDamaged
from notesdesk.core.storage.sealer import Sealer
from notesdesk.core.storage.tables import SEALED_TABLES, AuditRow, Base

GENESIS = b"\x00" * 32
AUDIT_TABLE = "audit"

WRITE_ACTIONS = frozenset({"create", "edit", "sign", "addend", "delete"})


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    table: str = ""
    row_id: str = ""
    rev: int = 0
    digest: str = ""
    detail: str = ""
    id: str = field(default="")


def digest(sealed: bytes) -> str:
    return hashlib.sha256(sealed).hexdigest()


def chain_mac(key: bytes, previous: bytes, seq: int, sealed: bytes) -> bytes:
    return hmac.new(key, previous + lp(seq, sealed), hashlib.sha256).digest()


class AuditLog:
    def __init__(self, sealer: Sealer, mac_key: bytes, actor: str) -> None:
        self._sealer = sealer
        self._key = mac_key
        self.actor = actor

    def record(
        self,
        session: Session,
        action: str,
        table: str = "",
        row_id: str = "",
        rev: int = 0,
        sealed: bytes | None = None,
        detail: str = "",
    ) -> AuditEntry:
        last = session.execute(
            select(AuditRow.seq, AuditRow.mac).order_by(AuditRow.seq.desc()).limit(1)
        ).first()
        seq = (last.seq + 1) if last else 1
        previous = last.mac if last else GENESIS
        entry = AuditEntry(
            seq=seq,
            at=now(),
            actor=self.actor,
            action=action,
            table=table,
            row_id=row_id,
            rev=rev,
            digest=digest(sealed) if sealed is not None else "",
            detail=detail,
            id=str(seq),
        )
        data = self._sealer.seal(AUDIT_TABLE, str(seq), {}, entry)
        session.add(AuditRow(seq=seq, data=data, mac=chain_mac(self._key, previous, seq, data)))
        session.flush()
        return entry

    def entries(self, session: Session) -> Iterator[AuditEntry]:
        """Every entry, checking the chain as it goes; raises VaultDamaged at the first break."""
        previous = GENESIS
        expected = 1
        for seq, data, mac in session.execute(
            select(AuditRow.seq, AuditRow.data, AuditRow.mac).order_by(AuditRow.seq)
        ):
            if seq != expected or not isinstance(data, bytes) or not isinstance(mac, bytes):
                raise VaultDamaged("The audit log has a gap or a damaged entry.")
            if not hmac.compare_digest(chain_mac(self._key, previous, seq, data), mac):
                raise VaultDamaged("The audit log's chain is broken: an entry was altered.")
            yield self._sealer.open(AUDIT_TABLE, str(seq), {}, data, AuditEntry)
            previous, expected = mac, expected + 1

    def head(self, session: Session) -> tuple[int, str]:
        row = session.execute(
            select(AuditRow.seq, AuditRow.mac).order_by(AuditRow.seq.desc()).limit(1)
        ).first()
        return (row.seq, row.mac.hex()) if row else (0, GENESIS.hex())

    def count(self, session: Session) -> int:
        return session.scalar(select(func.count()).select_from(AuditRow)) or 0

    def verify(self, session: Session) -> int:
        """Chain + cross-check against every sealed row. Returns the number of entries checked."""
        last_write: dict[tuple[str, str], AuditEntry] = {}
        count = 0
        for entry in self.entries(session):
            count += 1
            if entry.action in WRITE_ACTIONS and entry.table:
                last_write[(entry.table, entry.row_id)] = entry
        present = set()
        for table, row_id, rev, data in _all_sealed_rows(session):
            present.add((table, row_id))
            entry = last_write.get((table, row_id))
            if entry is None or entry.action == "delete":
                raise VaultDamaged(
                    f"A record ({table}) is in the vault without an audited write: "
                    "it was inserted or restored behind the app's back."
                )
            if entry.rev != rev or entry.digest != digest(data if isinstance(data, bytes) else b""):
                raise VaultDamaged(
                    f"A record ({table}) differs from its last audited version: "
                    "it was rolled back, replayed or altered."
                )
        for (table, row_id), entry in last_write.items():
            if entry.action != "delete" and (table, row_id) not in present:
                raise VaultDamaged(f"A record ({table}) was deleted without the app's knowledge.")
        return count


def _all_sealed_rows(session: Session) -> Iterable[tuple[str, str, int, object]]:
    tables = Base.metadata.tables
    for name in SEALED_TABLES:
        table = tables[name]
        for row_id, rev, data in session.execute(select(table.c.id, table.c.rev, table.c.data)):
            yield name, row_id, rev, data
