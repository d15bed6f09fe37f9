"""Push: this device's own changes since its last push, sealed under the practice key, in signed batches.

A batch is first sealed, signed and kept in the vault (state.PendingPush), then sent in one server
transaction, then marked done: an interruption at any point leaves a batch that is sent again, and the
server keeps one copy (the push number is unique per device), so nothing is lost or duplicated."""

from __future__ import annotations

from collections import ChainMap
from dataclasses import replace
from functools import partial

from sqlalchemy import Connection, Engine, insert, select, text

from notesdesk.core.crypto.encoding import lp
from notesdesk.core.domain.common import new_id
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import access, settings, shared, tombstones
from notesdesk.core.sync import server_tables as t
from notesdesk.core.sync import state as st
from notesdesk.core.sync.crypto import PushEntry, RowAddress, entries_digest
from notesdesk.core.sync.server import connected
from notesdesk.core.sync.shared import SYNCED_TABLES as RECORD_TABLES

# The practice's settings (settings.py) travel in the same log, after the record's kinds.
SYNCED_TABLES = (*RECORD_TABLES, settings.TABLE)

BATCH_BYTES = 8 * 1024 * 1024
"""Sealed bytes per push and per pull at most (a single larger row goes alone): a push is kept whole in
the vault until the server has it, and a pull is held whole in memory while it is verified, so an
attachment history of hundreds of MB moves a few MB at a time (docs/design-notes.md §9)."""

# Not "receive": others' rows go back never. "void": a receipt voided (services/receipts.py).
OWN_WRITES = frozenset({"create", "edit", "sign", "addend", "void"})


def _candidates(
    uow: UnitOfWork, current: st.SyncState, limit: int
) -> tuple[dict[tuple[str, str], tuple[str, int]], int]:
    """Up to `limit` rows written (or removed) here after audit entry `current.audit_cursor`, in the
    order first written (a client before its notes, a note before its addenda), each with the client a
    removal names ("" for a write) and the audit entry to resume after were the batch to stop before
    it, and the audit entry to resume after the last. Entries up to `refill_until` were pushed before:
    only those of the kinds to refill count."""
    assert uow.session is not None
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    cursor = last = current.audit_cursor
    for entry in uow.vault.audit.entries_after(uow.session, cursor):
        table, row_id = settings.wire(entry.table, entry.row_id) or (entry.table, entry.row_id)
        again = entry.seq <= current.refill_until and table not in current.refill
        removal = entry.action == tombstones.REMOVED and tombstones.removable(entry.table)
        if (entry.action in OWN_WRITES or removal) and table in SYNCED_TABLES and not again:
            key = (table, row_id)
            if len(seen) >= limit and key not in seen:
                break
            resume_before = seen[key][1] if key in seen else last
            seen[key] = (tombstones.client_named(entry.detail) if removal else "", resume_before)
        last = entry.seq
    return seen, last


def _widened(current: st.SyncState) -> st.SyncState:
    """A device that pushed under a version that synced fewer kinds goes over its audit log once more,
    from the start up to where it had pushed, for its earlier writes of the kinds added since."""
    added = tuple(table for table in SYNCED_TABLES if table not in current.tables)
    if not added:
        return current
    if not current.audit_cursor:  # nothing pushed yet: every kind's writes are still ahead
        return replace(current, tables=SYNCED_TABLES)
    still = current.refill if current.audit_cursor < current.refill_until else ()
    return replace(current, tables=SYNCED_TABLES, audit_cursor=0, refill=(*still, *added),
                   refill_until=max(current.refill_until, current.audit_cursor))


def _setting(uow: UnitOfWork, name: str, bases: dict[str, list[str]]) -> tuple[bytes, int, object] | None:
    """A setting's change as it goes out: of no client, so sealed under the practice key."""
    payload = settings.outgoing(uow, name, bases)
    return None if payload is None else (payload, 1, None)


