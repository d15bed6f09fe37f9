"""Group practice, who may read what: per-client keys exchanged at each sync (docs/design-notes.md §9).
Plain functions of a unit of work like every service; the key handling itself is in core/sync/access.py."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Engine, func, select, update

from notesdesk.core.errors import InvalidInput, NotesdeskError
from notesdesk.core.services import practice_keys, supervision
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import access, crypto, known_readers, push, server, versions
from notesdesk.core.sync import server_tables as t
from notesdesk.core.sync import state as st


@dataclass(frozen=True)
class Sharing:
    clients_shared: int  # clients this clinician holds a key of
    clients_not_shared: int  # clients whose rows arrived but are not shared with this clinician
    rows_skipped: int


def publish(uow: UnitOfWork, engine: Engine, ident: st.SyncIdentity) -> None:
    """Put the wrapped copies of the client keys drawn here on the server, before any row sealed under
    them is sent (a copy already there is kept, so doing it again after an interruption is harmless)."""
    with uow:
        keys = access.load(uow)
    if not keys.unpublished:
        return
    with server.connected(engine) as connection:
        count = access.publish(connection, ident, keys)
    with uow:
        latest = access.load(uow)
        left = {k: v for k, v in latest.unpublished.items() if k not in keys.unpublished}
        access.save(uow, replace(latest, unpublished=left))
        uow.record("practice-share", detail=f"{count} client keys wrapped")
        uow.commit()


def _roles(keys: access.ClientKeys) -> tuple[object, ...]:
    """What the key exchange says of roles, copied (to tell whether it changed)."""
    return list(keys.supervising), dict(keys.supervisors), dict(keys.supervisors_by_key)


def receive(
    uow: UnitOfWork,
    engine: Engine,
    ident: st.SyncIdentity,
    copies: dict[tuple[str, str], dict[str, str]] | None = None,
) -> list[str]:
    """Take in the client keys members wrapped for this clinician, and draw new keys for the clients
    a removed clinician could read. A client whose rows were skipped before is caught up: the log is
    pulled again from its start, taking in only that client's rows up to where this vault had pulled
    (every batch verified again on the way). Returns the clients that gained a key; `copies` is
    filled as access.receive says."""
    with uow:
        keys = access.load(uow)
    roles_before = _roles(keys)
    with server.connected(engine) as connection:
        gained = access.receive(connection, ident, keys, copies)
        rotated = access.rotate_for_removed(connection, ident, keys)
    if not gained and not rotated and roles_before == _roles(keys):
        return []
    with uow:
        current = st.state(uow)
        missed = [client for client in gained if keys.skipped.get(client)]
        if missed:
            keys = replace(
                keys,
                skipped={c: n for c, n in keys.skipped.items() if c not in missed},
                catch_up=sorted(set(keys.catch_up) | set(missed)),
                catch_up_until=max(keys.catch_up_until, current.pull_cursor),
            )
            st.save(uow, replace(current, pull_cursor=0, logs={}))
        access.save(uow, keys)
        if gained:
            uow.record("practice-key-received", detail=f"{len(gained)} client keys")
        if rotated:
            uow.record("practice-key-rotated", detail=f"{len(rotated)} clients, a clinician was removed")
        uow.commit()
    publish(uow, engine, ident)
    return gained


def refuse_if_removed(engine: Engine, ident: st.SyncIdentity) -> None:
    """One clear line before anything is sent from a device a member removed (the server refuses its
    pushes anyway)."""
    with server.connected(engine) as connection:
        removed = access.removed_devices(connection, ident.practice_id)
    if ident.device_id in removed:
        raise versions.RemovedFromPractice(
            "This device was removed from the practice: nothing was sent or received. The records "
            "already in this vault stay here."
        )


def sharing(uow: UnitOfWork) -> Sharing:
    with uow:
        keys = access.load(uow)
    not_shared = [c for c, n in keys.skipped.items() if n and c not in keys.keys]
    return Sharing(len(keys.keys), len(not_shared), sum(keys.skipped.values()))


@dataclass(frozen=True)
class Assigned:
    client_id: str
    clinician_id: str
    role: str  # "clinician", "supervisor" (read and co-sign), or "removed"
    key_id: str  # the client's key new writes use from now on
    # They held the current key in the other role: a new key holds the new one (core/sync/roles.py).
    role_changed: bool = False


SUPERVISOR_CANNOT_SHARE = (
    "You supervise this client: only its clinicians can share it or take someone off it; nothing was "
    "changed."
)


def _refuse_if_supervising(uow: UnitOfWork, client_id: str) -> None:
    """A supervisor reads and co-signs (§9, Supervision): handing the record on, or taking its
    clinician off, is for its clinicians. Asked first, so nothing is drawn, wrapped or sent."""
    if supervision.supervised_only(uow, client_id):
        raise InvalidInput(SUPERVISOR_CANNOT_SHARE)


def _member_ident(uow: UnitOfWork) -> st.SyncIdentity:
    """This device's identity holding the newest practice key version (nothing is certified under an
    older one)."""
    with uow:
        ident = st.required_identity(uow)
    if not ident.practice_key:
        raise NotesdeskError("This device has not been added to the practice yet, so it cannot share.")
    engine = server.engine_for(ident.server_url)
    refuse_if_removed(engine, ident)
    return practice_keys.catch_up(uow, engine, ident)


def assign(uow: UnitOfWork, client_id: str, clinician_id: str, supervisor: bool = False) -> Assigned:
    """Share a client with one more clinician (or supervisor): every key of the client held here is
    wrapped for them, so they receive its earlier records too. Only a clinician who holds the client's
    keys can do it; the server cannot (it holds no key). Someone who holds the current key in the other
    role gets a new key (one generation up) holding their new role (_change_role). A vault that only
    supervises the client cannot."""
    _refuse_if_supervising(uow, client_id)
    ident = _member_ident(uow)
    who = clinician_id.strip()
    role = crypto.SUPERVISOR if supervisor else crypto.CLINICIAN
    with uow:
        if uow.clients.find(client_id) is None:
            raise InvalidInput("No client with that id in this vault; nothing was changed.")
        keys = access.load(uow)
        if not keys.keys.get(client_id):  # a client of yours not synced yet: its first key now
            access.draw(keys, client_id)
            access.save(uow, keys)
            uow.commit()
    engine = server.engine_for(ident.server_url)
    publish(uow, engine, ident)
    with uow:
        keys = access.load(uow)
    with server.connected(engine) as connection:
        members = access.clinician_publics(connection, ident)
        if who not in members:
            raise InvalidInput(
                "No clinician with that id is a member of this practice; nothing was changed."
            )
        holding = access.holders(connection, ident, client_id, access.current(keys, client_id) or "")
    role_changed = holding.get(who, role) != role
    if role_changed:
        keys = _change_role(uow, engine, ident, client_id, {**holding, who: role})
    with server.connected(engine) as connection:
        rows = [
            row
            for name, key in sorted(keys.keys[client_id].items())
            for row in access.wrap_rows(
                ident, client_id, name, bytes.fromhex(key), {who: members[who]}, {who: role}
            )
        ]
        access.store_copies(connection, ident, rows)
        holding = access.holders(connection, ident, client_id, access.current(keys, client_id) or "")
    with uow:
        known_readers.set_client(uow, client_id, holding)  # the overview's line follows at once
        uow.record("practice-assign", detail=f"client {client_id} to {role} {who}")
        uow.commit()
    return Assigned(client_id, who, role, access.current(keys, client_id) or "", role_changed)


def _change_role(
    uow: UnitOfWork, engine: Engine, ident: st.SyncIdentity, client_id: str, roles: dict[str, str]
) -> access.ClientKeys:
    """A member's role is bound into their copy of each key (core/sync/roles.py), so a new role is a
    new key, one generation up, wrapped for everyone who holds the current one with their roles (the
    changed one's new), and published at once. Returns the keys held here now."""
    with uow:
        keys = access.load(uow)
    # assign refuses such a client before this; kept so no other caller can. Checked before the own
    # role: a supervisor's own role is among `roles`, and what they asked was someone else's.
    if client_id in keys.supervising:
        raise InvalidInput(
            "You supervise this client: only its clinicians can change who is clinician or "
            "supervisor; nothing was changed."
        )
    if roles.get(ident.clinician_id, crypto.CLINICIAN) != crypto.CLINICIAN:
        raise InvalidInput("You cannot change your own role for a client; nothing was changed.")
    with uow:
        keys = access.load(uow)
        others = [
            access.as_recipient(other, role)
            for other, role in sorted(roles.items())
            if other not in {ident.clinician_id, crypto.RECOVERY}
        ]
        fresh = access.draw(keys, client_id, others)
        access.save(uow, keys)
        uow.commit()
    try:
        publish(uow, engine, ident)
    except Exception:
        _drop_unpublished(uow, client_id, fresh)
        raise
    with uow:
        return access.load(uow)


def _drop_unpublished(uow: UnitOfWork, client_id: str, name: str) -> None:
    """A role change whose key did not reach the server changes nothing, then or later: the drawn key
    is dropped, so the next sync neither publishes it nor seals under it. Nothing was sealed under it
    (a push publishes the keys drawn here before it seals anything, `publish`); a key that went out
    after all (a sync publishing it meanwhile) is kept, and that publication is audited."""
    entry = f"{client_id} {name}"
    with uow:
        keys = access.load(uow)
        if entry not in keys.unpublished:
            return
        held = {k: v for k, v in keys.keys.get(client_id, {}).items() if k != name}
        access.save(
            uow,
            replace(
                keys,
                keys={**keys.keys, client_id: held},
                unpublished={k: v for k, v in keys.unpublished.items() if k != entry},
            ),
        )
        uow.commit()


def unassign(uow: UnitOfWork, client_id: str, clinician_id: str) -> Assigned:
    """Stop sharing a client's new records with a clinician: a new key (one generation up) for new
    writes, wrapped for everyone else who holds the current one. What they already received stays in
    their vault. A vault that only supervises the client cannot."""
    _refuse_if_supervising(uow, client_id)
    ident = _member_ident(uow)
    who = clinician_id.strip()
    if who == ident.clinician_id:
        raise InvalidInput("You cannot remove yourself from a client; nothing was changed.")
    with uow:
        if uow.clients.find(client_id) is None:
            raise InvalidInput("No client with that id in this vault; nothing was changed.")
        keys = access.load(uow)
    name = access.current(keys, client_id)
    if name is None:
        raise InvalidInput("That client is not shared from this vault; nothing was changed.")
    engine = server.engine_for(ident.server_url)
    with server.connected(engine) as connection:
        holders = access.holders(connection, ident, client_id, name)
    if who not in holders:
        raise InvalidInput("That clinician is not assigned to that client; nothing was changed.")
    with uow:
        keys = access.load(uow)
        others = [
            access.as_recipient(other, role)
            for other, role in holders.items()
            if other not in {who, ident.clinician_id, crypto.RECOVERY}
        ]
        fresh = access.draw(keys, client_id, others)
        access.save(uow, keys)
        # The new key's readers: everyone who held the current one but them (published just below).
        known_readers.set_client(uow, client_id, {o: r for o, r in holders.items() if o != who})
        uow.record("practice-unassign", detail=f"client {client_id} from {who}")
        uow.commit()
    publish(uow, engine, ident)
    return Assigned(client_id, who, "removed", fresh)


@dataclass(frozen=True)
class Removed:
    clinician_id: str
    devices: list[str]
    clients_rotated: int  # clients of theirs held here that now have a new key for new writes
    key_version: int = 1  # the practice key's version drawn for the clinicians who remain


def remove_clinician(uow: UnitOfWork, clinician_id: str) -> Removed:
    """Remove a colleague from the practice: their devices are marked removed (the server refuses
    their pushes from now on), the practice key's next version is drawn for everyone else (in the same
    server transaction, core/sync/versions.py), and every client they could read gets a new key for
    new records, drawn here for the clients held here and by each other member at their next sync.
    What they already received stays in their vault."""
    ident = _member_ident(uow)
    who = clinician_id.strip()
    if who == ident.clinician_id:
        raise InvalidInput("You cannot remove yourself from the practice; nothing was changed.")
    engine = server.engine_for(ident.server_url)
    d = t.device.c
    with server.connected(engine) as connection:
        push.lock_log(connection, ident.practice_id)  # no push of theirs slips in while removing
        devices = list(
            connection.execute(
                select(d.id).where(
                    d.practice_id == ident.practice_id, d.clinician_id == who, d.removed_at.is_(None)
                )
            ).scalars()
        )
        if not devices:
            raise InvalidInput("No clinician with that id is a member of this practice; nothing was changed.")
        connection.execute(update(t.device).where(d.id.in_(devices)).values(removed_at=func.now()))
        rotated_key = versions.rotate(connection, ident, {who}, set(devices))
        # The vault learns the new version inside the server's transaction: if it fails, neither
        # the removal nor the rotation happened.
        ident = rotated_key.ident
        with uow:
            st.save(uow, ident)
            uow.record(
                "practice-key-rotated",
                detail=f"practice key version {ident.key_version}: {rotated_key.devices} devices and "
                f"{rotated_key.copies} client-key copies certified again",
            )
            uow.commit()
    with uow:
        keys = access.load(uow)
    with server.connected(engine) as connection:
        rotated = access.rotate_for_removed(connection, ident, keys)
    with uow:
        access.save(uow, keys)
        known_readers.drop_clinician(uow, who)
        uow.record("practice-remove-clinician", detail=f"clinician {who}, {len(devices)} devices")
        uow.commit()
    publish(uow, engine, ident)
    return Removed(who, devices, len(rotated), ident.key_version)


def upgrade_server(admin_url: str) -> None:
    """Bring a practice server set up by an earlier version to this version's schema (an
    administrator's login, used once and never kept, as for `practice init`)."""
    engine = server.engine_for(server.check_url(admin_url))
    with server.connected(engine) as connection:
        found = connection.execute(select(t.practice.c.id)).first()
    if found is None:
        raise NotesdeskError("The server holds no practice yet: run 'notesdesk practice init' instead.")
    server.migrate(engine)
