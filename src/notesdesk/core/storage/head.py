"""The authenticated audit head: where the audit chain ends and which rows are live, under one MAC.

    term(row) = BLAKE2b-256(key = K_terms, person = "nd-row-term",
                            JSON [table, id, clear columns in schema order..., base64 GCM tag])
    rows      = sum of term(row) over every live sealed row, mod 2^256
    head MAC  = HMAC-SHA256(K_head, lp("nd-head", vault id, seq, chain, rows, lineage))

K_head and K_terms are subkeys of the data key with their own HKDF labels (crypto/keys.py).
`lineage` is the current lineage followed by the earlier ones, space-separated; "" is the first
lineage of every vault ("0"). Each restore puts a new random one in front (rollback.py).

`seq` and `chain` are those of the newest audit entry. The head is rewritten with every audit entry
(audit.py, in the same transaction), and each write adds its new row's term and subtracts the old
one, so keeping it costs no read of other rows. Checking it at unlock reads clear columns and the
last 16 bytes of each seal (its GCM tag) — nothing is decrypted and nothing depends on how long
the audit history is, except SQLite's count over a narrow index of the audit table (see `check`).
The terms are keyed (keyed BLAKE2b is a PRF, and about three times cheaper per row than HMAC here),
so without the key no other set of rows can be made to add up to the same digest.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import msgspec
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from notesdesk.core.crypto.cipher import ClearValue
from notesdesk.core.crypto.encoding import lp
from notesdesk.core.errors import VaultDamaged
from notesdesk.core.storage import raw
from notesdesk.core.storage.tables import SEALED_TABLES, AuditRow, has_table, missing_later_table

MODULUS = 1 << 256
TAG = 16  # AES-GCM tag: the last bytes of every seal (crypto/cipher.py)
HEAD_TABLE = "audit_head"
_PERSON = b"nd-row-term"
META_FLAG = "audit_head"  # set (under the header MAC) once a vault keeps a head: then it must exist
META_VALUE = "hmac-sha256/1"


@dataclass(frozen=True)
class Head:
    seq: int
    chain: bytes
    rows: int  # the set digest: sum of the live rows' terms mod 2^256
    lineage: str = ""  # replaced by each restore: backups from before it no longer count (rollback.py)


def genesis(chain: bytes) -> Head:
    return Head(0, chain, 0, "")


FIRST_LINEAGE = "0"


def current_lineage(lineage: str) -> str:
    parts = lineage.split()
    return parts[0] if parts else FIRST_LINEAGE


def earlier_lineages(lineage: str) -> set[str]:
    return set(lineage.split()[1:])


def next_lineage(lineage: str, replaced: str = "") -> str:
    """A new lineage in front of the restored vault's own, and of the replaced vault's current one."""
    history = [current_lineage(lineage), *lineage.split()[1:]]
    if replaced and current_lineage(replaced) not in history:
        history.append(current_lineage(replaced))
    return " ".join([uuid.uuid4().hex, *history])


class HeadKeeper:
    def __init__(self, mac_key: bytes, term_key: bytes, vault_id: str) -> None:
        self._key = mac_key
        self._vault_id = vault_id
        # Keyed once: each term copies this state instead of keying a new hash (parsing the key and
        # personalisation arguments and compressing the key block), half the cost of a term.
        self._keyed = hashlib.blake2b(key=term_key, digest_size=32, person=_PERSON)

    # -- terms -------------------------------------------------------------------------------

    def _term(self, parts: tuple[object, ...]) -> int:
        """parts = (table, id, clear columns in SEALED_TABLES order..., tag)."""
        digest = self._keyed.copy()
        digest.update(_encode(parts))
        return int.from_bytes(digest.digest(), "big")

    def term(self, table: str, row_id: object, clear: Mapping[str, object], sealed: object) -> int:
        tag = sealed[-TAG:] if isinstance(sealed, bytes) else None
        values = (_value(clear.get(name)) for name in SEALED_TABLES[table])
        return self._term((table, row_id, *values, tag))

    def stored(self, session: Session, table: str, row_id: str) -> tuple[dict[str, ClearValue] | None, int]:
        """A row's clear columns as stored now (None: there is no such row) and its term, in one read."""
        row = raw.one(session, _select_by_id(table), (row_id,))
        if row is None:
            return None, 0
        names = SEALED_TABLES[table]
        clear = {name: _clear_value(value) for name, value in zip(names, row[2:-1], strict=True)}
        return clear, self._term(row)

    def live_rows(self, session: Session) -> int:
        """Recompute the set digest from every live row's clear columns and tag (on the raw
        connection inside the session's transaction: SQLAlchemy rows cost more than the hashing)."""
        total = 0
        cursor = raw.connection(session)
        # `_term` inlined: at 40,000 rows the calls cost a quarter of the whole (same bytes hashed).
        encode, keyed, to_int = _encode, self._keyed.copy, int.from_bytes
        for name in SEALED_TABLES:
            if missing_later_table(session, name):
                continue
            for row in cursor.execute(_select_terms(name)):
                digest = keyed()
                digest.update(encode(row))
                total += to_int(digest.digest(), "big")
        return total % MODULUS

    # -- the head row --------------------------------------------------------------------------

    def mac(self, head: Head) -> bytes:
        message = lp(
            "nd-head", self._vault_id, head.seq, head.chain, head.rows.to_bytes(32, "big"), head.lineage
        )
        return hmac.digest(self._key, message, "sha256")

    def write(self, session: Session, head: Head) -> None:
        # Once per audit entry, so on the raw connection (inside the session's transaction): building
        # the same upsert through SQLAlchemy cost more than the rest of a bulk import's write.
        raw.execute(
            session,
            _UPSERT,
            (head.seq, head.chain, head.rows.to_bytes(32, "big"), head.lineage, self.mac(head)),
        )

    def read(self, session: Session) -> Head | None:
        """The stored head, its MAC checked; None when there is none (a new or older vault)."""
        if not has_head_table(session):
            return None
        row = raw.one(session, _READ)
        if row is None:
            return None
        seq, chain, rows, lineage, mac = row
        try:
            if not all(isinstance(value, bytes) and len(value) == 32 for value in (chain, rows)):
                raise ValueError("head digest of the wrong size")
            head = Head(int(seq), chain, int.from_bytes(rows, "big"), str(lineage))
        except (TypeError, ValueError) as exc:
            raise VaultDamaged("The vault's audit head is damaged.") from exc
        if not isinstance(mac, bytes) or not hmac.compare_digest(self.mac(head), mac):
            raise VaultDamaged("The vault's audit head was altered or damaged.")
        return head

    def check(self, session: Session, head: Head) -> None:
        """The audit table ends exactly at the head, has no gap, and the live rows are the ones the
        head vouches for. Counting the entries is the one step that grows with the audit history (a
        walk of a narrow index, without decoding entries), and it is what finds entries cut from the
        middle: with the first at 1 and the newest at the head, a count short of the head's
        sequence number is a gap."""
        # Three separate statements: SQLite answers min() and max() alone from the b-tree's edges
        # (O(log n)) and count() alone from the narrowest index (ix_audit_seq, migration 0005: a few
        # bytes per entry, about a millisecond per 300,000); asked together, they scan every entry.
        count = session.scalar(COUNT_ENTRIES)
        low = session.scalar(FIRST_ENTRY)
        newest = session.execute(
            select(AuditRow.seq, AuditRow.mac).order_by(AuditRow.seq.desc()).limit(1)
        ).first()
        ends_at_head = newest is not None and newest.seq == head.seq and newest.mac == head.chain
        if not ends_at_head or count != head.seq or low != 1:
            raise VaultDamaged(
                "The vault's audit log does not end where it last ended: entries were cut or added "
                "behind the app's back."
            )
        if self.live_rows(session) != head.rows:
            raise VaultDamaged(
                "The vault's records are not the ones it last saved: a record was deleted, added "
                "or rolled back behind the app's back."
            )


