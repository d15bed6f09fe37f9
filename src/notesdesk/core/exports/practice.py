"""The lossless, encrypted export of a whole practice, and its import into a new, empty vault.

The payload is every record as JSON inside an NDBK container, plus the signing key (so signed notes
still verify after the move) and the practitioner profile. It opens with the passphrase given at
export time; the importing vault re-seals every record under its own keys.
"""

from __future__ import annotations

import os
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec

from notesdesk import __version__
from notesdesk.core.backup import container
from notesdesk.core.crypto import kdf, keys, signing
from notesdesk.core.domain.attachments import AttachmentChunk
from notesdesk.core.domain.notes import Addendum
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import Conflict, InvalidInput
from notesdesk.core.exports.snapshot import PRACTICE_TABLES, Snapshot, take
from notesdesk.core.services import attachments
from notesdesk.core.services.notes import chain_order, chain_valid
from notesdesk.core.services.plan_checks import plan_signature_problem
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.vault import Vault
from notesdesk.core.storage.vault_settings import PROFILE_ID, SIGNING_KEY_ID
from notesdesk.core.sync import state as sync_state

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
    if _incomplete(snapshot):  # it would not import (_check_attachments)
        raise InvalidInput(
            "An attachment has not fully arrived from the practice yet: sync with the practice, then "
            "export again. Nothing was written."
        )
    export = PracticeExport(
        schema=SCHEMA,
        exported_at=datetime.now(UTC).isoformat(),
        vault_id=vault.vault_id,
        signing_key=vault.signing_private_key().hex(),
        profile=vault.profile(),
        records=snapshot,
        settings=_settings(vault),
    )
    payload = msgspec.json.encode(export)
    with vault.unit_of_work() as uow:
        uow.record("export", detail="whole practice, encrypted")
        uow.commit()
    return container.seal_backup(payload, *_export_envelope(passphrase, snapshot))


def _export_envelope(
    passphrase: str, snapshot: Snapshot
) -> tuple[bytes, str, dict[str, keys.KeySlot], dict[str, object]]:
    """A fresh export key wrapped by `passphrase`, and the header of the day."""
    export_id = str(uuid.uuid4())
    export_key = os.urandom(keys.DEK_LEN)
    slot = keys.passphrase_slot(passphrase, kdf.new_params(), export_key, export_id)
    meta: dict[str, object] = {
        "kind": "practice-export",
        "created": datetime.now(UTC).isoformat(),
        "app_version": __version__,
        "schema": SCHEMA,
        "audit_head_seq": 0,
        "audit_head_mac": "",
        "counts": {name: len(getattr(snapshot, name)) for name in PRACTICE_TABLES},
    }
    return export_key, export_id, {slot.kind: slot}, meta


def seal_export(export: PracticeExport, passphrase: str) -> bytes:
    """An export file for `export` as it is (tests craft hostile ones with it)."""
    payload = msgspec.json.encode(export)
    return container.seal_backup(payload, *_export_envelope(passphrase, export.records))


CARRIED_ELSEWHERE = {SIGNING_KEY_ID, PROFILE_ID}


def _settings(vault: Vault) -> dict[str, str]:
    with vault.unit_of_work() as uow:
        rows = SealedTable[Any](uow.ctx, "secret", dict, label="vault setting").all_raw()
    skipped = CARRIED_ELSEWHERE | sync_state.DEVICE_ONLY
    return {row_id: payload.decode() for row_id, payload in rows if row_id not in skipped}


def read_export(data: bytes, passphrase: str, checked: bool = True) -> PracticeExport:
    """The export, opened; `checked`: its signing key and every signature checked too (check_export)."""
    header = container.read_header(data)
    key = container.unwrap_dek(header, passphrase, None)
    payload = container.open_payload(data, header, key, magic=MAGIC)
    try:
        export = msgspec.json.decode(payload, type=PracticeExport)
    except msgspec.DecodeError as exc:
        raise container.BackupDamaged("This export cannot be read: its contents are malformed.") from exc
    if checked:
        check_export(export)
    return export


UNCHANGED = "Nothing was imported."


