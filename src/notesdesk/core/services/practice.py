"""Group practice: set up, join, add a clinician, sync, status (docs/design-notes.md §9). Plain functions
of a unit of work like every service; the sync code itself is in core/sync."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.engine import make_url

from notesdesk.core.crypto import recovery, signing
from notesdesk.core.errors import InvalidInput, NotesdeskError
from notesdesk.core.services import practice_access, practice_keys, receipts, supervision
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import (
    access,
    crypto,
    kept_rows,
    known_readers,
    pull,
    push,
    rollback,
    roster,
    server,
    versions,
)
from notesdesk.core.sync import server_tables as t
from notesdesk.core.sync import state as st

BATCH = 200
"""Rows per push and pushes per pull: one server transaction and one local unit of work each. Either is
also capped by bytes (push.BATCH_BYTES)."""


class WaitingToBeAdded(NotesdeskError):
    """This device joined but no member has added its clinician yet: a state, not a failure."""


@dataclass(frozen=True)
class Founded:
    practice_id: str
    clinician_id: str
    practice_fingerprint: str
    recovery_key: str  # printed once: it unwraps the practice key (crypto.RECOVERY)


@dataclass(frozen=True)
class Joined:
    practice_id: str
    clinician_id: str
    fingerprint: str  # read out to the member who runs add-clinician


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    received: int
    held: int
    # The practice key's version this sync accepted after a clinician was removed (0: none), and its
    # fingerprint, said once so it is compared (a removed clinician's server could offer a rival one).
    key_renewed: int = 0
    key_fingerprint: str = ""


@dataclass(frozen=True)
class Status:
    practice_id: str
    clinician_id: str
    device_id: str
    server: str
    member: bool
    fingerprint: str
    practice_fingerprint: str
    last_sync: datetime | None
    pushed: int
    received: int
    waiting_to_push: bool
    held: int
    clients_shared: int = 0  # clients this clinician holds a key of (practice_access.Sharing)
    clients_not_shared: int = 0
    # The practice key's version this vault holds and that version's fingerprint: after a removal,
    # members may compare them out of band as they compared the first (docs/design-notes.md §9).
    key_version: int = 1
    key_fingerprint: str = ""
    # Receipt numbers two receipts not voided carry (issued on two computers offline): void one, reissue.
    receipt_numbers_twice: list[int] = field(default_factory=list)
    # Records of clients this vault only supervises written here, which never travel (supervision.py).
    kept_here: int = 0


def _not_yet_member(uow: UnitOfWork) -> None:
    with uow:
        if st.identity(uow) is not None:
            raise NotesdeskError("This vault already belongs to a practice; nothing was changed.")


def _new_identity(
    uow: UnitOfWork, connection: Connection, admin: str, practice_id: str, fingerprint: str
) -> tuple[st.SyncIdentity, crypto.DeviceKeys]:
    """This device's keys and its own server role, created in the caller's server transaction (the one
    that lists the device and writes the vault: a failure anywhere leaves no role behind)."""
    role, password = server.new_device_role(connection)
    x_private, sign_private = crypto.new_x25519_private(), signing.new_private_key_bytes()
    ident = st.SyncIdentity(
        practice_id,
        str(uuid.uuid4()),
        str(uuid.uuid4()),
        server.device_url(admin, role, password),
        x_private.hex(),
        sign_private.hex(),
        fingerprint,
    )
    keys = crypto.DeviceKeys(
        ident.device_id,
        ident.clinician_id,
        signing.public_key_bytes(sign_private),
        crypto.x25519_public(x_private),
        uow.vault.signing_public_key(),
    )
    return ident, keys


def _device_row(
    keys: crypto.DeviceKeys, practice_id: str, role: str, certificate: bytes | None
) -> dict[str, object]:
    return {
        "id": keys.device_id,
        "practice_id": practice_id,
        "clinician_id": keys.clinician_id,
        "role_name": role,
        "sign_public": keys.sign_public,
        "x25519_public": keys.x25519_public,
        "note_public": keys.note_public,
        "certificate": certificate,
    }


def _role_of(ident: st.SyncIdentity) -> str:
    return str(make_url(ident.server_url).username)


def address_has_password(url: str) -> bool:
    return server.has_password(url)


NO_PRACTICE_YET = (
    "The server holds no practice yet: set one up first (File ▸ Join a practice… ▸ Set up a new practice, "
    "or 'notesdesk practice init'). Nothing was changed."
)
PASSWORD_IN_ADDRESS = (
    "Give the server address without its password (it would stay in your shell history or the app's "
    "fields); the password is asked for on its own."
)


def admin_address(url: str, password: str) -> str:
    """The administrator's address with the password asked for put in (it is never typed into argv)."""
    return server.with_password(url, password)