# What the head check asks of the audit table besides its newest entry (see `check`).
COUNT_ENTRIES = select(func.count()).select_from(AuditRow)
FIRST_ENTRY = select(func.min(AuditRow.seq))


def has_head_table(session: Session) -> bool:
    """Remembered on the SQLite connection once found (tables.has_table): every audited write reads
    the head, and the catalogue query cost as much as the read."""
    return has_table(session, HEAD_TABLE)


_UPSERT = (
    f"INSERT INTO {HEAD_TABLE} (id, seq, chain, rows, lineage, mac) VALUES (1, ?, ?, ?, ?, ?) "
    "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, chain = excluded.chain, rows = excluded.rows, "
    "lineage = excluded.lineage, mac = excluded.mac"
)
_READ = f"SELECT seq, chain, rows, lineage, mac FROM {HEAD_TABLE} WHERE id = 1"
_encoder = msgspec.json.Encoder()


def _encode(parts: tuple[object, ...]) -> bytes:
    try:
        return _encoder.encode(parts)
    except (TypeError, msgspec.EncodeError):  # a damaged row's odd value: still a definite term
        return _encoder.encode([repr(p) for p in parts])


def _value(value: object) -> object:
    """As SQLite gives it back: a flag written as a bool is read as an integer."""
    return int(value) if isinstance(value, bool) else value


def _select_terms(table: str) -> str:
    """Each row as the parts of its term, the table's name first (so the row is the tuple to hash)."""
    # Names come from SEALED_TABLES only, never from input.
    columns = ", ".join(["id", *SEALED_TABLES[table]])
    return f"SELECT '{table}', {columns}, substr(data, -{TAG}) FROM {table}"


@cache
def _select_by_id(table: str) -> str:
    return _select_terms(table) + " WHERE id = ?"


def _clear_value(value: object) -> ClearValue:
    """A clear column as stored: a STRICT table holds only these; a damaged file might not."""
    if value is None or isinstance(value, str | int):
        return value
    raise VaultDamaged("A record's clear columns in the vault are damaged.")
