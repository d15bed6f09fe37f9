"""The practice's devices as the server lists them, each trusted only with a certificate under the
practice key (crypto.DeviceKeys): the server cannot add a device of its own or swap a key."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

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


def certified(connection: Connection, practice_id: str, practice_key: bytes) -> dict[str, DeviceKeys]:
    """The devices a member vouched for; the others (waiting to be added, or planted) are left out."""
    return {
        device_id: listed.keys
        for device_id, listed in devices(connection, practice_id).items()
        if listed.keys.certified(listed.certificate, practice_key, practice_id)
    }


def note_signers(trusted: dict[str, DeviceKeys]) -> dict[str, str]:
    """Fingerprint -> hex note-signing key of every certified device (state.PracticeSigners)."""
    return {signing.fingerprint(keys.note_public): keys.note_public.hex() for keys in trusted.values()}
