"""Group practice, the practice key's versions (docs/design-notes.md §9, *Rotating the practice key*):
a vault learns a newer version before it seals, certifies or wraps anything. Plain functions of a unit
of work like every service; the checks themselves are in core/sync/versions.py."""

from __future__ import annotations

from sqlalchemy import Engine

from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import server, versions
from notesdesk.core.sync import state as st


def catch_up(uow: UnitOfWork, engine: Engine, ident: st.SyncIdentity) -> st.SyncIdentity:
    """The identity holding the newest practice key version the server lists, each rotation record
    checked; kept in the vault (and audited) when it is newer than the one held."""
    with server.connected(engine) as connection:
        newest = versions.advance(connection, ident)
    if newest.key_version == ident.key_version:
        return ident
    with uow:
        st.save(uow, newest)
        uow.record(
            "practice-key-version",
            detail=f"practice key version {newest.key_version} accepted (was {ident.key_version})",
        )
        uow.commit()
    return newest
