"""Pull: the other devices' pushes by server revision, in batches, each verified before anything of it
is applied: the device is certified by the practice, its log continues exactly where it was last seen
(push number, previous hash, row numbers), the signature holds, the rows are all there and unaltered,
and every signed note and addendum verifies under its author's key. A batch that fails any check is
refused whole, with one line saying so; what was applied before it stays."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, select

from notesdesk.core.domain.common import now
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.services import retention
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import access, episodes, roster, settings, shared, tombstones
from notesdesk.core.sync import server_tables as t
from notesdesk.core.sync import state as st
from notesdesk.core.sync.arrivals import Arrivals
from notesdesk.core.sync.crypto import (
    DeviceKeys,
    PushEntry,
    RowAddress,
    RowCiphers,
    SyncRefused,
    entries_digest,
)
from notesdesk.core.sync.push import BATCH_BYTES
from notesdesk.core.sync.server import connected


class SyncTampered(NotesdeskError):
    """The server's copy of a device's log was altered, cut, reordered or forged: nothing of it applied."""

    exit_code = 4


def _refuse(device: str, what: str) -> SyncTampered:
    return SyncTampered(
        f"Sync refused: the server's log for device {device[:8]} {what}. Nothing from that "
        "batch was applied; tell whoever runs the practice server."
    )


@dataclass(frozen=True)
class _Batch:
    """One push as read from the server, with its rows."""

    server_seq: int
    device_id: str
    entry: PushEntry
    signature: bytes
    rows: list[tuple[RowAddress, bytes]]


def fetch(
    engine: Engine, ident: st.SyncIdentity, cursor: int, limit: int, max_bytes: int = BATCH_BYTES
) -> tuple[list[_Batch], dict[str, DeviceKeys]]:
    """The next pushes after server revision `cursor`, with their rows: at most `limit` of them and
    `max_bytes` of sealed rows (a larger single push comes alone), so a pull is held in memory a few MB
    at a time however much is waiting; and the certified devices. Read in one server transaction."""
    p, c = t.push.c, t.change.c
    with connected(engine) as connection:
        trusted = roster.certified(connection, ident.practice_id, ident.key, ident.key_version)
        # Each push's size comes with it (the server knows a value's length without reading it); the
        # rows are read only for the pushes that fit.
        size = (
            select(func.coalesce(func.sum(func.octet_length(c.sealed)), 0))
            .where(c.device_id == p.device_id, c.device_seq >= p.first_seq, c.device_seq <= p.last_seq)
            .scalar_subquery()
        )
        listed = connection.execute(
            select(t.push, size.label("size"))
            .where(p.practice_id == ident.practice_id, p.server_seq > cursor)
            .order_by(p.server_seq)
            .limit(limit)
        ).all()
        pushes: list[Row[Any]] = []
        total = 0
        for row in listed:
            weight = 0 if row.device_id == ident.device_id else int(row.size)
            if pushes and total + weight > max_bytes:
                break
            pushes.append(row)
            total += weight
        batches = []
        for row in pushes:
            entry = PushEntry.from_server(ident.practice_id, row.device_id, row)
            rows = [] if row.device_id == ident.device_id else _rows(connection, row.device_id, entry)
            batches.append(_Batch(row.server_seq, row.device_id, entry, bytes(row.signature), rows))
    return batches, trusted


def _rows(connection: Connection, device_id: str, entry: PushEntry) -> list[tuple[RowAddress, bytes]]:
    c = t.change.c
    found = connection.execute(
        select(c.device_seq, c.table_name, c.row_id, c.rev, c.sealed, c.client_id, c.key_id)
        .where(c.device_id == device_id, c.device_seq >= entry.first_seq, c.device_seq <= entry.last_seq)
        .order_by(c.device_seq)
    )
    return [
        (
            RowAddress(
                r.table_name, r.row_id, r.rev, device_id, r.device_seq, r.client_id or "", r.key_id or ""
            ),
            bytes(r.sealed),
        )
        for r in found
    ]


def check(batch: _Batch, trusted: dict[str, DeviceKeys], log: st.DeviceLog) -> st.DeviceLog:
    """Verify one push against the device's log as last seen; returns the log moved past it."""
    device, entry = batch.device_id, batch.entry
    keys = trusted.get(device)
    if keys is None:
        raise _refuse(device, "holds a batch from a device no member of the practice has added")
    if keys.pushes_until is not None and (
        entry.push_seq > keys.pushes_until
        or (entry.push_seq == keys.pushes_until and entry.hash() != keys.last_push_hash)
    ):
        raise _refuse(device, "holds a batch made after that device was removed from the practice")
    if (
        entry.push_seq != log.push_seq + 1
        or entry.previous.hex() != log.hash
        or entry.first_seq != log.last_seq + 1
    ):
        raise _refuse(device, "has a batch missing, replayed or out of order")
    if not entry.signature_valid(keys.sign_public, batch.signature):
        raise _refuse(device, "holds a batch whose signature fails (forged or altered)")
    if [at.device_seq for at, _sealed in batch.rows] != list(range(entry.first_seq, entry.last_seq + 1)):
        raise _refuse(device, "has rows missing from a batch")
    if entries_digest(batch.rows) != entry.digest:
        raise _refuse(device, "holds rows that were altered")
    return st.DeviceLog(entry.push_seq, entry.hash().hex(), entry.last_seq)