def admin_login(address: str, password: str) -> str:
    """The administrator's login for one set-up or join, from the address as typed (which must not hold a
    password) and the password asked for on its own: what the CLI and the app both pass on."""
    if address_has_password(address):
        raise InvalidInput(PASSWORD_IN_ADDRESS)
    return admin_address(address, password)


def _practices(engine: Engine) -> list[str]:
    with server.connected(engine) as connection:
        return list(connection.execute(select(t.practice.c.id)).scalars())


def init(uow: UnitOfWork, admin_url: str) -> Founded:
    """A new practice on the server at `admin_url` (an administrator's login, used now and never kept):
    the schema migrated, this device's own role, the practice key wrapped for this clinician and for a
    practice recovery key (printed once)."""
    server.check_url(admin_url)
    _not_yet_member(uow)
    engine = server.engine_for(admin_url)
    server.migrate(engine)
    if _practices(engine):
        raise NotesdeskError("This server already holds a practice: join it (File ▸ Join a practice…, or "
                             "'notesdesk practice join'). Nothing was changed.")
    practice_id = str(uuid.uuid4())
    key = crypto.new_practice_key()
    secret = recovery.new_recovery_secret()
    recovery_private = crypto.x25519_private_from_secret(secret)
    with server.connected(engine) as connection:
        ident, keys = _new_identity(
            uow, connection, admin_url, practice_id, crypto.practice_fingerprint(key, practice_id)
        )
        ident = st.with_key(ident, key)
        recovery_public = crypto.x25519_public(recovery_private)
        connection.execute(
            insert(t.practice).values(
                id=practice_id,
                recovery_public=recovery_public,
                recovery_certificate=crypto.recovery_certificate(key, practice_id, recovery_public),
            )
        )
        connection.execute(
            insert(t.device).values(
                **_device_row(keys, practice_id, _role_of(ident), keys.certificate(key, practice_id))
            )
        )
        connection.execute(
            insert(t.wrapped_key),
            [
                {
                    "practice_id": practice_id,
                    "recipient": ident.clinician_id,
                    "key_version": crypto.KEY_VERSION,
                    "wrapped": crypto.wrap_for(keys.x25519_public, key, practice_id, ident.clinician_id),
                },
                {
                    "practice_id": practice_id,
                    "recipient": crypto.RECOVERY,
                    "key_version": crypto.KEY_VERSION,
                    "wrapped": crypto.wrap_for(
                        crypto.x25519_public(recovery_private), key, practice_id, crypto.RECOVERY
                    ),
                },
            ],
        )
        # The vault is written inside the server's transaction: if it fails, nothing stays there.
        with uow:
            st.save(uow, ident)
            st.save(uow, st.SyncState())
            uow.record("practice-init", detail=f"practice {practice_id}")
            uow.commit()
    return Founded(practice_id, ident.clinician_id, ident.practice_fingerprint, recovery.encode(secret))


def join(uow: UnitOfWork, admin_url: str, practice_fingerprint: str) -> Joined:
    """Register this vault as a new clinician's device, waiting for a member to add it. The practice key
    it will later receive must match `practice_fingerprint` (read out by a member), or it is refused."""
    server.check_url(admin_url)
    expected = crypto.normal_fingerprint(practice_fingerprint)
    if len(expected.replace(" ", "")) != 32:
        raise InvalidInput(
            "The practice fingerprint is 32 letters and digits (as 'practice status' prints it)."
        )
    _not_yet_member(uow)
    engine = server.engine_for(admin_url)
    server.migrate(engine)
    practices = _practices(engine)
    if not practices:
        raise NotesdeskError(NO_PRACTICE_YET)
    with server.connected(engine) as connection:
        ident, keys = _new_identity(uow, connection, admin_url, practices[0], expected)
        connection.execute(
            insert(t.device).values(**_device_row(keys, ident.practice_id, _role_of(ident), None))
        )
        # The vault is written inside the server's transaction: if it fails, no role or device stays.
        with uow:
            st.save(uow, ident)
            st.save(uow, st.SyncState())
            uow.record("practice-join", detail=f"practice {ident.practice_id}")
            uow.commit()
    return Joined(ident.practice_id, ident.clinician_id, keys.fingerprint(ident.practice_id))


