"""Generic reads and writes of sealed rows; every write is audited in the same transaction.

Rows are read and written with plain SQL on the session's SQLite connection, in its transaction
(raw.py), and decrypted in one tight loop: ORM instances cost several times more on a full read, and
building each statement through SQLAlchemy cost more than sealing the row (docs/design-notes.md §3).
The SQL is made once per table from its clear columns (tables.py), never from input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from notesdesk.core.crypto.cipher import HEADER_LEN, ClearValue
from notesdesk.core.errors import Conflict, NotFound, VaultDamaged
from notesdesk.core.storage import raw
from notesdesk.core.storage.audit import AuditLog, Write, row_digest
from notesdesk.core.storage.sealer import Sealer
from notesdesk.core.storage.tables import FLAG_INPUT_TABLES, SEALED_TABLES, missing_later_table

T = TypeVar("T")

_IDS_PER_QUERY = 500  # well under SQLite's limit on bound parameters


@dataclass
class StoreContext:
    session: Session
    sealer: Sealer
    audit: AuditLog
    # Clients whose flag inputs this unit of work changed: their summaries are rewritten before it
    # commits (storage/summaries.py).
    touched: set[str] = field(default_factory=set)
    # Of each touched client, what its flag-input rows became: (table, row id) -> the row as sealed
    # (its kind, clear columns and sealed bytes), or None when it left the client (deleted or given
    # to another). The summary is updated from these without reading the client's other records.
    changes: dict[str, dict[tuple[str, str], SealedRow | None]] = field(default_factory=dict)
    # Called before every write of a row filed under a client with the table, the client's id and
    # the row as written (None for a removal); raises to refuse the write (uow.py: a client this
    # vault only supervises). None: every write goes through.
    guard: Callable[[str, str, object | None], None] | None = None


@dataclass(frozen=True)
class SealedRow:
    """A row as this unit of work wrote it, opened only if its client's summary needs it. `opened`:
    the object as reading the row gives it, when sealing already decoded it (Sealer.seal_checked)."""

    kind: type[Any]
    clear: Mapping[str, ClearValue]
    sealed: bytes
    opened: Any = None


@dataclass(frozen=True)
class Statements:
    """One sealed table's SQL, made once from its name and clear columns (tables.py)."""

    columns: tuple[str, ...]  # id, the clear columns, data: the order rows are read in
    select: str
    by_id: str
    insert: str
    update: str  # SET the clear columns and data WHERE id = ? AND rev = ? (the revision read)
    delete: str


@cache
def statements(name: str) -> Statements:
    clear = SEALED_TABLES[name]
    columns = ("id", *clear, "data")
    select = f"SELECT {', '.join(columns)} FROM {name}"
    sets = ", ".join(f"{column} = ?" for column in (*clear, "data"))
    return Statements(
        columns=columns,
        select=select,
        by_id=f"{select} WHERE id = ?",
        insert=f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        update=f"UPDATE {name} SET {sets} WHERE id = ? AND rev = ?",
        delete=f"DELETE FROM {name} WHERE id = ?",
    )


@cache
def _filtered(name: str, filters: tuple[tuple[str, bool], ...], what: str) -> str:
    """`what` (the table's row select, or its ids) WHERE each (column, is None) holds."""
    known = set(statements(name).columns)
    for column, _ in filters:
        if column not in known:
            raise KeyError(column)  # a programming error, as SQLAlchemy's column lookup raised
    terms = [f"{column} IS NULL" if none else f"{column} = ?" for column, none in filters]
    return what + (" WHERE " + " AND ".join(terms) if terms else "")


class Identified(Protocol):
    """What every sealed record has: the id of its row."""

    @property
    def id(self) -> str: ...


