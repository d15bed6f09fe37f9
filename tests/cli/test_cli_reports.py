"""summary, record, safety-plan print, homework sheet and init --recovery-sheet: PDF files on disk."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from notesdesk.core.storage.vault import Vault
from tests.core.test_reports_data import (
    ADDENDUM_TEXT,
    CLIENT_WORDS,
    DIAGNOSIS,
    NAME,
    PRIVATE_TEXT,
    PROFILE,
    build_practice,
    flat,
)

from .conftest import PASSPHRASE, Runner

PDF_PASSWORD = "print-shop password 7"
CLIENT = "Łukasz"


@pytest.fixture
def practice(run: Runner, recovery_key: str, vault_path: Path) -> Path:
    """The report tests' synthetic practice, in the CLI's vault (profile locale US)."""
    vault = Vault.open(vault_path, passphrase=PASSPHRASE)
    with vault:
        build_practice(vault)
    return vault_path


def _set_locale(vault_path: Path, locale: str) -> None:
    with Vault.open(vault_path, passphrase=PASSPHRASE) as vault:
        vault.save_profile(replace(PROFILE, locale=locale))


def _text(path: Path, password: str | None = None) -> str:
    reader = PdfReader(path)
    if password is not None:
        reader.decrypt(password)
    return flat("\n".join(page.extract_text() or "" for page in reader.pages))


def _size(path: Path) -> tuple[int, int]:
    box = PdfReader(path).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def _audit_actions(run: Runner) -> list[str]:
    """Audit actions other than unlocking (every command unlocks)."""
    return [e["action"] for e in json.loads(run.ok("--json", "audit")) if e["action"] != "unlock"]


def _audit_details(run: Runner) -> list[str]:
    """The details of the audit's export entries, as `audit --json` shows them."""
    return [e["detail"] for e in json.loads(run.ok("--json", "audit")) if e["action"] == "export"]


def test_clinician_summary_has_its_sections_and_no_psychotherapy_notes(
    run: Runner, practice: Path, tmp_path: Path
) -> None:
    out = tmp_path / "summary.pdf"
    printed = run.ok("summary", CLIENT, "--out", str(out))
    assert printed.splitlines()[0] == str(out) and "not password-protected" in printed
    assert out.stat().st_mode & 0o777 == 0o600
    text = _text(out)
    for heading in (
        "Treatment summary",
        "Presenting concerns",
        "Diagnoses",
        "Treatment plan",
        "Sessions attended",
        "Homework and practice",
        "Measures",
        "Risk and safety",
        "Signature",
    ):
        assert heading in text, heading
    assert DIAGNOSIS in text
    # scored by the measures module, with change labels
    assert "recovered on this questionnaire (baseline 14)" in text
    assert PRIVATE_TEXT not in text
    assert _audit_actions(run)[-1] == "export"


def test_client_copy_leaves_diagnoses_out_unless_ticked_in(
    run: Runner, practice: Path, tmp_path: Path
) -> None:
    plain, ticked = tmp_path / "client.pdf", tmp_path / "client-dx.pdf"
    run.ok("summary", CLIENT, "--audience", "client", "--out", str(plain))
    run.ok("summary", CLIENT, "--audience", "client", "--include-diagnoses", "--out", str(ticked))
    text = _text(plain)
    assert "Your progress so far" in text and CLIENT_WORDS in text and "Your progress chart" in text
    assert DIAGNOSIS not in text and PRIVATE_TEXT not in text
    assert DIAGNOSIS in _text(ticked) and PRIVATE_TEXT not in _text(ticked)
    result = run("summary", CLIENT, "--include-diagnoses", "--out", str(tmp_path / "x.pdf"))
    assert result.code == 2 and "--audience client" in result.err


def test_record_includes_psychotherapy_notes_only_when_asked(
    run: Runner, practice: Path, tmp_path: Path
) -> None:
    without, with_private = tmp_path / "record.pdf", tmp_path / "record-private.pdf"
    run.ok("record", CLIENT, "--out", str(without))
    out = run.ok("--json", "record", CLIENT, "--include-private", "--out", str(with_private))
    assert json.loads(out)["path"] == str(with_private) and json.loads(out)["psychotherapy_notes"] is True
    text = _text(without)
    for heading in ("Record of care", "Progress notes", "Treatment plans", "Questionnaire scores"):
        assert heading in text, heading
    assert ADDENDUM_TEXT in text and PRIVATE_TEXT not in text
    assert PRIVATE_TEXT in _text(with_private)


def test_safety_plan_and_homework_sheet(run: Runner, practice: Path, tmp_path: Path) -> None:
    plan, sheet = tmp_path / "safety.pdf", tmp_path / "homework.pdf"
    run.ok("safety-plan", "print", CLIENT, "--out", str(plan))
    run.ok("homework", "sheet", CLIENT, "--week", "2026-01-14", "--out", str(sheet))
    text = _text(plan)
    assert "My safety plan" in text and "Walk the dog" in text and "My daughter" in text
    homework = _text(sheet)
    assert "This week's practice" in homework and "Worry time, 15 minutes" in homework
    assert _audit_actions(run)[-2:] == ["export", "export"]