def add_clinician(uow: UnitOfWork, clinician_id: str, fingerprint: str) -> str:
    """Wrap the practice key for a clinician who joined, once their fingerprint (read out to you by them)
    matches the keys the server lists for them. Returns the device certified."""
    with uow:
        ident = st.required_identity(uow)
    if not ident.practice_key:
        raise NotesdeskError("This device has not been added to the practice yet, so it cannot add anyone.")
    engine = server.engine_for(ident.server_url)
    ident = practice_keys.catch_up(uow, engine, ident)  # certified under the newest version only
    given = crypto.normal_fingerprint(fingerprint)
    with server.connected(engine) as connection:
        listed = [
            d
            for d in roster.devices(connection, ident.practice_id).values()
            if d.keys.clinician_id == clinician_id.strip()
        ]
        if not listed:
            raise InvalidInput("No clinician with that id has joined this practice; nothing was changed.")
        match = [d for d in listed if d.keys.fingerprint(ident.practice_id) == given]
        if not match:
            raise InvalidInput(
                "The fingerprint does not match the keys the server lists for that clinician: "
                "nothing was changed. Compare it again with them, by phone or in person."
            )
        keys = match[0].keys
        held = set(
            connection.execute(
                select(t.wrapped_key.c.key_version).where(
                    t.wrapped_key.c.practice_id == ident.practice_id,
                    t.wrapped_key.c.recipient == keys.clinician_id,
                )
            ).scalars()
        )
        # Every version: they check the first against the fingerprint they were given, then follow
        # the rotation records to the newest (versions.advance).
        copies = [
            row
            for row in versions.wrap_every_version(ident, keys.x25519_public, keys.clinician_id)
            if row["key_version"] not in held
        ]
        if copies:
            connection.execute(insert(t.wrapped_key), copies)
        versions.certify_device(connection, ident, keys)
    with uow:
        uow.record("practice-add-clinician", detail=f"clinician {keys.clinician_id} device {keys.device_id}")
        uow.commit()
    return keys.device_id


def _take_key(uow: UnitOfWork, engine: Engine, ident: st.SyncIdentity) -> st.SyncIdentity:
    """A joined device's first sync (on the sync's own connection): the practice key a member wrapped
    for it, checked against the fingerprint it was given, and its own certificate under that key."""
    with server.connected(engine) as connection:
        wrapped = connection.execute(
            select(t.wrapped_key.c.wrapped).where(
                t.wrapped_key.c.practice_id == ident.practice_id,
                t.wrapped_key.c.recipient == ident.clinician_id,
                t.wrapped_key.c.key_version == crypto.KEY_VERSION,
            )
        ).scalar()
        listed = roster.devices(connection, ident.practice_id).get(ident.device_id)
    if wrapped is None:
        raise WaitingToBeAdded(
            f"Waiting to be added: ask a member to run 'notesdesk practice add-clinician "
            f"{ident.clinician_id}' with the fingerprint 'practice status' shows here."
        )
    try:
        key = crypto.unwrap_with(
            bytes.fromhex(ident.x25519_private), bytes(wrapped), ident.practice_id, ident.clinician_id
        )
    except crypto.SyncRefused as exc:
        raise pull.SyncTampered(
            "The practice key offered to this device does not open: nothing was used."
        ) from exc
    if crypto.practice_fingerprint(key, ident.practice_id) != ident.practice_fingerprint:
        raise pull.SyncTampered(
            "The practice key offered to this device does not match the practice "
            "fingerprint you were given: it was not used and nothing was sent."
        )
    ident = st.with_key(ident, key)
    with server.connected(engine) as connection:
        ident = versions.advance(connection, ident)
        certified = roster.certified(connection, ident.practice_id, ident.key, ident.key_version)
    if listed is None or certified.get(ident.device_id) != listed.keys:
        raise pull.SyncTampered(
            "The server lists this device with keys that are not its own: nothing was sent."
        )
    with uow:
        st.save(uow, ident)
        uow.record("practice-key-received", detail=f"practice {ident.practice_id}")
        uow.commit()
    return ident


