"""Import is all or nothing: a crafted export (a signature broken in the middle, another practice's
key, a malformed key) is refused before anything is written, the vault's rows stay as they were,
`verify` still passes, and "nothing was changed" is said only when it is true."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from notesdesk.core.backup.container import BackupDamaged
from notesdesk.core.crypto import signing
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.domain.plans import AgreementHow, ReviewOutcome
from notesdesk.core.exports import practice
from notesdesk.core.exports.practice import PracticeExport
from notesdesk.core.services import clients, notes, plans
from notesdesk.core.storage.vault import Vault
from tests.core import records
from tests.signer import ready_to_sign

from .conftest import PASSPHRASE, Runner

EXPORT_PASSPHRASE = "export passphrase for the move"


@pytest.fixture
def genuine(tmp_path: Path, vault_path: Path) -> bytes:
    """A whole-practice export with three signed notes and a signed plan version with a signed review
    and a signed client agreement (the vault_path fixture sets the test KDF)."""
    source, _key = Vault.create(tmp_path / "source.notesdesk", PASSPHRASE)
    ready_to_sign(source)  # the signing service refuses without a signer
    client = clients.add_client(source.unit_of_work(), Client(name="Amaru Quispe"))
    for day in (1, 8, 15):
        note = notes.create_note(
            source.unit_of_work(),
            SessionNote(
                client_id=client.id,
                session_date=date(2026, 10, day),
                format=NoteFormat.DAP,
                sections=notes.build_sections(NoteFormat.DAP, {"data": f"Session on day {day}"}),
            ),
        )
        notes.sign_note(source.unit_of_work(), note.id)
    plan = plans.save_plan(source.unit_of_work(), records.plan(client.id, "plan "))
    plans.activate_plan(source.unit_of_work(), plan.id, today() - timedelta(days=10))
    plans.record_review(source.unit_of_work(), client.id, today(), ReviewOutcome.CONTINUE, "On track")
    plans.agree_plan(source.unit_of_work(), client.id, today(), AgreementHow.SCREEN)
    data = practice.export_practice(source, EXPORT_PASSPHRASE)
    source.close()
    return data


def _craft(data: bytes, change: Callable[[PracticeExport], PracticeExport]) -> bytes:
    export = practice.read_export(data, EXPORT_PASSPHRASE, checked=False)
    return practice.seal_export(change(export), EXPORT_PASSPHRASE)


def _middle_note_edited(export: PracticeExport) -> PracticeExport:
    ordered = sorted(export.records.notes, key=lambda n: n.session_date)
    middle = ordered[1]
    edited = replace(middle, sections=notes.build_sections(NoteFormat.DAP, {"data": "Rewritten afterwards"}))
    changed = tuple(edited if n.id == middle.id else n for n in export.records.notes)
    records = replace(export.records, notes=changed)
    return replace(export, records=records)


def _foreign_key(export: PracticeExport) -> PracticeExport:
    return replace(export, signing_key=signing.new_private_key_bytes().hex())


def _malformed_key(export: PracticeExport) -> PracticeExport:
    return replace(export, signing_key="not a key")


def _signed_plan_edited(export: PracticeExport) -> PracticeExport:
    (plan,) = export.records.plans
    assert plan.is_signed
    edited = replace(plan, strengths="Rewritten afterwards")
    return replace(export, records=replace(export.records, plans=(edited,)))


def _plan_review_edited(export: PracticeExport) -> PracticeExport:
    (review,) = export.records.plan_reviews
    edited = replace(review, summary="Rewritten afterwards")
    return replace(export, records=replace(export.records, plan_reviews=(edited,)))


def _plan_agreement_edited(export: PracticeExport) -> PracticeExport:
    (agreement,) = export.records.plan_agreements
    edited = replace(agreement, how=AgreementHow.PAPER)
    return replace(export, records=replace(export.records, plan_agreements=(edited,)))


PLAN_CHANGES = [_signed_plan_edited, _plan_review_edited, _plan_agreement_edited]


def _rows(vault: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table except the audit log and its head (an unlock is audited)."""
    conn = sqlite3.connect(vault)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    rows = {
        name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        for name in names
        if name not in ("audit", "audit_head")
    }
    conn.close()
    return rows


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (_middle_note_edited, "signature"),
        (_foreign_key, "signature"),
        (_malformed_key, "signing key"),
        (_signed_plan_edited, "signature"),
        (_plan_review_edited, "signature"),
        (_plan_agreement_edited, "signature"),
    ],
)
def test_a_crafted_export_is_refused_whole_and_the_vault_is_unchanged(
    genuine: bytes, tmp_path: Path, change: Callable[[PracticeExport], PracticeExport], said: str
) -> None:
    crafted = tmp_path / "crafted.ndx"
    crafted.write_bytes(_craft(genuine, change))
    empty = Runner(tmp_path / "empty.notesdesk")
    empty.ok("init")
    before_bytes = empty.vault.read_bytes()

    result = empty("import", str(crafted), stdin=f"{EXPORT_PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.code == 4, result.err
    assert result.err.count("\n") == 1
    assert said in result.err
    assert "unexpected" not in result.err
    # Refused before the vault was even opened: not one byte of it changed.
    assert empty.vault.read_bytes() == before_bytes
    assert "Amaru" not in empty.ok("client", "list")
    assert empty.ok("verify").startswith("Vault OK")


@pytest.mark.parametrize("change", [_middle_note_edited, _foreign_key, _malformed_key, *PLAN_CHANGES])
def test_the_import_service_itself_writes_nothing_from_a_crafted_export(
    genuine: bytes, tmp_path: Path, change: Callable[[PracticeExport], PracticeExport]
) -> None:
    """The same refusal when the check before opening is skipped (the app, or another caller)."""
    target_path = tmp_path / "target.notesdesk"
    target, _key = Vault.create(target_path, PASSPHRASE)
    target.close()
    before = _rows(target_path)
    with Vault.open(target_path, passphrase=PASSPHRASE) as target:
        public = target.signing_public_key()
        with pytest.raises(BackupDamaged):
            practice.import_practice(target, _craft(genuine, change), EXPORT_PASSPHRASE)
        assert target.signing_public_key() == public
    assert _rows(target_path) == before
    assert Runner(target_path).ok("verify").startswith("Vault OK")


@pytest.mark.parametrize("change", PLAN_CHANGES)
def test_an_export_with_an_altered_plan_record_creates_no_vault(
    genuine: bytes, tmp_path: Path, change: Callable[[PracticeExport], PracticeExport]
) -> None:
    """Signed plan versions, their reviews and agreements are checked before anything is written, as
    signed notes are: `verify` would otherwise be the first to find the change, after the import."""
    crafted = tmp_path / "crafted.ndx"
    crafted.write_bytes(_craft(genuine, change))
    target = tmp_path / "new" / "practice.notesdesk"
    result = Runner(target)("import", str(crafted), stdin=f"{EXPORT_PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.code == 4, result.err
    assert result.err.startswith("notesdesk: ") and result.err.count("\n") == 1
    assert "fails its signature check" in result.err and "Nothing was imported." in result.err
    assert "Traceback" not in result.err and result.out == ""
    assert not target.exists()


def test_a_genuine_export_still_imports_whole_and_verifies(genuine: bytes, tmp_path: Path) -> None:
    export = tmp_path / "genuine.ndx"
    export.write_bytes(_craft(genuine, lambda e: e))
    empty = Runner(tmp_path / "empty.notesdesk")
    empty.ok("init")
    empty.ok("import", str(export), stdin=f"{EXPORT_PASSPHRASE}\n{PASSPHRASE}\n")
    assert "Amaru Quispe" in empty.ok("client", "list")
    assert "3 signed notes verified" in empty.ok("verify")
    assert "signed by Dr Ada Byrne" in empty.ok("plan", "show", "Amaru")
