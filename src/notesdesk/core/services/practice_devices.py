"""A second device of the same clinician (docs/design-notes.md §9): `practice invite-device` on a member
device leaves the clinician's keys sealed under a one-time code on the server; `practice join --device`
on the new device opens them with the code, takes its own role and log key, and is certified at once
(it holds the practice key through its clinician's wrap, as any member does)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, literal, select

from notesdesk.core.crypto import signing
from notesdesk.core.errors import InvalidInput, NotesdeskError
from notesdesk.core.services import practice
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import crypto, devices, pull, server, setting_kinds, settings, shared, versions
from notesdesk.core.sync import server_tables as t
from notesdesk.core.sync import state as st

WRONG_CODE = (
    "That code opens no invitation on this server: check it, or make a new one on your other device "
    "(File ▸ Practice… ▸ Add another computer…, or 'notesdesk practice invite-device'). Nothing was changed."
)
EXPIRED = (
    "That code has expired (codes last {minutes} minutes): make a new one on your other device (File ▸ "
    "Practice… ▸ Add another computer…, or 'notesdesk practice invite-device'). Nothing was changed."
)
STALE_AFTER_HOURS = 24
"""Expired invitations are still recognised (to say "expired", not "wrong") for a day, then deleted."""


@dataclass(frozen=True)
class Invitation:
    code: str  # shown once, typed on the new device; never stored
    expires_at: datetime


@dataclass(frozen=True)
class DeviceJoined:
    practice_id: str
    clinician_id: str
    device_id: str


def invite_device(uow: UnitOfWork) -> Invitation:
    """Seal this clinician's keys under a new one-time code, valid for 15 minutes by the server's clock."""
    with uow:
        ident = st.required_identity(uow)
        current = st.state(uow)
    if not ident.practice_key:
        raise NotesdeskError(
            "This device has not been added to the practice yet, so it cannot invite another device."
        )
    payload = devices.InvitePayload(
        ident.clinician_id,
        ident.x25519_private,
        uow.vault.signing_private_key().hex(),
        ident.practice_fingerprint,
        # The tax id (it may be an SSN) stays on each computer: the new device asks for its own.
        replace(uow.vault.profile(), tax_id=""),
        ident.device_id,
        current.push_seq,
        current.pull_cursor,
    )
    code, invite_id = devices.new_code(), str(uuid.uuid4())
    engine = server.engine_for(ident.server_url)
    with server.connected(engine) as connection:
        expires_at = connection.execute(
            select(func.date_trunc("second", func.now() + func.make_interval(0, 0, 0, 0, 0,
                                                                             devices.VALID_MINUTES)))
        ).scalar_one()
        params, sealed = devices.seal_invite(code, ident.practice_id, invite_id, expires_at, payload)
        connection.execute(
            insert(t.device_invite).values(
                id=invite_id, practice_id=ident.practice_id, kdf=params, sealed=sealed, expires_at=expires_at
            )
        )
    with uow:
        uow.record("practice-invite-device", detail=f"invitation {invite_id}")
        uow.commit()
    return Invitation(code, expires_at)


def _open(connection: Connection, practice_id: str, code: str) -> tuple[str, devices.InvitePayload]:
    """The invitation this code opens (its id and contents), or one line saying why there is none."""
    i = t.device_invite.c
    connection.execute(
        delete(t.device_invite).where(
            i.expires_at < func.now() - func.make_interval(0, 0, 0, 0, STALE_AFTER_HOURS)
        )
    )
    rows = connection.execute(
        select(i.id, i.kdf, i.sealed, i.expires_at, (i.expires_at > func.now()).label("valid"))
        .where(i.practice_id == practice_id)
        .order_by(i.created_at.desc())
    ).all()
    for row in rows:
        opened = devices.open_invite(code, practice_id, row.id, row.expires_at, row.kdf, bytes(row.sealed))
        if opened is not None:
            if not row.valid:
                raise InvalidInput(EXPIRED.format(minutes=devices.VALID_MINUTES))
            return row.id, opened
    raise InvalidInput(WRONG_CODE)


def _claim(connection: Connection, invite_id: str) -> None:
    """Take the invitation opened a moment ago for this join: still there (not used by another join
    meanwhile: the row is locked until this transaction ends) and still valid; then delete it."""
    i = t.device_invite.c
    found = connection.execute(
        select((i.expires_at > func.now()).label("valid")).where(i.id == invite_id).with_for_update()
    ).first()
    if found is None:
        raise InvalidInput(WRONG_CODE)
    if not found.valid:
        raise InvalidInput(EXPIRED.format(minutes=devices.VALID_MINUTES))
    connection.execute(delete(t.device_invite).where(i.id == literal(invite_id)))


def _practice_key(connection: Connection, practice_id: str, payload: devices.InvitePayload) -> bytes:
    wrapped = connection.execute(
        select(t.wrapped_key.c.wrapped).where(
            t.wrapped_key.c.practice_id == practice_id,
            t.wrapped_key.c.recipient == payload.clinician_id,
            t.wrapped_key.c.key_version == crypto.KEY_VERSION,
        )
    ).scalar()
    try:
        if wrapped is None:
            raise crypto.SyncRefused("no wrapped key")
        key = crypto.unwrap_with(
            bytes.fromhex(payload.x25519_private), bytes(wrapped), practice_id, payload.clinician_id
        )
    except crypto.SyncRefused as exc:
        raise pull.SyncTampered(
            "The server holds no practice key this clinician can open: nothing was changed."
        ) from exc
    if crypto.practice_fingerprint(key, practice_id) != payload.practice_fingerprint:
        raise pull.SyncTampered(
            "The practice key on the server does not match the one your other device knows: "
            "it was not used and nothing was changed."
        )
    return key


def join_device(uow: UnitOfWork, admin_url: str, code: str) -> DeviceJoined:
    """Join as another device of the clinician whose device printed `code`. The vault must be new:
    it takes over that clinician's note-signing key and profile."""
    server.check_url(admin_url)
    typed = devices.normal_code(code)
    with uow:
        if st.identity(uow) is not None:
            raise NotesdeskError("This vault already belongs to a practice; nothing was changed.")
        if uow.clients.all():
            raise NotesdeskError(
                "Join as another device with a new, empty vault: this one already holds clients. "
                "Nothing was changed."
            )
    engine = server.engine_for(admin_url)
    server.migrate(engine)
    with server.connected(engine) as connection:
        practice_id = connection.execute(select(t.practice.c.id)).scalar()
        if practice_id is None:
            raise NotesdeskError(practice.NO_PRACTICE_YET)
        invite_id, payload = _open(connection, practice_id, typed)  # a wrong or expired code: no role
    sign_private = signing.new_private_key_bytes()
    # One transaction from the role to the vault's write: whatever fails leaves no role, device or
    # used invitation on the server.
    with server.connected(engine) as connection:
        role, password = server.new_device_role(connection)
        _claim(connection, invite_id)
        key = _practice_key(connection, practice_id, payload)
        note_private = bytes.fromhex(payload.note_private)
        ident = st.SyncIdentity(
            practice_id,
            payload.clinician_id,
            str(uuid.uuid4()),
            server.device_url(admin_url, role, password),
            payload.x25519_private,
            sign_private.hex(),
            payload.practice_fingerprint,
            key.hex(),
        )
        # The invitation's key is the first version, checked against the fingerprint; the newest is
        # reached through the rotation records, each checked (core/sync/versions.py).
        ident = versions.advance(connection, ident)
        keys = crypto.DeviceKeys(
            ident.device_id,
            ident.clinician_id,
            signing.public_key_bytes(sign_private),
            crypto.x25519_public(bytes.fromhex(payload.x25519_private)),
            signing.public_key_bytes(note_private),
        )
        connection.execute(
            insert(t.device).values(
                id=keys.device_id,
                practice_id=practice_id,
                clinician_id=keys.clinician_id,
                role_name=role,
                sign_public=keys.sign_public,
                x25519_public=keys.x25519_public,
                note_public=keys.note_public,
                certificate=None,
            )
        )
        versions.certify_device(connection, ident, keys)
        # The vault is written inside the server's transaction: if it fails, the invitation stays.
        with uow:
            uow.vault.adopt_practice(uow, note_private, replace(payload.profile, tax_id=""))
            st.save(uow, ident)
            # The profile as given is what this device holds in common with the other: only what is
            # edited here after travels (settings.given), so its first sync undoes no edit made there.
            bases = shared.load_bases(uow)
            settings.given(uow, setting_kinds.PROFILE, bases)
            given = payload.profile
            if given.name:  # the name colleagues hold already: not sent again as if new (a stale one)
                settings.given_item(bases, setting_kinds.MEMBER_NAMES, ident.clinician_id,
                                    setting_kinds.member_name(given.name, given.credentials))
            shared.save_bases(uow, bases)
            st.save(uow, st.SyncState(given=st.GivenProfile(payload.given_device, payload.given_push,
                                                             payload.given_until)))
            uow.record("practice-join-device", detail=f"practice {practice_id} device {ident.device_id}")
            uow.commit()
    return DeviceJoined(practice_id, ident.clinician_id, ident.device_id)