class SealedTable[T: Identified]:
    """Typed access to one sealed table. `clear_of` gives an object's clear foreign-key columns."""

    def __init__(
        self,
        ctx: StoreContext,
        name: str,
        kind: type[T],
        clear_of: Callable[[T], Mapping[str, ClearValue]] = lambda _obj: {},
        label: str = "record",
    ) -> None:
        self._ctx = ctx
        self.name = name
        self.kind = kind
        self._clear_of = clear_of
        self._label = label
        self._sql = statements(name)
        self._clear_names = SEALED_TABLES[name]
        self._missing: bool | None = None

    # -- reads ---------------------------------------------------------------------------------

    @property
    def missing(self) -> bool:
        """True for a table of a later schema that this older, read-only vault lacks: no rows."""
        if self._missing is None:
            self._missing = missing_later_table(self._ctx.session, self.name)
        return self._missing

    def _decode_rows(self, rows: Iterable[Any]) -> list[T]:
        sealer, name, kind, names = self._ctx.sealer, self.name, self.kind, self._clear_names
        out = []
        for row in rows:
            clear = dict(zip(names, row[1:-1], strict=True))
            out.append(sealer.open(name, row[0], clear, row[-1], kind))
        return out

    def _where(self, what: str, equals: Mapping[str, ClearValue]) -> tuple[str, list[ClearValue]]:
        filters = tuple((column, value is None) for column, value in equals.items())
        return _filtered(self.name, filters, what), [v for v in equals.values() if v is not None]

    def get(self, row_id: str) -> T:
        if self.missing:
            raise NotFound(f"No {self._label} with id {row_id}.")
        row = raw.one(self._ctx.session, self._sql.by_id, (row_id,))
        if row is None:
            raise NotFound(f"No {self._label} with id {row_id}.")
        return self._decode_rows([row])[0]

    def find(self, row_id: str) -> T | None:
        try:
            return self.get(row_id)
        except NotFound:
            return None

    def where(self, **equals: ClearValue) -> list[T]:
        if self.missing:
            return []
        sql, params = self._where(self._sql.select, equals)
        return self._decode_rows(raw.stream(self._ctx.session, sql, params))

    def all(self) -> list[T]:
        if self.missing:
            return []
        return self._decode_rows(raw.stream(self._ctx.session, self._sql.select))

    def page(self, after: int, size: int) -> tuple[list[T], int]:
        """Up to `size` rows stored after SQLite row number `after` (0 for the first page), in the
        order stored (as `all` reads them), and the row number to go on after: a full read in pieces,
        each of which can be its own unit of work (services/search.py)."""
        if self.missing:
            return [], after
        query = self._sql.select.replace(" FROM ", ", rowid FROM ", 1)
        rows = raw.rows(self._ctx.session, f"{query} WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, size))
        last = int(rows[-1][-1]) if rows else after
        return self._decode_rows(row[:-1] for row in rows), last

    def rev_of(self, row_id: str) -> int:
        row = raw.one(self._ctx.session, f"SELECT rev FROM {self.name} WHERE id = ?", (row_id,))
        if row is None or row[0] is None:
            raise NotFound(f"No {self._label} with id {row_id}.")
        return int(row[0])

    def ids(self, **equals: ClearValue) -> list[str]:
        if self.missing:
            return []
        sql, params = self._where(f"SELECT id FROM {self.name}", equals)
        return [row[0] for row in raw.rows(self._ctx.session, sql, params)]

    def clients(self, among: Iterable[str] | None = None) -> set[str]:
        """The clients (of `among`, when given) that have at least one row here, from the clear
        client ids alone: nothing is decrypted."""
        if self.missing:
            return set()
        sql = f"SELECT DISTINCT client_id FROM {self.name}"
        wanted = None if among is None else list(among)
        if wanted is not None:
            sql += f" WHERE client_id IN ({', '.join('?' * len(wanted))})" if wanted else " WHERE 0"
        return {row[0] for row in raw.rows(self._ctx.session, sql, wanted or ())}

    def stored(self, row_ids: Iterable[str]) -> set[str]:
        """Which of these ids are stored: ids only, nothing opened (a pulled batch asks once)."""
        if self.missing:
            return set()
        wanted, found = list(row_ids), set[str]()
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            part = wanted[start : start + _IDS_PER_QUERY]
            sql = f"SELECT id FROM {self.name} WHERE id IN ({', '.join('?' * len(part))})"
            found.update(row[0] for row in raw.rows(self._ctx.session, sql, part))
        return found

    def many(self, row_ids: Sequence[str]) -> list[T]:
        """The rows of these ids that are stored, opened (in pieces of a few hundred ids a query)."""
        if self.missing:
            return []
        found: list[T] = []
        for start in range(0, len(row_ids), _IDS_PER_QUERY):
            part = list(row_ids[start : start + _IDS_PER_QUERY])
            sql = f"{self._sql.select} WHERE id IN ({', '.join('?' * len(part))})"
            found.extend(self._decode_rows(raw.stream(self._ctx.session, sql, part)))
        return found

    def seals(self, clients: Sequence[str]) -> list[tuple[str, str]]:
        """(row id, which write it holds) of each row of these clients (of the client table, of these
        ids), without opening anything: its seal's header in hex, whose random nonce is new with every
        write, or "signed" for a signed note or addendum, which never changes (storage/sqlite.py's
        triggers), so its sealed data is not even read."""
        if self.missing:
            return []
        column = "client_id" if "client_id" in self._clear_names else "id"
        header = f"hex(substr(data, 1, {HEADER_LEN}))"
        signed = "signed" in self._clear_names
        write = f"CASE WHEN signed = 1 THEN 'signed' ELSE {header} END" if signed else header
        found: list[tuple[str, str]] = []
        for start in range(0, len(clients), _IDS_PER_QUERY):
            part = list(clients[start : start + _IDS_PER_QUERY])
            sql = f"SELECT id, {write} FROM {self.name} WHERE {column} IN ({', '.join('?' * len(part))})"
            found.extend((row[0], row[1]) for row in raw.rows(self._ctx.session, sql, part))
        return found

    def all_raw(self) -> list[tuple[str, bytes]]:
        """(row id, decrypted JSON) for every row: lossless copies of rows of mixed kinds."""
        if self.missing:
            return []
        sealer, name, names = self._ctx.sealer, self.name, self._clear_names
        rows = raw.stream(self._ctx.session, self._sql.select)
        return [
            (row[0], sealer.open_bytes(name, row[0], dict(zip(names, row[1:-1], strict=True)), row[-1]))
            for row in rows
        ]

    # -- writes --------------------------------------------------------------------------------

    def _stored(self, row_id: str) -> tuple[dict[str, ClearValue] | None, int]:
        """The row's clear columns as stored (None: no such row) and its term, in one read."""
        return self._ctx.audit.heads.stored(self._ctx.session, self.name, row_id)

    def _execute(self, sql: str, params: list[ClearValue | bytes], refused: str) -> int:
        """A write; returns how many rows it changed. A constraint or trigger's refusal is a
        Conflict naming why (`refused`: what could not be done)."""
        try:
            return raw.execute(self._ctx.session, sql, params).rowcount
        except IntegrityError as exc:
            raise Conflict(f"This {self._label} {refused}: {_reason(exc)}.") from exc

    def put_raw(self, row_id: str, payload: bytes) -> None:
        """Insert or replace a row from decrypted JSON taken by all_raw (imports only)."""
        stored, old_term = self._stored(row_id)
        self._guard(row_id, stored, None)
        rev = 1 if stored is None else _rev(stored) + 1
        clear: dict[str, ClearValue] = {name: None for name in self._clear_names}
        clear["rev"] = rev
        sealed = self._ctx.sealer.seal_bytes(self.name, row_id, clear, payload)
        values = [clear[name] for name in self._clear_names]
        if stored is None:
            self._execute(self._sql.insert, [row_id, *values, sealed], "cannot be saved")
        else:
            self._execute(self._sql.update, [*values, sealed, row_id, rev - 1], "cannot be changed")
        self._record("create" if stored is None else "edit", row_id, rev, clear, sealed, old_term)

    def _guard(self, row_id: str, clear: Mapping[str, ClearValue] | None, obj: object | None) -> None:
        """Before a write: the unit of work's guard sees the client the row is (or was) filed under."""
        guard = self._ctx.guard
        owner = row_id if self.name == "client" else (clear or {}).get("client_id")
        if guard is not None and owner:
            guard(self.name, str(owner), obj)

    def _record(
        self,
        action: str,
        row_id: str,
        rev: int,
        clear: Mapping[str, ClearValue] | None = None,
        sealed: bytes | None = None,
        old_term: int = 0,
        opened: object = None,
        detail: str = "",
    ) -> None:
        """Audit a write in its transaction; the head's set digest loses the row's old term and
        gains its new one (none for a deletion)."""
        self._track(row_id, clear, sealed, opened)
        heads = self._ctx.audit.heads
        new_term = heads.term(self.name, row_id, clear, sealed) if clear is not None else 0
        digest = row_digest(clear, sealed) if clear is not None else ""
        self._ctx.audit.record(
            self._ctx.session, action, self.name, row_id, rev, digest, detail=detail,
            change=new_term - old_term,
        )

    def _track(
        self, row_id: str, clear: Mapping[str, ClearValue] | None, sealed: bytes | None, opened: object = None
    ) -> None:
        """A flag input written: its client's summary is rewritten before the commit (uow.py)."""
        if self.name in FLAG_INPUT_TABLES and clear is not None and clear.get("client_id"):
            owner = str(clear["client_id"])
            self._ctx.touched.add(owner)
            written = SealedRow(self.kind, dict(clear), sealed, opened) if sealed is not None else None
            self._ctx.changes.setdefault(owner, {})[(self.name, row_id)] = written

    def _touch_owner(self, row_id: str, stored: Mapping[str, ClearValue]) -> None:
        """Mark the client a stored row belongs to (its summary is rewritten before the commit)."""
        owner = stored.get("client_id")
        if self.name in FLAG_INPUT_TABLES and owner:
            self._ctx.touched.add(str(owner))
            self._ctx.changes.setdefault(str(owner), {})[(self.name, row_id)] = None

    def _clear(self, obj: T, rev: int, extra: Mapping[str, ClearValue]) -> dict[str, ClearValue]:
        clear = dict(self._clear_of(obj)) | dict(extra)
        clear["rev"] = rev
        return {name: clear.get(name) for name in self._clear_names}

    def _seal(self, row_id: str, clear: Mapping[str, ClearValue], obj: T) -> tuple[bytes, object]:
        """The sealed bytes, and the object as a read of them gives it (None when of another kind)."""
        sealed, opened = self._ctx.sealer.seal_checked(self.name, row_id, clear, obj)
        return sealed, (opened if type(obj) is self.kind else None)

    def add(self, obj: T, action: str = "create", **extra: ClearValue) -> T:
        row_id = obj.id
        clear = self._clear(obj, 1, extra)
        self._guard(row_id, clear, obj)
        sealed, opened = self._seal(row_id, clear, obj)
        self._execute(self._sql.insert, [row_id, *clear.values(), sealed], "cannot be saved")
        self._record(action, row_id, 1, clear, sealed, opened=opened)
        return obj

    def add_many(self, objs: Sequence[T], action: str = "create", decoded: bool = False) -> None:
        """`add` of many new rows at once (a pulled batch, core/sync/pull.py): each sealed here as
        `add` seals it, all inserted in one statement, their audit entries (one per row, as `add`
        writes) appended together and the head written once. All or nothing in the caller's unit of
        work; a row already stored refuses the lot. `decoded`: every object was decoded from JSON
        (received), so it reads back without the check `add` makes, and is what a read would give."""
        if not objs:
            return
        sealer, heads, name = self._ctx.sealer, self._ctx.audit.heads, self.name
        rows: list[list[ClearValue | bytes]] = []
        writes: list[Write] = []
        for obj in objs:
            row_id = obj.id
            clear = self._clear(obj, 1, {})
            self._guard(row_id, clear, obj)
            sealed = sealer.seal(name, row_id, clear, obj, read_back=not decoded)
            rows.append([row_id, *clear.values(), sealed])
            # A decoded object is what a read of its bytes gives: its client's summary takes it as it
            # is instead of opening the row again (incremental.py).
            self._track(row_id, clear, sealed, obj if decoded and type(obj) is self.kind else None)
            term = heads.term(name, row_id, clear, sealed)
            writes.append(Write(action, name, row_id, 1, row_digest(clear, sealed), term))
        try:
            raw.execute_many(self._ctx.session, self._sql.insert, rows)
        except IntegrityError as exc:
            raise Conflict(f"These {self._label} records cannot be saved: {_reason(exc)}.") from exc
        self._ctx.audit.record_writes(self._ctx.session, writes)

    def replace(self, obj: T, action: str = "edit", **extra: ClearValue) -> T:
        row_id = obj.id
        stored, old_term = self._stored(row_id)  # its revision, client and term: one read
        if stored is None:
            raise NotFound(f"No {self._label} with id {row_id}.")
        old_rev = _rev(stored)
        self._guard(row_id, stored, obj)  # the client it leaves, and below the one it is filed under
        self._touch_owner(row_id, stored)  # a row given to another client changes both clients' summaries
        clear = self._clear(obj, old_rev + 1, extra)
        self._guard(row_id, clear, obj)
        sealed, opened = self._seal(row_id, clear, obj)
        changed = self._execute(
            self._sql.update, [*clear.values(), sealed, row_id, old_rev], "cannot be changed"
        )
        if changed != 1:
            raise Conflict(f"This {self._label} was changed elsewhere; reload and try again.")
        self._record(action, row_id, old_rev + 1, clear, sealed, old_term, opened)
        return obj

    def remove(self, row_id: str, action: str = "delete") -> None:
        """Delete a row. Its audit entry names the client the row was of (sealed, like every entry): a
        sync sends the removal on under that client's key (core/sync/tombstones.py). `action`:
        "receive-delete" for a removal received from another device, which never goes back."""
        stored, old_term = self._stored(row_id)
        if stored is None:
            raise NotFound(f"No {self._label} with id {row_id}.")
        rev = _rev(stored)
        self._guard(row_id, stored, None)
        self._touch_owner(row_id, stored)
        self._execute(self._sql.delete, [row_id], "cannot be deleted")
        owner = stored.get("client_id")
        self._record(action, row_id, rev, old_term=old_term, detail=f"client {owner}" if owner else "")


def _rev(stored: Mapping[str, ClearValue]) -> int:
    rev = stored.get("rev")
    if not isinstance(rev, int):  # a STRICT table holds none other; a damaged file might
        raise VaultDamaged("A record's revision in the vault is damaged.")
    return rev


def _reason(exc: IntegrityError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    if "signed and locked" in text:
        return "it is signed and locked"
    if "FOREIGN KEY" in text:
        return "other records depend on it"
    return "the vault refused the change"
