"""What `services/supervision.kept_here` counts, without opening every record of every supervised client
each time `practice status` or File ▸ Practice… asks (docs/design-notes.md §9, Supervision).

Whether a row of a client this vault only supervises was written here depends on the row alone (a
draft, a note or addendum signed with this vault's key) or on its content against its sync base (an
enveloped row: its content token). That is worked out once per write of the row and kept, sealed in
the vault's `secret` table like the rest of the sync state, keyed by the row's seal header: its
random nonce is new with every write, so a row changed since (a pull, a conflict taken, a record
written by an older version) is known without opening it, read from the clear columns alone, and is
opened again. Every sync keeps it up to date (`refresh`); between syncs, the few rows written since
are opened on each count. The count is the same as opening every row: only which rows are opened
changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from notesdesk.core.crypto import signing
from notesdesk.core.domain.notes import Addendum, SessionNote
from notesdesk.core.storage.sealer import encode
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork, is_co_signature
from notesdesk.core.sync import access, shared
from notesdesk.core.sync import state as st

KEPT_ROWS_ID = st.KEPT_ROWS_ID
WRITTEN_HERE, RECEIVED = "+", "-"  # of a note or addendum; an enveloped row keeps its content token


@dataclass(frozen=True)
class KeptRows:
    signer: str = ""  # the fingerprint of the note key the rows were judged under
    # table -> row id -> [the seal's header, hex; WRITTEN_HERE, RECEIVED or the content token]
    rows: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    id: str = KEPT_ROWS_ID


def _table(uow: UnitOfWork) -> SealedTable[KeptRows]:
    return SealedTable(uow.ctx, "secret", KeptRows, label="vault setting")


def stored(uow: UnitOfWork) -> KeptRows:
    """What the last sync judged (inside an entered unit of work)."""
    return _table(uow).find(KEPT_ROWS_ID) or KeptRows()


def _counted(spec: shared.Spec) -> bool:
    """Rows that may count: notes, addenda and enveloped rows (an attachment's author is not recorded,
    so attachments and their parts never count and are never read)."""
    return spec.table in ("note", "addendum") or spec.enveloped


def _judged(spec: shared.Spec, obj: Any, mine: str) -> str:
    if isinstance(obj, SessionNote | Addendum):  # append-only, sent bare: written here if signed here
        if is_co_signature("addendum", obj):
            return RECEIVED
        here = obj.signature is None or obj.signature.key_fingerprint == mine
        return WRITTEN_HERE if here else RECEIVED
    return shared.content_token(encode(obj))


def _kept(table: str, row_id: str, mark: str, bases: dict[str, list[str]]) -> bool:
    if mark in (WRITTEN_HERE, RECEIVED):
        return mark == WRITTEN_HERE
    # An enveloped row is as last synced (received, here) when its base is its content now.
    return bases.get(shared.row_key(table, row_id)) != [mark]


def judged(uow: UnitOfWork, supervising: Iterable[str]) -> KeptRows:
    """Each row of these clients judged: from what is kept when its seal is the one judged, opened
    otherwise (inside an entered unit of work)."""
    clients = sorted(supervising)
    mine = signing.fingerprint(uow.vault.signing_public_key())
    kept = _table(uow).find(KEPT_ROWS_ID)
    before = kept.rows if kept is not None and kept.signer == mine else {}
    rows: dict[str, dict[str, list[str]]] = {}
    for table, spec in shared.SPECS.items():
        if not _counted(spec):
            continue
        repository = shared.repository_of(uow, table)
        known = before.get(table, {})
        now: dict[str, list[str]] = {}
        written: dict[str, str] = {}  # rows written since they were judged (or never judged): opened
        for row_id, seal in repository.seals(clients):
            was = known.get(row_id)
            if was is not None and was[0] == seal:
                now[row_id] = was
            else:
                written[row_id] = seal
        for obj in repository.many(list(written)):
            now[obj.id] = [written[obj.id], _judged(spec, obj, mine)]
        if now:
            rows[table] = now
    return KeptRows(mine, rows)


def count(uow: UnitOfWork, supervising: Iterable[str]) -> int:
    """Records of these clients written or changed here (inside an entered unit of work)."""
    bases = shared.load_bases(uow)
    found = judged(uow, supervising)
    return sum(_kept(table, row_id, mark, bases)
               for table, rows in found.rows.items() for row_id, (_seal, mark) in rows.items())


def refresh(uow: UnitOfWork) -> None:
    """Judge the rows written since the last refresh and keep what was found (inside an entered unit of
    work: a sync's last). Written only when it changed."""
    supervising = access.load(uow).supervising
    table = _table(uow)
    stored = table.find(KEPT_ROWS_ID)
    if not supervising:
        if stored is not None and stored.rows:
            table.replace(KeptRows())
        return
    found = judged(uow, supervising)
    if stored is None:
        table.add(found)
    elif found != stored:
        table.replace(found)