def sync(
    uow: UnitOfWork,
    batch: int = BATCH,
    after_batch: Callable[[str], None] | None = None,
    batch_bytes: int = push.BATCH_BYTES,
) -> SyncReport:
    """Push this device's changes, then pull everyone else's, batch by batch. Safe to interrupt anywhere
    and run again. `after_batch` ("push"/"pull") is called after each batch is done on both sides."""
    with uow:
        ident = st.required_identity(uow)
        before = st.state(uow)
    engine = server.engine_for(ident.server_url, kept=True)  # one connection for the whole sync
    try:
        if not ident.practice_key:
            ident = _take_key(uow, engine, ident)
        return _sync_with(uow, engine, ident, before, (batch, batch_bytes), after_batch)
    except Exception:
        # Who can read each client is now as of the sync before (the overview's line says so). The
        # sync's own failure is the one to report, whether or not this could be written.
        with contextlib.suppress(Exception):
            known_readers.mark_failed(uow)
        raise
    finally:
        engine.dispose()


def _sync_with(
    uow: UnitOfWork,
    engine: Engine,
    ident: st.SyncIdentity,
    before: st.SyncState,
    limits: tuple[int, int],
    after_batch: Callable[[str], None] | None,
) -> SyncReport:
    start = before
    practice_access.refuse_if_removed(engine, ident)
    # A newer practice key first: nothing is sealed, certified or wrapped under one a removed
    # colleague holds.
    held_version = ident.key_version
    ident = practice_keys.catch_up(uow, engine, ident)
    renewed = ident.key_version if ident.key_version > held_version else 0
    rollback.refuse_if_behind(engine, uow, ident)
    # Keys first: a client a removed colleague could read gets its new key before anything is sealed.
    copies: dict[tuple[str, str], dict[str, str]] = {}  # certified client-key copies (known_readers)
    practice_access.receive(uow, engine, ident, copies)
    while True:
        current = before if before.outbox is not None else push.prepare(uow, ident, *limits)
        box = current.outbox
        if box is None:
            break
        practice_access.publish(uow, engine, ident)  # the keys of a batch reach the server before it
        push.send(engine, ident, box)
        push.acknowledge(uow, ident)
        before = replace(current, outbox=None)
        if after_batch is not None:
            after_batch("push")
    while True:
        with uow:
            cursor = st.state(uow).pull_cursor
        batches, trusted = pull.fetch(engine, ident, cursor, *limits)
        pull.apply(uow, ident, batches, trusted)
        if not batches:
            break
        if after_batch is not None:
            after_batch("pull")
    with uow:
        keys = access.load(uow)
    readers = known_readers.read(engine, ident, keys, trusted, copies)
    with uow:
        done = st.state(uow)
        known_readers.save(uow, readers)
        kept_rows.refresh(uow)  # what `practice status` counts as kept here, judged once per write
        uow.record("sync", detail=f"pushed {done.pushed_rows} received {done.received_rows}")
        uow.commit()
    return SyncReport(
        done.pushed_rows - start.pushed_rows, done.received_rows - start.received_rows, done.held,
        renewed, crypto.practice_fingerprint(ident.key, ident.practice_id) if renewed else "",
    )


def status(uow: UnitOfWork) -> Status:
    with uow:
        ident = st.required_identity(uow)
        current = st.state(uow)
    shared = practice_access.sharing(uow)
    sign_public = signing.public_key_bytes(bytes.fromhex(ident.device_sign_private))
    keys = crypto.DeviceKeys(
        ident.device_id,
        ident.clinician_id,
        sign_public,
        crypto.x25519_public(bytes.fromhex(ident.x25519_private)),
        uow.vault.signing_public_key(),
    )
    return Status(
        ident.practice_id,
        ident.clinician_id,
        ident.device_id,
        server.public_address(ident.server_url),
        bool(ident.practice_key),
        keys.fingerprint(ident.practice_id),
        ident.practice_fingerprint,
        current.last_sync,
        current.pushed_rows,
        current.received_rows,
        current.outbox is not None,
        current.held,
        shared.clients_shared,
        shared.clients_not_shared,
        ident.key_version,
        crypto.practice_fingerprint(ident.key, ident.practice_id) if ident.practice_key else "",
        receipts.numbers_issued_twice(uow),
        supervision.kept_here(uow),
    )
