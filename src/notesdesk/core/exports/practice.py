"""The lossless, encrypted export of a whole practice, and its import into a new, empty vault.

The payload is every record as JSON inside an NDBK container, plus the signing key (so signed notes
still verify after the move) and the practitioner profile. It opens with the passphrase given at
export time; the importing vault re-seals every record under its own keys.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec

from notesdesk import __version__
from notesdesk.core.backup import container
from notesdesk.core.crypto import kdf, keys
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import Conflict, InvalidInput
from notesdesk.core.exports.snapshot import PRACTICE_TABLES, Snapshot, take
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.vault import PROFILE_ID, SIGNING_KEY_ID, Vault

SCHEMA = "notesdesk.practice-export/1"
MAGIC = b'{"schema":"notesdesk.practice-export/1"'


@dataclass(frozen=True)
class PracticeExport:
    schema: str
    exported_at: str
    vault_id: str
    signing_key: str
    profile: PractitionerProfile
    records: Snapshot
    # Other vault-level settings (note templates, practitioner instruments) as their stored JSON.
    settings: dict[str, str] = field(default_factory=dict)


def export_practice(vault: Vault, passphrase: str) -> bytes:
    problem_free = passphrase.strip()
    if not problem_free:
        raise InvalidInput("The export needs a passphrase to protect it.")
    snapshot = take(vault.unit_of_work(), include_private=True, include_unsent=True)
    payload = msgspec.json.encode(
        PracticeExport(
            schema=SCHEMA,
            exported_at=datetime.now(UTC).isoformat(),
            vault_id=vault.vault_id,
            signing_key=vault.signing_private_key().hex(),
            profile=vault.profile(),
            records=snapshot,
            settings=_settings(vault),
        )
    )
    export_id = str(uuid.uuid4())
    export_key = os.urandom(keys.DEK_LEN)
    slot = keys.passphrase_slot(passphrase, kdf.new_params(), export_key, export_id)
    meta = {
        "kind": "practice-export",
        "created": datetime.now(UTC).isoformat(),
        "app_version": __version__,
        "schema": SCHEMA,
        "audit_head_seq": 0,
        "audit_head_mac": "",
        "counts": {name: len(getattr(snapshot, name)) for name in PRACTICE_TABLES},
    }
    with vault.unit_of_work() as uow:
        uow.record("export", detail="whole practice, encrypted")
        uow.commit()
    return container.seal_backup(payload, export_key, export_id, {slot.kind: slot}, meta)


CARRIED_ELSEWHERE = {SIGNING_KEY_ID, PROFILE_ID}


def _settings(vault: Vault) -> dict[str, str]:
    with vault.unit_of_work() as uow:
        rows = SealedTable[Any](uow.ctx, "secret", dict, label="vault setting").all_raw()
    return {row_id: payload.decode() for row_id, payload in rows if row_id not in CARRIED_ELSEWHERE}


def read_export(data: bytes, passphrase: str) -> PracticeExport:
    header = container.read_header(data)
    key = container.unwrap_dek(header, passphrase, None)
    payload = container.open_payload(data, header, key, magic=MAGIC)
    try:
        return msgspec.json.decode(payload, type=PracticeExport)
    except msgspec.DecodeError as exc:
        raise container.BackupDamaged("This export cannot be read: its contents are malformed.") from exc


def import_practice(vault: Vault, data: bytes, passphrase: str) -> dict[str, int]:
    """Load an export into an empty vault. Returns counts per kind of record."""
    export = read_export(data, passphrase)
    with vault.unit_of_work() as uow:
        if uow.clients.ids():
            raise Conflict("Import goes into a new, empty vault; this one already has clients.")
    records = export.records
    with vault.unit_of_work() as uow:
        for name in PRACTICE_TABLES:
            table = getattr(uow, name)
            for obj in getattr(records, name):
                table.add(obj, action="create")
        secrets = SealedTable[Any](uow.ctx, "secret", dict, label="vault setting")
        for row_id, payload in export.settings.items():
            if row_id not in CARRIED_ELSEWHERE:
                secrets.put_raw(row_id, payload.encode())
        uow.record("import", detail=f"practice export {export.exported_at}")
        uow.commit()
    vault.adopt_signing_key(bytes.fromhex(export.signing_key))
    vault.save_profile(export.profile)
    return {name: len(getattr(records, name)) for name in PRACTICE_TABLES}
