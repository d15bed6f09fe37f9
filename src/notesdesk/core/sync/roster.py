"""The practice's devices as the server lists them, each trusted only with a certificate under the
practice key (crypto.DeviceKeys): the server cannot add a device of its own or swap a key.

Certificates under the practice key's first version are in the server's `certificate` columns; under
later versions (core/sync/versions.py) in the `certificate` table, by kind and subject. A vault checks
certificates under the version it accepted only: one made under an older version counts for nothing."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, replace

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert

from notesdesk.core.crypto import signing
from notesdesk.core.sync import server_tables as t
from notesdesk.core.sync.crypto import DeviceKeys


@dataclass(frozen=True)
class Listed:
    keys: DeviceKeys
    certificate: bytes | None


def devices(connection: Connection, practice_id: str) -> dict[str, Listed]:
    d = t.device.c
    rows = connection.execute(
        select(d.id, d.clinician_id, d.sign_public, d.x25519_public, d.note_public, d.certificate).where(
            d.practice_id == practice_id
        )
    )
    return {
        row.id: Listed(
            DeviceKeys(
                row.id,
                row.clinician_id,
                bytes(row.sign_public),
                bytes(row.x25519_public),
                bytes(row.note_public),
            ),
            None if row.certificate is None else bytes(row.certificate),
        )
        for row in rows
    }


DEVICE = "device"
REMOVED_DEVICE = "removed-device"  # subject "DEVICE LAST_PUSH HASH": crypto.DeviceKeys.removal_certificate
CLIENT_KEY = "client-key"  # subject "CLIENT KEY RECIPIENT": crypto.client_key_certificate
RECOVERY = "recovery"  # subject "recovery": crypto.recovery_certificate


def stored(connection: Connection, practice_id: str, version: int, kind: str) -> dict[str, bytes]:
    """Certificates of one kind under one practice key version after the first, by subject."""
    c = t.certificate.c
    rows = connection.execute(
        select(c.subject, c.certificate).where(
            c.practice_id == practice_id, c.key_version == version, c.kind == kind
        )
    )
    return {row.subject: bytes(row.certificate) for row in rows}


def store(connection: Connection, practice_id: str, version: int, kind: str, made: dict[str, bytes]) -> None:
    """Keep certificates made under a version after the first (one already there is kept)."""
    if version > 1 and made:
        connection.execute(
            insert(t.certificate).on_conflict_do_nothing(),
            [
                {"practice_id": practice_id, "key_version": version, "kind": kind, "subject": subject,
                 "certificate": certificate}
                for subject, certificate in sorted(made.items())
            ],
        )


def certified(
    connection: Connection, practice_id: str, practice_key: bytes, version: int = 1
) -> dict[str, DeviceKeys]:
    """The devices a member vouched for under this version of the practice key; the others (waiting to
    be added, planted, or certified under an older version only) are left out. A device removed from the
    practice is in with the last push that counts (`pushes_until`)."""
    listed = devices(connection, practice_id)
    if version == 1:
        return {
            device_id: entry.keys
            for device_id, entry in listed.items()
            if entry.keys.certified(entry.certificate, practice_key, practice_id)
        }
    found = {
        device_id: listed[device_id].keys
        for device_id, certificate in stored(connection, practice_id, version, DEVICE).items()
        if device_id in listed and listed[device_id].keys.certified(certificate, practice_key, practice_id)
    }
    for subject, certificate in stored(connection, practice_id, version, REMOVED_DEVICE).items():
        ended = _removal(subject)
        if ended is None or ended[0] not in listed or ended[0] in found:
            continue
        device_id, last, last_hash = ended
        keys = listed[device_id].keys
        expected = keys.removal_certificate(practice_key, practice_id, last, last_hash)
        if hmac.compare_digest(certificate, expected):
            found[device_id] = replace(keys, pushes_until=last, last_push_hash=last_hash)
    return found


def removal_subject(device_id: str, last_push: int, last_hash: bytes) -> str:
    return f"{device_id} {last_push} {last_hash.hex()}"


def _removal(subject: str) -> tuple[str, int, bytes] | None:
    """(device, last push, its hash) from a `removal_subject`; None when malformed (then not trusted)."""
    parts = subject.split(" ")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    try:
        return parts[0], int(parts[1]), bytes.fromhex(parts[2])
    except ValueError:
        return None


def note_signers(trusted: dict[str, DeviceKeys]) -> dict[str, str]:
    """Fingerprint -> hex note-signing key of every certified device (state.PracticeSigners)."""
    return {signing.fingerprint(keys.note_public): keys.note_public.hex() for keys in trusted.values()}
