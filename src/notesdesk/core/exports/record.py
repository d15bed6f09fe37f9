"""One client's record as JSON, in a documented schema (docs/export-schema.md).

Readable by any successor system without NotesDesk. Psychotherapy notes are left out unless the
practitioner explicitly includes them (HIPAA 164.501/164.524: they are not part of the record set).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec

from notesdesk.core.crypto import signing
from notesdesk.core.exports.snapshot import TABLES, take
from notesdesk.core.services.notes import signer_keys
from notesdesk.core.services.signatures import LATER_NOTE_FIELDS, Signable, signed_inputs
from notesdesk.core.storage.uow import UnitOfWork

SCHEMA = "notesdesk.client-record/1"


def client_record(uow: UnitOfWork, client_id: str, include_private: bool = False) -> dict[str, Any]:
    snapshot = take(uow, client_id=client_id, include_private=include_private)
    public = uow.vault.signing_public_key()
    with uow:  # in a group practice, colleagues' notes are signed with their own keys (core/sync)
        members = signer_keys(uow)
    body = msgspec.to_builtins(snapshot)
    # What anyone needs to check every signature without NotesDesk (SECURITY.md, docs/check_signatures.py).
    later = {key: msgspec.to_builtins(default) for key, default in LATER_NOTE_FIELDS.items()}
    signed: tuple[tuple[str, Sequence[Signable]], ...] = (
        ("notes", snapshot.notes), ("addenda", snapshot.addenda), ("plans", snapshot.plans),
        ("plan_reviews", snapshot.plan_reviews), ("plan_agreements", snapshot.plan_agreements),
    )
    for name, items in signed:
        for plain, item in zip(body[name], items, strict=True):
            if name == "notes":  # shown as signed: a field added later appears once it is set
                for key, default in later.items():
                    if key in plain and plain[key] == default:
                        del plain[key]
            plain["signed_content"] = signed_inputs(item)
    record: dict[str, Any] = {
        "schema": SCHEMA,
        "exported_at": datetime.now(UTC).isoformat(),
        "includes_psychotherapy_notes": include_private,
        "signing_key": {
            "algorithm": "Ed25519",
            "public_key": public.hex(),
            "fingerprint": signing.fingerprint(public),
        },
        # Every key the practice's items may be signed with, by fingerprint (each signature's
        # key_fingerprint): this practice's own and, in a group practice, each colleague's.
        "practice_keys": {
            fingerprint: {"algorithm": "Ed25519", "public_key": key.hex()}
            for fingerprint, key in sorted(members.items())
        },
        "client": body.pop("clients")[0],
    }
    for name in TABLES:
        if name == "clients" or (name == "private_notes" and not include_private):
            continue
        record[name] = body[name]
    return record


def client_record_json(uow: UnitOfWork, client_id: str, include_private: bool = False) -> bytes:
    record = client_record(uow, client_id, include_private)
    with uow:
        uow.record("export", "client", client_id, detail="json" + (" +private" if include_private else ""))
        uow.commit()
    return msgspec.json.format(msgspec.json.encode(record), indent=2)