def _open(
    ident: st.SyncIdentity,
    device: str,
    at: RowAddress,
    sealed: bytes,
    keys: access.ClientKeys,
    ciphers: RowCiphers,
) -> shared.Opened | None:
    """One verified row opened and decoded; None when this clinician holds no key for it (a client
    not shared with them)."""
    try:
        payload = access.open_sealed(keys, ident, at, sealed, ciphers)
        if payload is None:
            return None
        if at.table == tombstones.TABLE:
            return tombstones.opened(at.row_id, payload)
        return shared.open_received(at.table, at.row_id, payload)
    except SyncRefused as exc:
        raise _refuse(device, "holds a row that fails its seal") from exc
    except shared.Refused as exc:
        raise _refuse(device, str(exc)) from exc


def _apply(
    uow: UnitOfWork,
    device: str,
    at: RowAddress,
    opened: shared.Opened | None,
    signers: dict[str, bytes],
    keys: access.ClientKeys,
    clinician_id: str,
    bases: dict[str, list[str]],
    arrivals: Arrivals,
) -> str:
    """Take one opened row in (shared.incoming says how, table by table): also "skipped" (a client
    not shared with this clinician) or "not taken" (a supervisor's row that is not a co-signature)."""
    if opened is None:
        return "skipped"
    try:
        if opened.table == tombstones.TABLE:
            declined = _admitted(keys, clinician_id, at, opened.obj, strict=True)
            return declined or tombstones.incoming(uow, opened.obj, bases, arrivals)
        return shared.incoming(uow, at.table, at.row_id, device, opened.row, signers, bases, arrivals,
                               admit=lambda obj: _admitted(keys, clinician_id, at, obj), opened=opened)
    except shared.Refused as exc:
        raise _refuse(device, str(exc)) from exc


def _setting(
    uow: UnitOfWork,
    ident: st.SyncIdentity,
    device: str,
    clinician_id: str,
    at: RowAddress,
    sealed: bytes,
    keys: access.ClientKeys,
    bases: dict[str, list[str]],
    given: bool = False,
) -> str:
    """One verified change of a practice setting taken in (settings.incoming says how). `given`: of a
    push the profile this device was given at its join already holds (state.GivenProfile)."""
    if at.client_id:
        raise _refuse(device, "holds a practice setting filed under a client")
    try:
        payload = access.open_sealed(keys, ident, at, sealed)  # of no client: the practice key
    except SyncRefused as exc:
        raise _refuse(device, "holds a row that fails its seal") from exc
    assert payload is not None  # a row of no client always has a key here
    try:
        return settings.incoming(uow, payload, device, ident.device_id,
                                 clinician_id == ident.clinician_id, bases, clinician_id, given)
    except settings.SettingRefused as exc:
        raise _refuse(device, str(exc)) from exc


