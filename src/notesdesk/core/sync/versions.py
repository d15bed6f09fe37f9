"""Versioned practice keys (docs/design-notes.md §9, *Rotating the practice key*).

Removing a clinician draws the practice key's next version, wraps it for every remaining clinician and
the recovery key, and re-certifies under it every device and every client-key copy that still counts
(a removed device with the last push of its log that counts). A vault checks certificates under the
version it accepted only, so whatever someone holding an older version certifies later (a removed
clinician who also runs the server) counts for nothing there: no clock is trusted, the version number
decides.

Each version after the first has a *rotation record* on the server: the version, the previous
record's hash (a chain from the first version), the new key's fingerprint and the clinicians removed,
signed with the log key of the device that rotated. A vault accepts the next version only from a
record that continues the chain it holds, signed by a device certified under the version it holds
whose clinician was never removed, and only when the copy wrapped for its clinician opens to a key
with the record's fingerprint; a record it accepted that the server later changes is refused."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError

from notesdesk.core.crypto import signing
from notesdesk.core.crypto.encoding import lp
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.sync import access, crypto, roster, server
from notesdesk.core.sync import server_tables as t
from notesdesk.core.sync import state as st


class KeyVersionRefused(NotesdeskError):
    """A rotation record or a new version's key fails its check: nothing of it used."""

    exit_code = 4


class RemovedFromPractice(NotesdeskError):
    """This clinician was removed: the practice key's new version was not wrapped for them."""


def _refused(what: str) -> KeyVersionRefused:
    return KeyVersionRefused(
        f"Sync refused: the server's record of a new practice key {what}. Nothing was sent or "
        "received; tell whoever runs the practice server."
    )


@dataclass(frozen=True)
class Rotation:
    """One practice key version after the first, as signed by the device that drew it."""

    practice_id: str
    version: int
    previous: bytes  # the hash of the previous version's record (crypto.GENESIS before version 2)
    key_fingerprint: str  # crypto.practice_fingerprint of the new key
    removed: tuple[str, ...]  # the clinicians removed by this rotation
    device_id: str

    @classmethod
    def from_server(cls, practice_id: str, row: Any) -> Rotation:
        return cls(practice_id, row.version, bytes(row.previous), row.key_fingerprint,
                   tuple(row.removed.split()), row.device_id)

    def message(self) -> bytes:
        return lp("nd-sync-rotation", 1, self.practice_id, self.version, self.previous,
                  self.key_fingerprint, " ".join(self.removed), self.device_id)

    def hash(self) -> bytes:
        return hashlib.sha256(self.message()).digest()


def _record(connection: Connection, practice_id: str, version: int) -> Any | None:
    r = t.key_rotation.c
    return connection.execute(
        select(t.key_rotation).where(r.practice_id == practice_id, r.version == version)
    ).first()


def latest(connection: Connection, practice_id: str) -> int:
    """The newest version the server lists (1 when the key was never rotated)."""
    r = t.key_rotation.c
    found = connection.execute(
        select(r.version).where(r.practice_id == practice_id).order_by(r.version.desc()).limit(1)
    ).scalar()
    return int(found) if found is not None else 1


def _wrapped(connection: Connection, practice_id: str, recipient: str, version: int) -> bytes | None:
    w = t.wrapped_key.c
    found = connection.execute(
        select(w.wrapped).where(
            w.practice_id == practice_id, w.recipient == recipient, w.key_version == version
        )
    ).scalar()
    return None if found is None else bytes(found)