def prepare(
    uow: UnitOfWork, ident: st.SyncIdentity, limit: int, max_bytes: int = BATCH_BYTES
) -> st.SyncState:
    """Seal and sign the next batch, at most `limit` rows and `max_bytes` of sealed rows (a single row
    larger than that goes alone), and keep it in the vault (one unit of work). A state with no outbox
    means nothing was left to push."""
    with uow:
        assert uow.session is not None
        stored = st.state(uow)
        assert stored.outbox is None
        current = _widened(stored)
        wanted, cursor = _candidates(uow, current, limit)
        keys = access.load(uow)
        drawn_before = len(keys.unpublished)
        rows: list[tuple[RowAddress, bytes]] = []
        seq = current.device_seq
        bases = shared.load_bases(uow)
        room = settings.TABLE in SYNCED_TABLES and len(wanted) < limit
        for name in settings.never_sent(uow, bases) if room else ():
            wanted.setdefault((settings.TABLE, name), ("", cursor))
        size = 0
        for (table, row_id), (removed_from, resume_before) in wanted.items():
            # The bases this row moves on are kept apart until it is known to fit in this batch.
            moved: dict[str, list[str]] = {}
            settled: list[str] = []  # bases a setting change ends, once it fits
            if removed_from:  # removed here: the removal travels, unless the row is back
                stone = tombstones.outgoing(uow, table, row_id, removed_from, bases)
                if stone is None or not access.may_push(keys, tombstones.TABLE, stone[1]):
                    continue
                moved[shared.row_key(table, row_id)] = [tombstones.SENT]  # not sent again
                at = RowAddress(tombstones.TABLE, row_id, 1, ident.device_id, seq + 1)
                sealed = access.seal(keys, ident, tombstones.TABLE, stone[1], at, stone[0])
            elif table == settings.TABLE:
                trial = dict(bases)  # settings.outgoing also ends the bases of removed items
                found = _setting(uow, row_id, trial)
                if found is None:
                    continue
                moved = {k: v for k, v in trial.items() if bases.get(k) != v}
                settled.extend(k for k in bases if k not in trial)
                at = RowAddress(table, new_id(), found[1], ident.device_id, seq + 1)  # named in the seal
                sealed = access.seal(keys, ident, table, found[2], at, found[0])
            else:
                found = shared.outgoing(uow, table, row_id, ChainMap(moved, bases),
                                        keep=partial(access.may_push, keys, table))
                if found is None:
                    continue
                at = RowAddress(table, row_id, found[1], ident.device_id, seq + 1)
                sealed = access.seal(keys, ident, table, found[2], at, found[0])
            if rows and size + len(sealed[1]) > max_bytes:
                cursor = resume_before  # full: this row and those after it start the next batch
                break
            bases.update(moved)
            for key in settled:
                bases.pop(key, None)
            seq += 1
            size += len(sealed[1])
            rows.append(sealed)
        shared.save_bases(uow, bases)
        if not rows:
            updated = replace(current, audit_cursor=cursor)
            if updated != stored:
                st.save(uow, updated)
                uow.commit()
            return updated
        audit_seq, audit_chain = uow.vault.audit.head(uow.session)
        entry = PushEntry(
            ident.practice_id,
            ident.device_id,
            current.push_seq + 1,
            current.device_seq + 1,
            seq,
            bytes.fromhex(current.push_hash),
            entries_digest(rows),
            lp(audit_seq, audit_chain),
        )
        outbox = st.PendingPush(
            push_seq=entry.push_seq,
            first_seq=entry.first_seq,
            last_seq=entry.last_seq,
            previous=entry.previous.hex(),
            digest=entry.digest.hex(),
            audit_head=entry.audit_head.hex(),
            signature=entry.sign(bytes.fromhex(ident.device_sign_private)).hex(),
            rows=[
                st.PendingRow(
                    at.table, at.row_id, at.rev, at.device_seq, sealed.hex(), at.client_id, at.key_id
                )
                for at, sealed in rows
            ],
            audit_cursor=cursor,
        )
        updated = replace(current, outbox=outbox)
        st.save(uow, updated)
        if len(keys.unpublished) != drawn_before:
            access.save(uow, keys)  # a key drawn for this batch is kept with it
        uow.commit()
        return updated


def entry_of(ident: st.SyncIdentity, box: st.PendingPush) -> PushEntry:
    return PushEntry(
        ident.practice_id,
        ident.device_id,
        box.push_seq,
        box.first_seq,
        box.last_seq,
        bytes.fromhex(box.previous),
        bytes.fromhex(box.digest),
        bytes.fromhex(box.audit_head),
    )


def lock_log(connection: Connection, practice_id: str) -> None:
    """Pushes of one practice take turns, so server revisions are handed out in commit order and a pull
    never passes a push that commits later with a smaller number."""
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:p))"), {"p": practice_id})


def send(engine: Engine, ident: st.SyncIdentity, box: st.PendingPush) -> None:
    """Send a kept batch in one server transaction; sending it again changes nothing."""
    with connected(engine) as connection:
        lock_log(connection, ident.practice_id)
        stored = connection.execute(
            select(t.push.c.signature).where(
                t.push.c.device_id == ident.device_id, t.push.c.push_seq == box.push_seq
            )
        ).first()
        if stored is not None:
            if bytes(stored.signature) != bytes.fromhex(box.signature):
                raise NotesdeskError(
                    "The practice server holds a different batch under this device's next "
                    "number: nothing was sent. The server's log for this device was altered."
                )
            return
        connection.execute(
            insert(t.change),
            [
                {
                    "practice_id": ident.practice_id,
                    "device_id": ident.device_id,
                    "device_seq": row.device_seq,
                    "table_name": row.table,
                    "row_id": row.row_id,
                    "rev": row.rev,
                    "sealed": bytes.fromhex(row.sealed),
                    "client_id": row.client_id or None,
                    "key_id": row.key_id or None,
                }
                for row in box.rows
            ],
        )
        connection.execute(
            insert(t.push).values(
                practice_id=ident.practice_id,
                device_id=ident.device_id,
                push_seq=box.push_seq,
                first_seq=box.first_seq,
                last_seq=box.last_seq,
                previous=bytes.fromhex(box.previous),
                digest=bytes.fromhex(box.digest),
                audit_head=bytes.fromhex(box.audit_head),
                signature=bytes.fromhex(box.signature),
            )
        )


def acknowledge(uow: UnitOfWork, ident: st.SyncIdentity) -> None:
    """The kept batch reached the server: move this device's log on and forget it."""
    with uow:
        current = st.state(uow)
        box = current.outbox
        assert box is not None
        st.save(
            uow,
            replace(
                current,
                outbox=None,
                audit_cursor=box.audit_cursor,
                device_seq=box.last_seq,
                push_seq=box.push_seq,
                push_hash=entry_of(ident, box).hash().hex(),
                pushed_rows=current.pushed_rows + len(box.rows),
            ),
        )
        uow.commit()