def _admitted(
    keys: access.ClientKeys, clinician_id: str, at: RowAddress, obj: object, strict: bool = False
) -> str | None:
    """None when the opened row is to be taken in; why not otherwise (a mislabelled row is refused).
    `strict`: the row must be sealed under its client's key (a removal: never under the practice key,
    which every member holds, clients shared with them or not)."""
    if (at.client_id or strict) and access.client_of(at.table, obj) != at.client_id:
        raise shared.Refused("holds a row sealed under another client's key")
    if not access.may_take(keys, clinician_id, at.table, obj, at.key_id):
        return "not taken"
    return None


SIGNATURES_TOGETHER = 1000
"""Rows opened and verified as one group: several pushes' worth (a push holds at most 200), enough for
signing.verify_many to spread a group's signatures over both cores, few enough that a new device's first
pull never holds more than two groups opened at once."""

_Verified = tuple[_Batch, list[tuple[RowAddress, bytes]], list[shared.Opened | None]]


def _groups(
    ident: st.SyncIdentity,
    batches: list[_Batch],
    trusted: dict[str, DeviceKeys],
    logs: dict[str, st.DeviceLog],
    keys: access.ClientKeys,
    ciphers: RowCiphers,
) -> Iterator[tuple[list[_Verified], bool]]:
    """Each other device's push checked against its log (moved in `logs`) and its wanted rows opened
    and decoded once, signatures not checked yet; in groups of SIGNATURES_TOGETHER rows or more, each
    with whether it is the last."""
    group: list[_Verified] = []
    pending = 0
    others = [batch for batch in batches if batch.device_id != ident.device_id]
    for n, batch in enumerate(others):
        logs[batch.device_id] = check(batch, trusted, logs.get(batch.device_id, st.DeviceLog()))
        rows = [(at, sealed) for at, sealed in batch.rows
                if access.wanted(keys, batch.server_seq, at) and at.table != settings.TABLE]
        group.append((batch, rows, [_open(ident, batch.device_id, at, sealed, keys, ciphers)
                                    for at, sealed in rows]))
        pending += len(rows)
        last = n == len(others) - 1
        if pending >= SIGNATURES_TOGETHER or last:
            yield group, last
            group, pending = [], 0


def _signatures(group: list[_Verified], signers: dict[str, bytes]) -> list[shared.Opened | None]:
    return shared.check_signatures([item for _batch, _rows, opened in group for item in opened], signers)


def _split(group: list[_Verified], checked: list[shared.Opened | None]) -> Iterator[_Verified]:
    verdicts = iter(checked)
    for batch, rows, opened in group:
        yield batch, rows, [next(verdicts) for _ in opened]


def _verified(
    ident: st.SyncIdentity,
    batches: list[_Batch],
    trusted: dict[str, DeviceKeys],
    logs: dict[str, st.DeviceLog],
    keys: access.ClientKeys,
    signers: dict[str, bytes],
    ciphers: RowCiphers,
) -> Iterator[_Verified]:
    """Each push checked (`_groups`) with its rows' signatures checked, before it is given to be applied.
    The signatures of a group are checked on a second thread while the group before it is applied
    (Ed25519 in `cryptography` runs without the interpreter lock): on a first pull, nearly all of them
    off the thread that applies. Nothing here writes to the vault; a group is given to be applied only
    once all its signatures were checked."""
    checker: ThreadPoolExecutor | None = None
    previous: tuple[list[_Verified], Future[list[shared.Opened | None]]] | None = None
    try:
        for group, last in _groups(ident, batches, trusted, logs, keys, ciphers):
            if previous is None and last:  # one group (any pull but a long one): nothing to overlap
                yield from _split(group, _signatures(group, signers))
                return
            if checker is None:
                checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-signatures")
            future = checker.submit(_signatures, group, signers)
            if previous is not None:
                yield from _split(previous[0], previous[1].result())
            previous = (group, future)
        if previous is not None:
            yield from _split(previous[0], previous[1].result())
    finally:
        if checker is not None:
            checker.shutdown(wait=True, cancel_futures=True)