def _accept(connection: Connection, ident: st.SyncIdentity, row: Any) -> st.SyncIdentity:
    """The identity holding the next version, after its record and key pass every check."""
    rotation = Rotation.from_server(ident.practice_id, row)
    if rotation.previous.hex() != ident.rotation_hash:
        raise _refused("does not continue the versions this vault accepted (forged or replayed)")
    signer = roster.certified(connection, ident.practice_id, ident.key, ident.key_version).get(
        rotation.device_id
    )
    if (
        signer is None
        or signer.pushes_until is not None
        or signer.clinician_id in ident.removed
        or signer.clinician_id in rotation.removed
        or not signing.verify(signer.sign_public, bytes(row.signature), rotation.message())
    ):
        raise _refused("is not signed by a member of the practice (forged)")
    if ident.clinician_id in rotation.removed:
        raise RemovedFromPractice(
            "This clinician was removed from the practice: nothing was sent or received. The records "
            "already in this vault stay here."
        )
    wrapped = _wrapped(connection, ident.practice_id, ident.clinician_id, rotation.version)
    if wrapped is None:
        raise _refused("holds no copy of it for this clinician (withheld)")
    try:
        key = crypto.unwrap_with(
            bytes.fromhex(ident.x25519_private), wrapped, ident.practice_id, ident.clinician_id,
            rotation.version,
        )
    except crypto.SyncRefused as exc:
        raise _refused("offers this clinician a copy that does not open") from exc
    if crypto.practice_fingerprint(key, ident.practice_id) != rotation.key_fingerprint:
        raise _refused("offers this clinician a key other than the one it names")
    return replace(
        ident,
        practice_key=key.hex(),
        key_version=rotation.version,
        earlier_keys=[*ident.earlier_keys, ident.practice_key],
        removed=sorted(set(ident.removed) | set(rotation.removed)),
        rotation_hash=rotation.hash().hex(),
    )


def advance(connection: Connection, ident: st.SyncIdentity) -> st.SyncIdentity:
    """The identity holding the newest version the server lists, each step checked (the same identity
    when there is none newer). The record of the version held must still be the one accepted."""
    if ident.key_version > 1:
        held = _record(connection, ident.practice_id, ident.key_version)
        if held is None or Rotation.from_server(ident.practice_id, held).hash().hex() != ident.rotation_hash:
            raise _refused("this vault accepted was changed or removed")
    while (row := _record(connection, ident.practice_id, ident.key_version + 1)) is not None:
        ident = _accept(connection, ident, row)
    return ident


@dataclass(frozen=True)
class Rotated:
    ident: st.SyncIdentity  # holding the new version
    devices: int  # devices re-certified (members' and removed ones')
    copies: int  # client-key copies re-certified


def _last_push(connection: Connection, practice_id: str, device_id: str) -> tuple[int, bytes]:
    """A device's newest push on the server and its hash ((0, GENESIS) before its first)."""
    p = t.push.c
    row = connection.execute(
        select(t.push).where(p.practice_id == practice_id, p.device_id == device_id)
        .order_by(p.push_seq.desc()).limit(1)
    ).first()
    if row is None:
        return 0, crypto.GENESIS
    return int(row.push_seq), crypto.PushEntry.from_server(practice_id, device_id, row).hash()


def _recertified_copies(connection: Connection, ident: st.SyncIdentity, new_key: bytes) -> dict[str, bytes]:
    """Every client-key copy certified under the version held, certified again under the new key: the
    removed clinician's too, as a record of what they held (each member draws a new key for those
    clients, access.rotate_for_removed); no copy is ever wrapped for them again."""
    k = t.client_key.c
    rows = connection.execute(
        select(k.client_id, k.key_id, k.recipient, k.role, k.wrapped, k.certificate).where(
            k.practice_id == ident.practice_id
        )
    ).all()
    stored = access.copy_certificates(connection, ident)
    made: dict[str, bytes] = {}
    for row in rows:
        at = crypto.ClientKeyAddress(ident.practice_id, row.client_id, row.key_id, row.recipient, row.role)
        certificate = bytes(row.certificate) if stored is None else stored.get(access.copy_subject(at), b"")
        wrapped = bytes(row.wrapped)
        if not hmac.compare_digest(certificate, crypto.client_key_certificate(ident.key, at, wrapped)):
            continue
        made[access.copy_subject(at)] = crypto.client_key_certificate(new_key, at, wrapped)
    return made


def rotate(connection: Connection, ident: st.SyncIdentity, removed: set[str],
           removed_devices: set[str]) -> Rotated:
    """Draw the next version in the caller's server transaction (which holds the practice's log lock
    and has just marked `removed_devices` removed): wrapped for every remaining clinician and the
    recovery key, everything that still counts re-certified, and the record signed."""
    if latest(connection, ident.practice_id) != ident.key_version:
        raise _rotated_meanwhile()
    try:
        return _rotate(connection, ident, removed, removed_devices)
    except DBAPIError as exc:
        # A colleague's rotation committed after the check above (a server whose transactions see
        # it as it was when they began): the same version's rows are taken. Not "unreachable".
        if server.is_clash(exc):
            raise _rotated_meanwhile() from exc
        raise


