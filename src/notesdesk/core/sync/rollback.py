"""A vault rolled back behind the server: restored from a backup made before its last push.

Each push carries the device's audit head and is signed with the device's own key, which the server
does not have. So when the server holds a push of this device that this vault does not know, signed
by this device, and the audit head in it is not in this vault's log, the server is not at fault: the
vault is older than what it already sent. Told apart from tampering before anything is sent, with
one line saying what happened and what to do (docs/design-notes.md §9)."""

from __future__ import annotations

import hmac
import struct
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from notesdesk.core.crypto import signing
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.storage.audit import AuditLog
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import server_tables as t
from notesdesk.core.sync import state as st
from notesdesk.core.sync.crypto import PushEntry
from notesdesk.core.sync.server import connected

_LENGTH = struct.Struct(">I")


class VaultBehindServer(NotesdeskError):
    """This vault is older than the log it already sent: nothing is sent or received until resolved."""


@dataclass(frozen=True)
class LastPush:
    """This device's newest push as the server holds it."""

    entry: PushEntry
    signature: bytes
    pushed_at: datetime


def last_push(connection: Connection, ident: st.SyncIdentity) -> LastPush | None:
    p = t.push.c
    row = connection.execute(
        select(t.push)
        .where(p.practice_id == ident.practice_id, p.device_id == ident.device_id)
        .order_by(p.push_seq.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    entry = PushEntry.from_server(ident.practice_id, ident.device_id, row)
    return LastPush(entry, bytes(row.signature), row.pushed_at)


def audit_head_of(carried: bytes) -> tuple[int, str] | None:
    """(sequence, chain value in hex) from a push's `audit_head` (lp(seq, chain)), or None if malformed."""
    parts: list[bytes] = []
    at = 0
    while at + 4 <= len(carried):
        (size,) = _LENGTH.unpack_from(carried, at)
        parts.append(carried[at + 4 : at + 4 + size])
        at += 4 + size
    if at != len(carried) or len(parts) != 2 or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1].decode("ascii", "replace")


def _known(current: st.SyncState, push_seq: int, signature: bytes) -> bool:
    """A push this vault already counts as sent, or the one it holds ready to send (sent, perhaps,
    before an interruption cut the acknowledgement)."""
    if push_seq <= current.push_seq:
        return True
    box = current.outbox
    return box is not None and push_seq == box.push_seq and bytes.fromhex(box.signature) == signature


def check(
    connection: Connection, session: Session, audit: AuditLog, ident: st.SyncIdentity, current: st.SyncState
) -> None:
    """Refuse, with what to do, when the server holds this device's pushes that this vault has lost."""
    found = last_push(connection, ident)
    if found is None or _known(current, found.entry.push_seq, found.signature):
        return
    device_public = signing.public_key_bytes(bytes.fromhex(ident.device_sign_private))
    if not found.entry.signature_valid(device_public, found.signature):
        return  # not this device's: the pull's and push's own checks name the server
    carried = audit_head_of(found.entry.audit_head)
    if carried is not None:
        seq, chain = carried
        mine = audit.mac_at(session, seq)
        if mine is not None and hmac.compare_digest(mine, chain):
            return  # the head it pushed is in this log: not a rollback (the push log alone is behind)
    local_seq, _chain = audit.head(session)
    sent_up_to = f" up to its entry {carried[0]}" if carried is not None else ""
    raise VaultBehindServer(
        f"This vault is older than what it already sent to the practice: it was restored from a "
        f"backup made before its sync of {found.pushed_at.astimezone():%Y-%m-%d %H:%M} (it had sent "
        f"its record{sent_up_to}; this copy ends at entry {local_seq}). Nothing was sent or received. "
        "Restore your newest backup of this vault; if there is none, make a new vault, run 'notesdesk "
        "practice invite-device' here and 'practice join --device' there: it receives everything this "
        "device had sent."
    )


def refuse_if_behind(engine: Engine, uow: UnitOfWork, ident: st.SyncIdentity) -> None:
    """`check`, in one server transaction and one (read-only) unit of work: run before every sync."""
    with connected(engine) as connection, uow:
        assert uow.session is not None
        check(connection, uow.session, uow.vault.audit, ident, st.state(uow))
