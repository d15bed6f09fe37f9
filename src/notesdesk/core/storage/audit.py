"""The keyed, hash-chained audit log, written in the same transaction as each change.

mac_i = HMAC(K_audit, mac_{i-1} | lp(seq, sealed entry)). Each entry is sealed (what was viewed or
changed is itself sensitive). `record` is the one place entries are written, and it rewrites the
authenticated head (head.py) in the same transaction. Unlock checks only the head; `verify` (and the
restore drill) walks the whole chain and cross-checks every sealed row against its last audited write.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from notesdesk.core.crypto.encoding import lp
from notesdesk.core.domain.common import now
from notesdesk.core.errors import VaultDamaged
from notesdesk.core.storage import raw
from notesdesk.core.storage.head import MODULUS, Head, HeadKeeper, genesis
from notesdesk.core.storage.sealer import Sealer
from notesdesk.core.storage.tables import (
    DERIVED_TABLES,
    SEALED_TABLES,
    AuditRow,
    Base,
    missing_later_table,
)

GENESIS = b"\x00" * 32
AUDIT_TABLE = "audit"
_INSERT = f"INSERT INTO {AUDIT_TABLE} (seq, data, mac) VALUES (?, ?, ?)"

# "receive": a record another device of the practice wrote, taken in by a sync (core/sync/pull.py).
# "receive-delete": a removal another device made, taken in by a sync (core/sync/tombstones.py).
DELETIONS = frozenset({"delete", "receive-delete"})
WRITE_ACTIONS = frozenset({"create", "edit", "sign", "addend", "receive", *DELETIONS})


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


@dataclass(frozen=True)
class Write:
    """One row write to audit: what `record` is given for it (`change`: its move of the set digest)."""

    action: str
    table: str
    row_id: str
    rev: int
    digest: str
    change: int


@event.listens_for(Session, "after_soft_rollback")
def _forget_head(session: Session, _previous: object) -> None:
    """A rolled-back write never became the head; read it again next time."""
    session.info.pop("audit_head", None)
    session.info.pop("head_moved", None)


def row_digest(clear: Mapping[str, object], sealed: object) -> str:
    """What the audit remembers of a row: its clear columns and its ciphertext. A row moved to
    another client, rolled back, replayed or swapped no longer matches its last audited write."""
    parts: list[bytes | str | int | None] = ["nd-row"]
    for name in sorted(clear):
        value = clear[name]
        parts += [name, value if isinstance(value, str | int) or value is None else repr(value)]
    parts.append(sealed if isinstance(sealed, bytes) else repr(sealed))
    return hashlib.sha256(lp(*parts)).hexdigest()


def chain_mac(key: bytes, previous: bytes, seq: int, sealed: bytes) -> bytes:
    # hmac.digest: the one-shot C path, the same MAC without building an HMAC object per entry.
    return hmac.digest(key, previous + lp(seq, sealed), "sha256")


class AuditLog:
    def __init__(self, sealer: Sealer, mac_key: bytes, actor: str, heads: HeadKeeper) -> None:
        self._sealer = sealer
        self._key = mac_key
        self.actor = actor
        self.heads = heads

    def current(self, session: Session) -> Head:
        """The head as of this transaction. Read once per session and then carried along: bulk
        writes (imports, the demo) would otherwise re-read the row they just wrote."""
        head = session.info.get("audit_head")
        if head is None:
            head = self.heads.read(session)
            if head is None:
                if raw.one(session, "SELECT seq FROM audit LIMIT 1") is not None:
                    raise VaultDamaged("The vault's audit head is missing: the vault was altered.")
                head = genesis(GENESIS)
            session.info["audit_head"] = head
        return head

    def record(
        self,
        session: Session,
        action: str,
        table: str = "",
        row_id: str = "",
        rev: int = 0,
        row_hash: str = "",
        detail: str = "",
        change: int = 0,
        lineage: str | None = None,
    ) -> AuditEntry:
        """Append an entry and move the head. `change` is what the write adds to the set digest
        (the new row's term minus the old one's); `lineage` is given only by a restore."""
        head = self.current(session)
        seq, previous = head.seq + 1, head.chain
        entry = AuditEntry(
            seq=seq,
            at=now(),
            actor=self.actor,
            action=action,
            table=table,
            row_id=row_id,
            rev=rev,
            digest=row_hash,
            detail=detail,
            id=str(seq),
        )
        data = self._sealer.seal(AUDIT_TABLE, str(seq), {}, entry)
        mac = chain_mac(self._key, previous, seq, data)
        raw.execute(session, _INSERT, (seq, data, mac))
        moved = Head(seq, mac, (head.rows + change) % MODULUS, head.lineage if lineage is None else lineage)
        self._move(session, moved)
        return entry

    def record_writes(self, session: Session, writes: Sequence[Write]) -> None:
        """`record` of many row writes at once (a pulled batch, store.SealedTable.add_many): the
        entries chained in order and inserted in one statement, the head written once. Each entry
        names its row as `record` would; the caller's transaction makes it all or nothing."""
        if not writes:
            return
        head = self.current(session)
        seq, chain, rows = head.seq, head.chain, head.rows
        at, seal, key = now(), self._sealer.seal, self._key
        values = []
        for write in writes:
            seq += 1
            entry = AuditEntry(seq, at, self.actor, write.action, write.table, write.row_id, write.rev,
                               write.digest, "", str(seq))
            data = seal(AUDIT_TABLE, str(seq), {}, entry, read_back=False)
            chain = chain_mac(key, chain, seq, data)
            values.append((seq, data, chain))
            rows += write.change
        raw.execute_many(session, _INSERT, values)
        self._move(session, Head(seq, chain, rows % MODULUS, head.lineage))

    def _move(self, session: Session, moved: Head) -> None:
        self.heads.write(session, moved)
        session.info["audit_head"] = moved
        session.info["head_moved"] = True

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

    def entries_after(self, session: Session, seq: int) -> Iterator[AuditEntry]:
        """The entries after `seq`, opened, oldest first (what a sync has not pushed yet). The head
        checked at unlock covers them; `verify` walks the chain."""
        query = select(AuditRow.seq, AuditRow.data).where(AuditRow.seq > seq).order_by(AuditRow.seq)
        rows = session.execute(query)
        for at, data in rows:
            yield self._sealer.open(AUDIT_TABLE, str(at), {}, data, AuditEntry)

    def head(self, session: Session) -> tuple[int, str]:
        row = session.execute(
            select(AuditRow.seq, AuditRow.mac).order_by(AuditRow.seq.desc()).limit(1)
        ).first()
        return (row.seq, row.mac.hex()) if row else (0, GENESIS.hex())

    def leads_to(self, session: Session, seq: int, chain: bytes, head: Head) -> bool:
        """True when the log holds `chain` at `seq` and every entry after it chains on from there up
        to the head: the vault grew from that state. Walks only the entries after `seq` (none, when
        `seq` is this computer's last commit)."""
        if head.seq < seq:
            return False
        if seq == 0:
            previous = GENESIS
        else:
            stored = session.execute(select(AuditRow.mac).where(AuditRow.seq == seq)).scalar()
            if not isinstance(stored, bytes) or not hmac.compare_digest(stored, chain):
                return False
            previous = stored
        expected = seq + 1
        rows = session.execute(
            select(AuditRow.seq, AuditRow.data, AuditRow.mac).where(AuditRow.seq > seq).order_by(AuditRow.seq)
        )
        for at, data, mac in rows:
            if at != expected or not isinstance(data, bytes) or not isinstance(mac, bytes):
                return False
            if not hmac.compare_digest(chain_mac(self._key, previous, at, data), mac):
                return False
            previous, expected = mac, expected + 1
        return expected - 1 == head.seq and hmac.compare_digest(previous, head.chain)

    def newest_actor(self, session: Session) -> str | None:
        """Who the newest entry says acted: the vault owner's id (header_repair.py)."""
        row = session.execute(
            select(AuditRow.seq, AuditRow.data).order_by(AuditRow.seq.desc()).limit(1)
        ).first()
        if row is None:
            return None
        return self._sealer.open(AUDIT_TABLE, str(row.seq), {}, row.data, AuditEntry).actor

    def mac_at(self, session: Session, seq: int) -> str | None:
        row = session.get(AuditRow, seq)
        return row.mac.hex() if row is not None and isinstance(row.mac, bytes) else None

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
        for table, row_id, rev, digest in _all_sealed_rows(session):
            present.add((table, row_id))
            audited = last_write.get((table, row_id))
            if audited is None or audited.action in DELETIONS:
                raise VaultDamaged(
                    f"A record ({table}) is in the vault without an audited write: "
                    "it was inserted or restored behind the app's back."
                )
            if audited.rev != rev or audited.digest != digest:
                raise VaultDamaged(
                    f"A record ({table}) differs from its last audited version: "
                    "it was rolled back, replayed or altered."
                )
        for (table, row_id), entry in last_write.items():
            if entry.action not in DELETIONS and (table, row_id) not in present:
                raise VaultDamaged(f"A record ({table}) was deleted without the app's knowledge.")
        return count


def _all_sealed_rows(session: Session) -> Iterable[tuple[str, str, object, str]]:
    tables = Base.metadata.tables
    for name, clear_names in SEALED_TABLES.items():
        if name in DERIVED_TABLES:
            continue  # not audited row by row: verify recomputes them (services/verify.py)
        if missing_later_table(session, name):
            continue  # an older vault opened read-only: no rows (an audited one is reported missing below)
        table = tables[name]
        columns = [table.c.id, *(table.c[n] for n in clear_names), table.c.data]
        for row in session.execute(select(*columns)):
            clear = dict(zip(clear_names, row[1:-1], strict=True))
            yield name, row[0], clear["rev"], row_digest(clear, row[-1])