def _rotated_meanwhile() -> NotesdeskError:
    return NotesdeskError(
        "Another member rotated the practice key meanwhile: sync first, then try again. Nothing was "
        "changed."
    )


def _rotate(connection: Connection, ident: st.SyncIdentity, removed: set[str],
            removed_devices: set[str]) -> Rotated:
    version, key, pid = ident.key_version + 1, crypto.new_practice_key(), ident.practice_id
    trusted = roster.certified(connection, pid, ident.key, ident.key_version)
    recovery = access.recovery_public(connection, ident)
    members = {c: p for c, p in access.clinician_publics(connection, ident).items() if c not in removed}
    if recovery is not None:
        members[crypto.RECOVERY] = recovery
    connection.execute(
        t.wrapped_key.insert(),
        [
            {"practice_id": pid, "recipient": who, "key_version": version,
             "wrapped": crypto.wrap_for(public, key, pid, who, version)}
            for who, public in sorted(members.items())
        ],
    )
    # Removed now, or before (a device removed before rotations existed is only marked on the server).
    marked = removed_devices | access.removed_devices(connection, pid)
    gone = {d for d, keys in trusted.items() if d in marked or keys.pushes_until is not None}
    kept = {d: keys.certificate(key, pid) for d, keys in trusted.items() if d not in gone}
    # A removed device's log counts up to its last push before removal (the lock keeps any other out),
    # that push named by its hash, so no later one can take its number.
    until = {
        d: _last_push(connection, pid, d) if (n := trusted[d].pushes_until) is None
        else (n, trusted[d].last_push_hash)
        for d in gone
    }
    ended = {
        roster.removal_subject(d, n, last_hash): trusted[d].removal_certificate(key, pid, n, last_hash)
        for d, (n, last_hash) in until.items()
    }
    copies = _recertified_copies(connection, ident, key)
    roster.store(connection, pid, version, roster.DEVICE, kept)
    roster.store(connection, pid, version, roster.REMOVED_DEVICE, ended)
    roster.store(connection, pid, version, roster.CLIENT_KEY, copies)
    if recovery is not None:
        roster.store(connection, pid, version, roster.RECOVERY,
                     {crypto.RECOVERY: crypto.recovery_certificate(key, pid, recovery)})
    record = Rotation(pid, version, bytes.fromhex(ident.rotation_hash), crypto.practice_fingerprint(key, pid),
                      tuple(sorted(removed)), ident.device_id)
    connection.execute(
        t.key_rotation.insert().values(
            practice_id=pid, version=version, previous=record.previous,
            key_fingerprint=record.key_fingerprint,
            removed=" ".join(record.removed), device_id=ident.device_id,
            signature=signing.sign(bytes.fromhex(ident.device_sign_private), record.message()),
        )
    )
    held = replace(
        ident,
        practice_key=key.hex(),
        key_version=version,
        earlier_keys=[*ident.earlier_keys, ident.practice_key],
        removed=sorted(set(ident.removed) | removed),
        rotation_hash=record.hash().hex(),
    )
    return Rotated(held, len(kept) + len(ended), len(copies))


def wrap_every_version(ident: st.SyncIdentity, public: bytes, recipient: str) -> list[dict[str, object]]:
    """A new clinician's copies of every version held (practice add-clinician): they take the first,
    checked against the fingerprint they were given, then follow the records to the newest."""
    keys = [bytes.fromhex(k) for k in ident.earlier_keys] + [ident.key]
    return [
        {"practice_id": ident.practice_id, "recipient": recipient, "key_version": version,
         "wrapped": crypto.wrap_for(public, key, ident.practice_id, recipient, version)}
        for version, key in enumerate(keys, start=1)
    ]


def certify_device(connection: Connection, ident: st.SyncIdentity, keys: crypto.DeviceKeys) -> None:
    """Vouch for a device under the version held (the `device` row's own column under the first)."""
    if ident.key_version == 1:
        connection.execute(
            t.device.update().where(t.device.c.id == keys.device_id)
            .values(certificate=keys.certificate(ident.key, ident.practice_id))
        )
    else:
        roster.store(connection, ident.practice_id, ident.key_version, roster.DEVICE,
                     {keys.device_id: keys.certificate(ident.key, ident.practice_id)})
