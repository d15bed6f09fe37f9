"""Signatures in a group practice's client export: a note signed by a colleague (core/sync) verifies
with the colleague's key, which the export carries by fingerprint in `practice_keys`; both checkers
use the key each signature names, and an item naming no key in the file is checked against
`signing_key` (and so fails unless the practice's own key signed it)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from notesdesk.core.crypto import signing
from notesdesk.core.domain.common import now
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.services import notes
from notesdesk.core.services.signatures import make_signature
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import state as sync_state
from tests.cli.conftest import PASSPHRASE, Runner
from tests.cli.test_cli_check_signature import _script, _signed_export

COLLEAGUE = signing.new_private_key_bytes()
COLLEAGUE_PUBLIC = signing.public_key_bytes(COLLEAGUE)
COLLEAGUE_FINGERPRINT = signing.fingerprint(COLLEAGUE_PUBLIC)


def _colleagues_note(vault_path: Path, client_id: str) -> str:
    """A note signed with a colleague's key, as sync brings it in, with the colleague's key among the
    practice's signers (core/sync/state.PracticeSigners); returns its id."""
    with Vault.open(vault_path, passphrase=PASSPHRASE) as vault:
        note = notes.create_note(vault.unit_of_work(), SessionNote(
            client_id=client_id, session_date=date(2024, 3, 12), format=NoteFormat.DAP,
            sections=notes.build_sections(NoteFormat.DAP, {"data": "Seen by a colleague while away"}),
        ))
        signed = replace(note, signature=make_signature(note, COLLEAGUE, "Dr Bo Lind", "LMFT", now()))
        with vault.unit_of_work() as uow:
            uow.notes.replace(signed, action="sign")
            sync_state.save(uow, sync_state.PracticeSigners({COLLEAGUE_FINGERPRINT: COLLEAGUE_PUBLIC.hex()}))
            uow.commit()
    return note.id


def _group_export(run: Runner, client_id: str, tmp_path: Path) -> tuple[Path, str]:
    note_id = _colleagues_note(run.vault, client_id)
    assert run.ok("verify").startswith("Vault OK")  # the vault itself accepts the colleague's note
    return _signed_export(run, client_id, tmp_path), note_id


def _item(record: dict[str, Any], note_id: str) -> dict[str, Any]:
    return next(n for n in record["notes"] if n["id"] == note_id)


def test_the_export_carries_the_practice_members_keys_by_fingerprint(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    export, note_id = _group_export(run, client_id, tmp_path)
    record = json.loads(export.read_bytes())
    own = record["signing_key"]["fingerprint"]
    assert record["practice_keys"][COLLEAGUE_FINGERPRINT] == {
        "algorithm": "Ed25519", "public_key": COLLEAGUE_PUBLIC.hex()}
    assert record["practice_keys"][own]["public_key"] == record["signing_key"]["public_key"]
    assert _item(record, note_id)["signature"]["key_fingerprint"] == COLLEAGUE_FINGERPRINT
    schema = (Path(__file__).parents[2] / "docs" / "export-schema.md").read_text("utf-8")
    assert "| `practice_keys` |" in schema


def test_a_colleagues_signed_note_passes_both_checkers_naming_the_colleagues_key(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    export, _note_id = _group_export(run, client_id, tmp_path)
    result = Runner(tmp_path / "no-vault.notesdesk")("check-signature", str(export), unlock=None)
    assert result.code == 0, result.err
    assert "All 3 signed items verify." in result.out and COLLEAGUE_FINGERPRINT in result.out
    as_json = json.loads(run.ok("--json", "check-signature", str(export), unlock=None))
    assert as_json["signed_items"] == 3 and as_json["colleague_key_fingerprints"] == [COLLEAGUE_FINGERPRINT]
    checked = _script(export, tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "All 3 signed items verify" in checked.stdout and COLLEAGUE_FINGERPRINT in checked.stdout


def test_a_solo_practice_export_names_no_colleague(run: Runner, client_id: str, tmp_path: Path) -> None:
    export = _signed_export(run, client_id, tmp_path)
    record = json.loads(export.read_bytes())
    assert list(record["practice_keys"]) == [record["signing_key"]["fingerprint"]]
    assert json.loads(run.ok("--json", "check-signature", str(export), unlock=None))[
        "colleague_key_fingerprints"] == []
    assert "colleague" not in run.ok("check-signature", str(export), unlock=None)


def _fails_in_both(run: Runner, export: Path, tmp_path: Path, note_id: str) -> None:
    result = run("check-signature", str(export), unlock=None)
    assert result.code == 4 and result.err.count("\n") == 1 and "Traceback" not in result.err
    assert f"note {note_id}" in result.err
    checked = _script(export, tmp_path)
    assert checked.returncode == 4 and "Traceback" not in checked.stderr
    assert f"note {note_id}" in checked.stderr


def test_a_colleagues_note_edited_afterwards_fails_both(run: Runner, client_id: str, tmp_path: Path) -> None:
    export, note_id = _group_export(run, client_id, tmp_path)
    record = json.loads(export.read_bytes())
    _item(record, note_id)["sections"][0]["text"] = "Rewritten afterwards"
    export.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    _fails_in_both(run, export, tmp_path, note_id)


def test_without_the_colleagues_key_their_note_is_checked_against_the_signing_key_and_fails(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    export, note_id = _group_export(run, client_id, tmp_path)
    record = json.loads(export.read_bytes())
    del record["practice_keys"][COLLEAGUE_FINGERPRINT]
    export.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    _fails_in_both(run, export, tmp_path, note_id)


def test_a_key_filed_under_another_fingerprint_is_not_used(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    """The checkers compute each key's fingerprint themselves: a label in the file names nothing."""
    export, note_id = _group_export(run, client_id, tmp_path)
    record = json.loads(export.read_bytes())
    keys = record["practice_keys"]
    own = record["signing_key"]["fingerprint"]
    keys[COLLEAGUE_FINGERPRINT], keys[own] = keys[own], keys[COLLEAGUE_FINGERPRINT]
    export.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    result = run("check-signature", str(export), unlock=None)
    assert result.code == 0, result.err  # each key is found under its own fingerprint, whatever the label
    checked = _script(export, tmp_path)
    assert checked.returncode == 0, checked.stderr
    own_key = {"algorithm": "Ed25519", "public_key": record["signing_key"]["public_key"]}
    record["practice_keys"] = {COLLEAGUE_FINGERPRINT: own_key}  # only the practice's key, mislabelled
    export.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    _fails_in_both(run, export, tmp_path, note_id)
