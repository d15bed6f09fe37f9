"""The paperwork issue's "done when", on the command line: a week of practice — consent, sessions with
times and codes, a letter to a GP, a receipt, a scanned form — in NotesDesk alone, and every piece
survives a backup restored on another computer and an export imported into a new vault."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pypdf import PdfReader

from .conftest import PASSPHRASE, Runner

EXPORT_PASSPHRASE = "moving house with my notes"
NEW_PASSPHRASE = "the new computer's passphrase"
SCAN = b"%PDF-1.4\n" + bytes(range(256)) * 40  # a scanned form, as far as its first bytes tell


def _said(run: Runner, *args: str) -> str:
    """A command that succeeds and says what it did on standard error; its standard output."""
    result = run(*args)
    assert result.code == 0, result.err
    return result.out


def _text(path: Path) -> str:
    pages = PdfReader(io.BytesIO(path.read_bytes())).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def _week(run: Runner, folder: Path) -> dict[str, object]:
    run.ok("profile", "--country", "US")
    _said(run, "fees", "set", "individual", "150")
    _said(run, "consent", "add", "Zoë", "--kind", "informed", "--date", "2026-11-02", "--how", "paper")
    _said(run, "consent", "add", "Zoë", "--kind", "release", "--date", "2026-11-02", "--to", "Dr Rahman (GP)",
          "--purpose", "coordinating care", "--until", "2027-05-01")
    _said(run, "diagnosis", "add", "Zoë", "F41.1", "--text", "worry most days")
    for day, start, end in (("2026-11-02", "10:00", "10:50"), ("2026-11-04", "14:00", "14:45"),
                            ("2026-11-06", "09:00", "09:53")):
        note = run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=Synthetic session words",
                      "--date", day, "--start", start, "--end", end, "--cpt", "90834").strip()
        run.ok("note", "sign", note)
    _said(run, "payment", "add", "Zoë", "300", "--method", "card", "--date", "2026-11-06")
    _said(run, "letter", "Zoë", "--template", "gp", "--out", str(folder / "gp.pdf"))
    _said(run, "receipt", "Zoë", "--from", "2026-11-01", "--to", "2026-11-07", "--out", str(folder / "r.pdf"))
    scan = folder / "signed consent.pdf"
    scan.write_bytes(SCAN)
    _said(run, "attach", "add", "Zoë", str(scan), "--title", "Signed consent", "--kind", "consent")
    return _what_the_week_left(run, folder, PASSPHRASE)


def _what_the_week_left(run: Runner, folder: Path, passphrase: str) -> dict[str, object]:
    unlock = {"stdin": passphrase + "\n"}
    [attached] = json.loads(run.ok("--json", "attach", "list", "Zoë", **unlock))
    where = run.vault.parent.name
    copy = folder / f"copy-{where}.pdf"
    run.ok("attach", "get", attached["id"], "--out", str(copy), "--force", **unlock)
    receipt, letter = folder / f"receipt-{where}.pdf", folder / f"gp-{where}.pdf"
    [sent] = json.loads(run.ok("--json", "letter", "Zoë", "--list", **unlock))
    _said_with(run, unlock, "receipt", "Zoë", "--reprint", "1", "--out", str(receipt))
    _said_with(run, unlock, "letter", "Zoë", "--reprint", sent["id"], "--out", str(letter))
    notes = json.loads(run.ok("--json", "note", "list", "Zoë", **unlock))
    return {
        "consents": json.loads(run.ok("--json", "consent", "list", "Zoë", **unlock)),
        "diagnoses": json.loads(run.ok("--json", "diagnosis", "list", "Zoë", **unlock)),
        "sessions": sorted((n["session_date"], n["start_time"], n["end_time"], n["cpt_code"],
                            n["signature"] is not None) for n in notes),
        "payments": json.loads(run.ok("--json", "payment", "list", "Zoë", **unlock)),
        "receipts": json.loads(run.ok("--json", "receipt", "Zoë", "--list", **unlock)),
        "receipt_text": _text(receipt),
        "letter_text": _text(letter),
        "scan": copy.read_bytes(),
        "verified": run.ok("verify", **unlock).startswith("Vault OK"),
    }


def _said_with(run: Runner, unlock: dict[str, str], *args: str) -> None:
    result = run(*args, **unlock)
    assert result.code == 0, result.err


def test_a_week_of_practice_survives_backup_restore_and_export(run: Runner, client_id: str,
                                                               tmp_path: Path) -> None:
    week = _week(run, tmp_path)
    assert week["scan"] == SCAN and week["verified"]
    assert week["sessions"] == [("2026-11-02", "10:00:00", "10:50:00", "90834", True),
                                ("2026-11-04", "14:00:00", "14:45:00", "90834", True),
                                ("2026-11-06", "09:00:00", "09:53:00", "90834", True)]
    assert "Receipt 1" in str(week["receipt_text"]) and "$450.00" in str(week["receipt_text"])
    letter = str(week["letter_text"])
    assert "Dear" in letter and "Synthetic session words" not in letter and "F41.1" not in letter

    export = tmp_path / "practice.ndx"
    run.ok("export", "--all", "--out", str(export), stdin=f"{PASSPHRASE}\n{EXPORT_PASSPHRASE}\n")
    imported = Runner(tmp_path / "imported" / "practice.notesdesk")
    imported.ok("import", str(export), stdin=f"{EXPORT_PASSPHRASE}\n{NEW_PASSPHRASE}\n")
    assert _what_the_week_left(imported, tmp_path, NEW_PASSPHRASE) == week

    # Last: the restored copy is the same vault, and this test's two "computers" share one data
    # folder, where the newer copy's anchor would rightly refuse the older one.
    backup = Path(json.loads(run.ok("--json", "backup"))["path"])
    elsewhere = Runner(tmp_path / "new-computer" / "practice.notesdesk")
    elsewhere.ok("restore", str(backup))
    assert _what_the_week_left(elsewhere, tmp_path, PASSPHRASE) == week