def apply(
    uow: UnitOfWork, ident: st.SyncIdentity, batches: list[_Batch], trusted: dict[str, DeviceKeys]
) -> int:
    """Verify and apply fetched pushes in one unit of work (all or nothing); returns the rows added."""
    added = 0
    with uow:
        uow.lift_supervision_guard()  # rows of a supervised client arrive from its clinician
        current = st.state(uow)
        logs = dict(current.logs)
        listed = roster.note_signers(trusted)
        signers = {fp: bytes.fromhex(key) for fp, key in listed.items()}
        known = {fp: key.hex() for fp, key in st.signers(uow).items()}
        if known | listed != known:  # keys are only ever added: notes signed once keep verifying
            st.save(uow, st.PracticeSigners(known | listed))
        held = current.held
        keys = access.load(uow)
        skipped_before = (sum(keys.skipped.values()), keys.not_taken)
        catching_up = bool(keys.catch_up)
        bases = shared.load_bases(uow)
        arrivals = Arrivals(uow)  # which rows are here already: asked once, by id
        arrivals.expect((at.table, at.row_id) for batch in batches for at, _sealed in batch.rows)
        purged, left_out = retention.purged_clients(uow), 0
        ciphers: RowCiphers = {}
        for batch, rows, opened in _verified(ident, batches, trusted, logs, keys, signers, ciphers):
            clinician = trusted[batch.device_id].clinician_id
            for (at, _sealed), ready in zip(rows, opened, strict=True):
                if ready is not None and access.client_of(ready.table, ready.obj) in purged:
                    left_out += 1  # of a record deleted here (retention): not started again
                    continue
                outcome = _apply(uow, batch.device_id, at, ready, signers, keys, clinician, bases, arrivals)
                added += outcome in ("added", "applied", "removed")
                held += outcome in ("held", "conflict")
                if outcome == "skipped":
                    keys.skipped[at.client_id] = keys.skipped.get(at.client_id, 0) + 1
                elif outcome == "not taken":
                    keys = replace(keys, not_taken=keys.not_taken + 1)
            arrivals.settle()  # the push's new rows inserted together, before its own audit entry
            changed = [(at, sealed) for at, sealed in batch.rows
                       if at.table == settings.TABLE and access.wanted(keys, batch.server_seq, at)]
            given = current.given.holds(batch.server_seq, batch.device_id, batch.entry.push_seq)
            for at, sealed in changed:  # the practice's settings, after the record they may score
                outcome = _setting(uow, ident, batch.device_id, clinician, at, sealed, keys, bases, given)
                added += outcome == "applied"
                held += outcome == "held"
            uow.record("sync-receive", detail=f"device {batch.device_id} push {batch.entry.push_seq}")
        if left_out:
            uow.record("sync-left-out", detail=f"{left_out} rows of records deleted here (retention)")
            held += left_out
        # Reopened on two devices offline: one current episode, the same on every device.
        arrived = {at.client_id for b in batches for at, _ in b.rows if at.table == "episode"}
        episodes.fold_reopened(uow, arrived)
        shared.save_bases(uow, bases)
        cursor = batches[-1].server_seq if batches else current.pull_cursor
        if keys.catch_up and cursor >= keys.catch_up_until:
            keys = replace(keys, catch_up=[], catch_up_until=0)
        counted = (sum(keys.skipped.values()), keys.not_taken)
        if counted != skipped_before or catching_up != bool(keys.catch_up):
            access.save(uow, keys)
        st.save(
            uow,
            replace(
                current,
                logs=logs,
                pull_cursor=cursor,
                held=held,
                last_sync=now(),
                received_rows=current.received_rows + added,
            ),
        )
        uow.commit()
    return added