def signing_key_of(export: PracticeExport) -> bytes:
    try:
        private = bytes.fromhex(export.signing_key)
        signing.public_key_bytes(private)
    except ValueError as exc:
        raise container.BackupDamaged(f"This export's signing key is malformed. {UNCHANGED}") from exc
    return private


def check_export(export: PracticeExport) -> None:
    """Every signed note and addendum verifies against the export's own signing key, with its
    addendum chain unbroken, and so does every signed plan version, plan review and plan agreement, as
    `notesdesk verify` will check once it is imported: an export altered in the middle, or carrying
    another practice's key, is refused before anything is written."""
    public = signing.public_key_bytes(signing_key_of(export))
    try:  # in a group practice, colleagues' notes are signed with their keys (core/sync)
        colleagues = sync_state.signers_of(export.settings.get(sync_state.SIGNERS_ID))
    except (msgspec.DecodeError, ValueError) as exc:
        raise container.BackupDamaged(f"This export's practice keys are malformed. {UNCHANGED}") from exc
    keys = colleagues | {signing.fingerprint(public): public}
    addenda: dict[str, list[Addendum]] = defaultdict(list)
    for addendum in export.records.addenda:
        addenda[addendum.note_id].append(addendum)
    signed = {note.id for note in export.records.notes if note.is_signed}
    if set(addenda) - signed:
        raise container.BackupDamaged(
            f"This export has an addendum to a note that is not signed. {UNCHANGED}"
        )
    _check_attachments(export.records)
    for note in export.records.notes:
        if note.is_signed and not chain_valid(note, chain_order(note, addenda.get(note.id, [])), keys):
            raise container.BackupDamaged(
                f"Signed note {note.id} in this export fails its signature check against the export's "
                f"signing keys: the export was altered, or mixes in another practice's key. {UNCHANGED}"
            )
    # Checked against the export's own key and its colleagues', as `verify` checks them in the vault.
    plan_problem = plan_signature_problem(export.records.plans, export.records.plan_reviews,
                                          export.records.plan_agreements, keys)
    if plan_problem:
        raise container.BackupDamaged(f"{plan_problem} {UNCHANGED}")


def _incomplete(records: Snapshot) -> bool:
    """Not every attachment is whole (all its chunks, hashing to its SHA-256), or a chunk is stray: in
    a vault, an attachment still arriving from the practice (services/attachments.StillArriving)."""
    chunks: dict[str, list[AttachmentChunk]] = defaultdict(list)
    for chunk in records.attachment_chunks:
        chunks[chunk.attachment_id].append(chunk)
    known = {a.id for a in records.attachments}
    broken = [a.id for a in records.attachments if not attachments.whole(a, chunks.get(a.id, []))]
    return bool(broken or set(chunks) - known)


def _check_attachments(records: Snapshot) -> None:
    """Every attachment arrives whole: all its chunks, hashing to its SHA-256, and no stray chunk."""
    if _incomplete(records):
        raise container.BackupDamaged(f"An attachment in this export is incomplete or altered. {UNCHANGED}")


def import_practice(vault: Vault, data: bytes, passphrase: str) -> dict[str, int]:
    """Load an export into an empty vault, in one transaction with its signing key and profile, after
    every signature has been checked (check_export). Returns counts per kind of record."""
    export = read_export(data, passphrase)
    private = signing_key_of(export)
    records = export.records
    with vault.unit_of_work() as uow:
        if uow.clients.ids():
            raise Conflict("Import goes into a new, empty vault; this one already has clients.")
        for name in PRACTICE_TABLES:
            table = getattr(uow, name)
            for obj in getattr(records, name):
                table.add(obj, action="create")
        secrets = SealedTable[Any](uow.ctx, "secret", dict, label="vault setting")
        for row_id, payload in export.settings.items():
            if row_id not in CARRIED_ELSEWHERE:
                secrets.put_raw(row_id, payload.encode())
        vault.adopt_practice(uow, private, export.profile)
        uow.record("import", detail=f"practice export {export.exported_at}")
        uow.commit()
    return {name: len(getattr(records, name)) for name in PRACTICE_TABLES}
