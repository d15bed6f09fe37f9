"""CLI: diagnosis add | list | remove, note times and codes, next-session and due."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from notesdesk.cli.main import main
from notesdesk.core.storage.vault import Vault
from tests.cli.conftest import PASSPHRASE, Runner


def test_diagnosis_add_list_and_an_unknown_code_refused(run: Runner, client_id: str) -> None:
    added = run("diagnosis", "add", "Zoë", "f411", "--text", "worry most days")
    assert added.code == 0 and added.err == "F41.1 Generalized anxiety disorder\n"
    diagnosis_id = added.out.strip()
    listed = run.ok("diagnosis", "list", "Zoë")
    assert f"{diagnosis_id[:8]}  " in listed and "F41.1    Generalized anxiety disorder" in listed
    assert "worry most days" in listed
    as_json = json.loads(run.ok("--json", "diagnosis", "list", "Zoë"))
    assert [(d["code"], d["description"], d["text"]) for d in as_json] == [
        ("F41.1", "Generalized anxiety disorder", "worry most days")]

    before = run.ok("--json", "diagnosis", "list", "Zoë")
    unknown = run("diagnosis", "add", "Zoë", "F41.2")
    assert unknown.code == 1 and unknown.out == ""
    assert unknown.err == ("notesdesk: F41.2 is not an ICD-10-CM code (ICD-10-CM April-2026); "
                           "check it and try again.\n")
    category = run("--json", "diagnosis", "add", "Zoë", "F43")
    assert json.loads(category.err)["error"].startswith("F43 is a category")
    assert run.ok("--json", "diagnosis", "list", "Zoë") == before

    removed = run.ok("diagnosis", "remove", diagnosis_id[:8])
    assert removed == "Removed F41.1.\n" and run.ok("diagnosis", "list", "Zoë") == "No diagnoses.\n"


def test_note_add_with_times_service_delivery_and_cpt(run: Runner, client_id: str) -> None:
    run.ok("profile", "--country", "US")  # CPT codes are offered where the practice's country uses them
    note = run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=Synthetic",
                  "--start", "10:00", "--end", "10:50", "--service", "couple", "--delivery", "video",
                  "--cpt", "90847").strip()
    shown = run.ok("note", "show", note)
    assert ("Session: 10:00–10:50 (50 min) · couple, video · CPT 90847 — family or couple psychotherapy, "
            "with the client, about 50 minutes") in shown
    data = json.loads(run.ok("--json", "note", "show", note))["note"]
    assert (data["start_time"], data["end_time"], data["cpt_code"]) == ("10:00:00", "10:50:00", "90847")
    run.ok("note", "edit", note, "--end", "10:45", "--cpt", "90834")
    assert "10:00–10:45 (45 min)" in run.ok("note", "show", note)
    signed = run.ok("note", "sign", note)
    assert signed.startswith("Signed ✓") and "No session times" not in signed


def test_bad_session_details_are_one_line_each(run: Runner, client_id: str) -> None:
    run.ok("profile", "--country", "US")
    base = ("note", "add", "Zoë", "--format", "FREE", "--section", "text=x")
    cases = {
        ("--start", "10:00", "--end", "09:00"): "The session's end time is not after its start time",
        ("--start", "25:00"): "times are written HH:MM on a 24-hour clock",
        ("--cpt", "90999"): "90999 is not one of the CPT codes NotesDesk knows",
        ("--service", "solo"): "use one of: intake, individual, couple, family, group, telehealth",
    }
    for extra, message in cases.items():
        result = run(*base, *extra)
        assert result.code in (1, 2) and message in result.err and result.err.count("\n") == 1
    assert run.ok("note", "list", "Zoë") == "No notes.\n"


def test_cpt_is_refused_outside_the_us(run: Runner, recovery_key: str, vault_path: Path) -> None:
    with Vault.open(vault_path, passphrase=PASSPHRASE) as vault:
        vault.save_profile(replace(vault.profile(), locale="GB"))
    run.ok("client", "add", "Amal Test")
    result = run("note", "add", "Amal", "--format", "FREE", "--section", "text=x", "--cpt", "90834")
    assert result.code == 1 and "CPT codes are used in the US; this practice's country is GB" in result.err


def test_signing_without_times_says_so(run: Runner, client_id: str) -> None:
    note = run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=x").strip()
    signed = run.ok("note", "sign", note)
    assert signed.startswith("Signed ✓") and signed.endswith("\nNo session times recorded.\n")
    again = run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=y").strip()
    assert json.loads(run.ok("--json", "note", "sign", again))["session_times"] is False


def test_next_session_and_the_due_list(run: Runner, client_id: str, tmp_path: Path) -> None:
    run.ok("measure", "add", "Zoë", "PHQ-9", "--answers", "1,1,1,1,1,1,1,1,0", "--date", "2026-10-05")
    assert run.ok("next-session", "Zoë", "--date", "2026-11-02", "--every", "7") == (
        "Next session 2026-11-02, then every 7 days.\n")
    due = run.ok("due", "--date", "2026-11-09")
    assert due == "Due at the next visit, 2026-11-09:\n\nZoë Ó Briain\n  - questionnaire: PHQ-9\n"
    assert run.ok("due", "--date", "2026-11-10") == (
        "Due at the next visit, 2026-11-10:\nNo client has a session booked on this day.\n")
    data = json.loads(run.ok("--json", "due", "--date", "2026-11-09"))
    rule = data["rules"][0]["rule"]
    assert data["visits"][0]["items"] == [{"kind": "questionnaire", "what": "PHQ-9", "why": rule}]
    assert {r["kind"] for r in data["rules"]} == {"questionnaire", "plan review", "homework check-in",
                                                  "safety-plan review", "release of information"}

    out = tmp_path / "due.pdf"
    assert run.ok("due", "--date", "2026-11-09", "--out", str(out)) == f"{out}\n"
    text = " ".join(PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text().split())
    assert "Zoë Ó Briain" in text and "Questionnaire: PHQ-9" in text
    exists = run("due", "--date", "2026-11-09", "--out", str(out))
    assert exists.code == 1 and "already exists" in exists.err
    audit = run.ok("audit")
    assert "due at the next visit, 2026-11-09" in audit

    assert run("next-session", "Zoë").code == 2
    bad = run("next-session", "Zoë", "--date", "2026-11-02", "--every", "0")
    assert bad.code == 1 and "every 1 to 366 days" in bad.err
    assert run.ok("next-session", "Zoë", "--clear") == "No next session booked.\n"
    assert "No client has a session booked" in run.ok("due", "--date", "2026-11-09")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_signing_without_times_in_a_terminal_asks_first(
    run: Runner, client_id: str, vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=x").strip()
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": PASSPHRASE)
    argv = ["--vault", str(vault_path), "note", "sign", note]
    out, err = io.StringIO(), io.StringIO()
    assert main(argv, stdin=Terminal("no\n"), stdout=out, stderr=err) == 1
    assert "This note has no session start and end times" in err.getvalue()
    assert "Not signed: add the session times first, or sign with --without-times." in err.getvalue()
    assert "Draft: not signed" in run.ok("note", "show", note)
    out, err = io.StringIO(), io.StringIO()
    assert main([*argv, "--without-times"], stdin=Terminal(""), stdout=out, stderr=err) == 0
    assert out.getvalue().startswith("Signed ✓") and err.getvalue() == ""
