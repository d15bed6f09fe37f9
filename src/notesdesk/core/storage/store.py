"""Generic reads and writes of sealed rows; every write is audited in the same transaction.

Bulk reads go through SQLAlchemy Core rows and decrypt in one tight loop: ORM instances cost
several times more on a full read (docs/design-notes.md §3).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, literal_column

from notesdesk.core.crypto.cipher import ClearValue
from notesdesk.core.errors import Conflict, NotFound
from notesdesk.core.storage.audit import AuditLog, Write, row_digest
from notesdesk.core.storage.sealer import Sealer
from notesdesk.core.storage.tables import FLAG_INPUT_TABLES, SEALED_TABLES, Base, missing_later_table

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


@dataclass(frozen=True)
class SealedRow:
    """A row as this unit of work wrote it, opened only if its client's summary needs it."""

    kind: type[Any]
    clear: Mapping[str, ClearValue]
    sealed: bytes


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
        self._table: Table = Base.metadata.tables[name]
        self._clear_names = SEALED_TABLES[name]
        self._missing: bool | None = None

    # -- reads ---------------------------------------------------------------------------------

    @property
    def missing(self) -> bool:
        """True for a table of a later schema that this older, read-only vault lacks: no rows."""
        if self._missing is None:
            self._missing = missing_later_table(self._ctx.session, self.name)
        return self._missing

    def _columns(self) -> list[Any]:
        c = self._table.c
        return [c.id, *(c[n] for n in self._clear_names), c.data]

    def _decode_rows(self, rows: Any) -> list[T]:
        sealer, name, kind, names = self._ctx.sealer, self.name, self.kind, self._clear_names
        out = []
        for row in rows:
            clear = dict(zip(names, row[1:-1], strict=True))
            out.append(sealer.open(name, row[0], clear, row[-1], kind))
        return out

    def get(self, row_id: str) -> T:
        if self.missing:
            raise NotFound(f"No {self._label} with id {row_id}.")
        row = self._ctx.session.execute(
            select(*self._columns()).where(self._table.c.id == row_id)
        ).first()
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
        query = select(*self._columns())
        for column, value in equals.items():
            query = query.where(self._table.c[column] == value)
        return self._decode_rows(self._ctx.session.execute(query))

    def all(self) -> list[T]:
        if self.missing:
            return []
        return self._decode_rows(self._ctx.session.execute(select(*self._columns())))

    def page(self, after: int, size: int) -> tuple[list[T], int]:
        """Up to `size` rows stored after SQLite row number `after` (0 for the first page), in the
        order stored (as `all` reads them), and the row number to go on after: a full read in pieces,
        each of which can be its own unit of work (services/search.py)."""
        if self.missing:
            return [], after
        rowid: ColumnElement[int] = literal_column("rowid")
        query = select(*self._columns(), rowid).where(rowid > after).order_by(rowid).limit(size)
        rows = list(self._ctx.session.execute(query))
        last = int(rows[-1][-1]) if rows else after
        return self._decode_rows(row[:-1] for row in rows), last

    def rev_of(self, row_id: str) -> int:
        rev = self._ctx.session.scalar(select(self._table.c.rev).where(self._table.c.id == row_id))
        if rev is None:
            raise NotFound(f"No {self._label} with id {row_id}.")
        return int(rev)

    def ids(self, **equals: ClearValue) -> list[str]:
        if self.missing:
            return []
        query = select(self._table.c.id)
        for column, value in equals.items():
            query = query.where(self._table.c[column] == value)
        return list(self._ctx.session.scalars(query))

    def stored(self, row_ids: Iterable[str]) -> set[str]:
        """Which of these ids are stored: ids only, nothing opened (a pulled batch asks once)."""
        if self.missing:
            return set()
        wanted, found = list(row_ids), set[str]()
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            part = wanted[start : start + _IDS_PER_QUERY]
            found.update(self._ctx.session.scalars(select(self._table.c.id).where(self._table.c.id.in_(part))))
        return found

    def all_raw(self) -> list[tuple[str, bytes]]:
        """(row id, decrypted JSON) for every row: lossless copies of rows of mixed kinds."""
        if self.missing:
            return []
        sealer, name, names = self._ctx.sealer, self.name, self._clear_names
        rows = self._ctx.session.execute(select(*self._columns()))
        return [
            (row[0], sealer.open_bytes(name, row[0], dict(zip(names, row[1:-1], strict=True)), row[-1]))
            for row in rows
        ]

    # -- writes --------------------------------------------------------------------------------

    def put_raw(self, row_id: str, payload: bytes) -> None:
        """Insert or replace a row from decrypted JSON taken by all_raw (imports only)."""
        exists = self._ctx.session.scalar(select(self._table.c.rev).where(self._table.c.id == row_id))
        old_term = self._stored_term(row_id) if exists is not None else 0
        rev = (int(exists) + 1) if exists is not None else 1
        clear = {name: None for name in self._clear_names} | {"rev": rev}
        sealed = self._ctx.sealer.seal_bytes(self.name, row_id, clear, payload)
        if exists is None:
            self._ctx.session.execute(insert(self._table).values(id=row_id, data=sealed, **clear))
        else:
            self._ctx.session.execute(
                update(self._table).where(self._table.c.id == row_id).values(data=sealed, **clear)
            )
        action = "create" if exists is None else "edit"
        self._record(action, row_id, rev, clear, sealed, old_term)

    def _stored_term(self, row_id: str) -> int:
        return self._ctx.audit.heads.stored_term(self._ctx.session, self.name, row_id)

    def _record(
        self,
        action: str,
        row_id: str,
        rev: int,
        clear: Mapping[str, ClearValue] | None = None,
        sealed: bytes | None = None,
        old_term: int = 0,
    ) -> None:
        """Audit a write in its transaction; the head's set digest loses the row's old term and
        gains its new one (none for a deletion)."""
        self._track(row_id, clear, sealed)
        heads = self._ctx.audit.heads
        new_term = heads.term(self.name, row_id, clear, sealed) if clear is not None else 0
        digest = row_digest(clear, sealed) if clear is not None else ""
        self._ctx.audit.record(
            self._ctx.session, action, self.name, row_id, rev, digest, change=new_term - old_term
        )

    def _track(self, row_id: str, clear: Mapping[str, ClearValue] | None, sealed: bytes | None) -> None:
        """A flag input written: its client's summary is rewritten before the commit (uow.py)."""
        if self.name in FLAG_INPUT_TABLES and clear is not None and clear.get("client_id"):
            owner = str(clear["client_id"])
            self._ctx.touched.add(owner)
            written = SealedRow(self.kind, dict(clear), sealed) if sealed is not None else None
            self._ctx.changes.setdefault(owner, {})[(self.name, row_id)] = written

    def _touch_owner(self, row_id: str) -> None:
        """Mark the client a stored row belongs to (its summary is rewritten before the commit)."""
        if self.name in FLAG_INPUT_TABLES:
            table = self._table
            owner = self._ctx.session.scalar(select(table.c.client_id).where(table.c.id == row_id))
            if owner:
                self._ctx.touched.add(str(owner))
                self._ctx.changes.setdefault(str(owner), {})[(self.name, row_id)] = None

    def _clear(self, obj: T, rev: int, extra: Mapping[str, ClearValue]) -> dict[str, ClearValue]:
        clear = dict(self._clear_of(obj)) | dict(extra)
        clear["rev"] = rev
        return {name: clear.get(name) for name in self._clear_names}

    def add(self, obj: T, action: str = "create", **extra: ClearValue) -> T:
        row_id = obj.id
        clear = self._clear(obj, 1, extra)
        sealed = self._ctx.sealer.seal(self.name, row_id, clear, obj)
        try:
            self._ctx.session.execute(insert(self._table).values(id=row_id, data=sealed, **clear))
        except IntegrityError as exc:
            raise Conflict(f"This {self._label} cannot be saved: {_reason(exc)}.") from exc
        self._record(action, row_id, 1, clear, sealed)
        return obj

    def add_many(self, objs: Sequence[T], action: str = "create", decoded: bool = False) -> None:
        """`add` of many new rows at once (a pulled batch, core/sync/pull.py): each sealed here as
        `add` seals it, all inserted in one statement, their audit entries (one per row, as `add`
        writes) appended together and the head written once. All or nothing in the caller's unit of
        work; a row already stored refuses the lot. `decoded`: every object was decoded from JSON
        (received), so it reads back without the check `add` makes."""
        if not objs:
            return
        sealer, heads, name = self._ctx.sealer, self._ctx.audit.heads, self.name
        rows: list[dict[str, Any]] = []
        writes: list[Write] = []
        for obj in objs:
            row_id = obj.id
            clear = self._clear(obj, 1, {})
            sealed = sealer.seal(name, row_id, clear, obj, read_back=not decoded)
            rows.append({"id": row_id, "data": sealed, **clear})
            self._track(row_id, clear, sealed)
            term = heads.term(name, row_id, clear, sealed)
            writes.append(Write(action, name, row_id, 1, row_digest(clear, sealed), term))
        try:
            self._ctx.session.execute(insert(self._table), rows)
        except IntegrityError as exc:
            raise Conflict(f"These {self._label} records cannot be saved: {_reason(exc)}.") from exc
        self._ctx.audit.record_writes(self._ctx.session, writes)

    def replace(self, obj: T, action: str = "edit", **extra: ClearValue) -> T:
        row_id = obj.id
        old_rev = self.rev_of(row_id)
        old_term = self._stored_term(row_id)
        self._touch_owner(row_id)  # a row given to another client changes both clients' summaries
        clear = self._clear(obj, old_rev + 1, extra)
        sealed = self._ctx.sealer.seal(self.name, row_id, clear, obj)
        try:
            result = self._ctx.session.execute(
                update(self._table)
                .where(self._table.c.id == row_id, self._table.c.rev == old_rev)
                .values(data=sealed, **clear)
            )
        except IntegrityError as exc:
            raise Conflict(f"This {self._label} cannot be changed: {_reason(exc)}.") from exc
        if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
            raise Conflict(f"This {self._label} was changed elsewhere; reload and try again.")
        self._record(action, row_id, old_rev + 1, clear, sealed, old_term)
        return obj

    def remove(self, row_id: str) -> None:
        rev = self.rev_of(row_id)
        old_term = self._stored_term(row_id)
        self._touch_owner(row_id)
        try:
            self._ctx.session.execute(delete(self._table).where(self._table.c.id == row_id))
        except IntegrityError as exc:
            raise Conflict(f"This {self._label} cannot be deleted: {_reason(exc)}.") from exc
        self._record("delete", row_id, rev, old_term=old_term)


def _reason(exc: IntegrityError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    if "signed and locked" in text:
        return "it is signed and locked"
    if "FOREIGN KEY" in text:
        return "other records depend on it"
    return "the vault refused the change"