def test_a_password_protected_pdf_does_not_open_without_its_password(
    run: Runner, practice: Path, tmp_path: Path
) -> None:
    out = tmp_path / "locked.pdf"
    printed = run.ok(
        "summary", CLIENT, "--pdf-password-stdin", "--out", str(out), stdin=f"{PASSPHRASE}\n{PDF_PASSWORD}\n"
    )
    assert "not password-protected" not in printed
    plain = tmp_path / "plain.pdf"
    run.ok("summary", CLIENT, "--audience", "client", "--out", str(plain))
    assert _audit_details(run)[-2:] == [
        "treatment summary (clinician); password-protected",
        "treatment summary (client); not password-protected",
    ]
    listed = run.ok("audit", "--last", "4")  # the plain listing shows the detail too
    assert "export" in listed and "treatment summary (client); not password-protected" in listed
    assert all(part not in listed + " ".join(_audit_details(run)) for part in NAME.split())
    reader = PdfReader(out)
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not PdfReader(out).decrypt("wrong password")
    assert "Treatment summary" in _text(out, PDF_PASSWORD)
    missing = run("record", CLIENT, "--pdf-password-stdin", "--out", str(tmp_path / "r.pdf"))
    assert missing.code == 2 and "PDF password" in missing.err
    assert not (tmp_path / "r.pdf").exists()


def test_paper_follows_the_profile_locale_unless_given(run: Runner, practice: Path, tmp_path: Path) -> None:
    run.ok("summary", CLIENT, "--out", str(tmp_path / "us.pdf"))
    run.ok("summary", CLIENT, "--paper", "a4", "--out", str(tmp_path / "a4.pdf"))
    _set_locale(practice, "IE")
    run.ok("homework", "sheet", CLIENT, "--out", str(tmp_path / "ie.pdf"))
    run.ok("safety-plan", "print", CLIENT, "--paper", "letter", "--out", str(tmp_path / "letter.pdf"))
    assert _size(tmp_path / "us.pdf") == (612, 792)
    assert _size(tmp_path / "a4.pdf") == (595, 842)
    assert _size(tmp_path / "ie.pdf") == (595, 842)
    assert _size(tmp_path / "letter.pdf") == (612, 792)


def test_an_existing_file_is_kept_unless_forced(run: Runner, practice: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    out.write_bytes(b"keep me")
    before = len(_audit_actions(run))
    result = run("summary", CLIENT, "--out", str(out))
    assert result.code != 0 and "--force" in result.err
    assert out.read_bytes() == b"keep me"
    assert len(_audit_actions(run)) == before  # refused before the vault was opened: nothing logged
    run.ok("summary", CLIENT, "--out", str(out), "--force")
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_mode & 0o777 == 0o600


def test_unknown_client_and_missing_safety_plan_fail_cleanly(
    run: Runner, practice: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    assert run("summary", "Nobody", "--out", str(out)).code == 1
    result = run("safety-plan", "print", "Ann", "--out", str(out))
    assert result.code == 1 and "no safety plan" in result.err
    assert not out.exists() and list(tmp_path.glob(".x.pdf.*")) == []


def test_init_writes_the_recovery_sheet(vault_path: Path, tmp_path: Path) -> None:
    run = Runner(vault_path)
    sheet = tmp_path / "recovery.pdf"
    data = json.loads(run.ok("--json", "init", "--name", "Dr Ada Lee", "--recovery-sheet", str(sheet)))
    assert data["recovery_sheet"] == str(sheet)
    assert sheet.stat().st_mode & 0o777 == 0o600
    text = _text(sheet)
    assert "NotesDesk recovery key" in text and "lose both your passphrase" in text
    assert all(group in text for group in data["recovery_key"].split("-"))
    with Vault.open(vault_path, recovery_key=data["recovery_key"]) as vault:
        assert vault.vault_id in text


def test_init_refuses_an_existing_recovery_sheet_before_creating_the_vault(tmp_path: Path) -> None:
    run = Runner(tmp_path / "new.notesdesk")
    sheet = tmp_path / "recovery.pdf"
    sheet.write_bytes(b"old")
    result = run("init", "--recovery-sheet", str(sheet))
    assert result.code != 0 and sheet.read_bytes() == b"old"
    assert not (tmp_path / "new.notesdesk").exists()


def test_init_prints_the_recovery_key_in_text_mode_with_the_sheet(vault_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "recovery.pdf"
    printed = Runner(vault_path).ok("init", "--recovery-sheet", str(sheet))
    assert "Recovery key:" in printed and f"Recovery sheet: {sheet}" in printed
    assert io.BytesIO(sheet.read_bytes()).read(4) == b"%PDF"


def test_a_guessable_pdf_password_is_warned_about_not_refused(
    run: Runner, practice: Path, tmp_path: Path
) -> None:
    out = tmp_path / "weak.pdf"
    stdin = f"{PASSPHRASE}\nletmein123\n"
    result = run("summary", CLIENT, "--pdf-password-stdin", "--out", str(out), stdin=stdin)
    assert result.code == 0, result.err
    assert result.err.startswith("warning: the PDF password is easy to guess") and result.err.count("\n") == 1
    assert "letmein123" not in result.err and "Treatment summary" in _text(out, "letmein123")


def test_document_makes_what_the_app_offers_such_as_the_maintenance_plan(
    run: Runner, practice: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan.pdf"
    printed = run.ok("document", "maintenance", CLIENT, "--out", str(out))
    assert printed.splitlines()[0] == str(out)
    assert "Keeping it going" in _text(out) and out.stat().st_mode & 0o777 == 0o600
    assert _audit_details(run)[-1] == "maintenance plan; not password-protected"
    record = tmp_path / "record.pdf"
    run.ok("document", "record", CLIENT, "--include-private", "--out", str(record))
    assert PRIVATE_TEXT in _text(record)


def test_document_refuses_an_option_meant_for_another_document(
    run: Runner, practice: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan.pdf"
    result = run("document", "maintenance", CLIENT, "--include-private", "--out", str(out))
    assert result.code == 2 and "--include-private is for 'document record'" in result.err
    assert len(result.err.strip().splitlines()) == 1 and not out.exists()
    unknown = run("document", "letter", CLIENT, "--out", str(out))
    assert unknown.code == 2 and "maintenance" in unknown.err  # the choices are named
