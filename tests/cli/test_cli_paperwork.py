"""CLI: consent add | list | remove | print, paperwork show | set, and letters (draft, write, check,
list, reprint)."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from tests.cli.conftest import Runner

CANARY = "Canary-7Q the dream about the lighthouse keeper's locked door came back again"


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def add(run: Runner, *args: str) -> str:
    """`consent add …`, which confirms what it recorded on standard error; returns the id."""
    result = run("consent", "add", *args)
    assert result.code == 0, result.err
    return result.out.strip()


def signed_note(run: Runner, day: str) -> None:
    note = run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=Synthetic session",
                  "--date", day, "--start", "10:00", "--end", "10:50").strip()
    run.ok("note", "sign", note)


def test_consent_add_list_and_json(run: Runner, client_id: str) -> None:
    informed = run("consent", "add", "Zoë", "--kind", "informed", "--date", "2026-10-01", "--how", "verbal")
    assert informed.code == 0
    assert informed.err == "2026-10-01 Informed consent to treatment, agreed verbally\n"
    add(run, "Zoë", "--kind", "release", "--date", "2026-10-02", "--to", "Dr Rahman (GP)",
        "--purpose", "coordinating care", "--until", "2027-03-31")
    listed = run.ok("consent", "list", "Zoë")
    assert "Informed consent to treatment, agreed verbally" in listed
    assert ("Release of information, signed on paper; to Dr Rahman (GP) for coordinating care, valid until "
            "2027-03-31") in listed
    data = json.loads(run.ok("--json", "consent", "list", "Zoë"))
    assert [(c["kind"], c["how"], c["until"]) for c in data["consents"]] == [
        ("informed", "verbal", None), ("release", "paper", "2027-03-31")]
    assert data["flags"] == []


def test_bad_agreements_are_one_line_and_store_nothing(run: Runner, client_id: str) -> None:
    before = run.ok("--json", "consent", "list", "Zoë")
    no_recipient = run("consent", "add", "Zoë", "--kind", "release", "--purpose", "x",
                       "--until", "2027-01-01")
    assert no_recipient.code == 1 and no_recipient.out == ""
    assert no_recipient.err == ("notesdesk: A release of information needs its recipient, purpose and last "
                                "day (--to NAME --purpose TEXT --until DATE).\n")
    not_release = run("consent", "add", "Zoë", "--kind", "telehealth", "--until", "2027-01-01")
    assert not_release.code == 1 and not_release.err.count("\n") == 1
    assert "belong to a release of information only" in not_release.err
    ends_before = run("--json", "consent", "add", "Zoë", "--kind", "release", "--to", "A", "--purpose", "b",
                      "--date", "2026-10-01", "--until", "2026-09-30")
    assert json.loads(ends_before.err) == {
        "error": "A release's last day (--until) is on or after the day it was agreed.", "exit_code": 1}
    future = (date.today() + timedelta(days=2)).isoformat()
    assert run("consent", "add", "Zoë", "--kind", "informed", "--date", future).code == 1
    bad_kind = run("consent", "add", "Zoë", "--kind", "marriage")
    assert bad_kind.code == 2 and "use one of: informed, fees, telehealth, release" in bad_kind.err
    assert run.ok("--json", "consent", "list", "Zoë") == before


def test_the_list_flags_a_missing_consent_from_the_first_note_and_an_expired_release(
    run: Runner, client_id: str
) -> None:
    assert "no informed consent" not in run.ok("consent", "list", "Zoë")
    run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=First session")
    assert "! no informed consent recorded" in run.ok("consent", "list", "Zoë")
    flags = json.loads(run.ok("--json", "client", "list"))[0]["flags"]
    assert "no informed consent recorded" in flags["labels"]
    [flag] = flags["paperwork_flags"]
    assert flag["source"].startswith("APA Ethical Principles")

    yesterday = (date.today() - timedelta(days=1)).isoformat()
    add(run, "Zoë", "--kind", "informed")
    add(run, "Zoë", "--kind", "release", "--date", "2026-01-05", "--to", "School nurse",
           "--purpose", "attendance", "--until", yesterday)
    listed = run.ok("consent", "list", "Zoë")
    assert f"! release of information expired: to School nurse, valid until {yesterday}" in listed
    assert "no informed consent" not in listed
    add(run, "Zoë", "--kind", "release", "--to", "school NURSE", "--purpose", "attendance",
           "--until", date.today().isoformat())  # renewed, valid through today
    assert "!" not in run.ok("consent", "list", "Zoë")

    # The client withdraws the informed consent: it stays listed, marked, and the flag is back
    informed = json.loads(run.ok("--json", "consent", "list", "Zoë"))["consents"]
    [informed_id] = [c["id"] for c in informed if c["kind"] == "informed"]
    said = run.ok("consent", "withdraw", informed_id[:8])
    assert said == f"The informed consent to treatment of {date.today().isoformat()} is withdrawn from " \
                   f"{date.today().isoformat()}.\n"
    listed = run.ok("consent", "list", "Zoë")
    assert f"; withdrawn {date.today().isoformat()}" in listed and "! no informed consent recorded" in listed
    twice = run("consent", "withdraw", informed_id[:8])
    assert twice.code == 1 and twice.err.count("\n") == 1 and "already withdrawn" in twice.err


def test_consent_print_fills_the_practice_text(run: Runner, client_id: str, tmp_path: Path) -> None:
    out = tmp_path / "consent.pdf"
    printed = run.ok("consent", "print", "Zoë", "--out", str(out))
    assert printed.startswith(str(out))
    text = pdf_text(out)
    assert "Informed consent to treatment" in text and "For Zoë Ó Briain" in text
    assert "Confidentiality and its limits" in text and "Dr Ada Lee (PhD)" in text
    assert "Client’s signature" in text

    own = tmp_path / "release.txt"
    own.write_text("I, {client}, let {practitioner} tell {release_to} about {release_purpose} until "
                   "{release_until}.", encoding="utf-8")
    run.ok("paperwork", "set", "release", "--file", str(own))
    add(run, "Zoë", "--kind", "release", "--date", "2026-10-01", "--to", "Dr Rahman",
           "--purpose", "medication review", "--until", "2027-03-31")
    release = tmp_path / "release.pdf"
    run.ok("consent", "print", "Zoë", "--kind", "release", "--out", str(release))
    assert ("I, Zoë Ó Briain, let Dr Ada Lee tell Dr Rahman about medication review until March 31, 2027."
            in pdf_text(release))
    bad = tmp_path / "bad.txt"
    bad.write_text("Dear {client_surname}", encoding="utf-8")
    refused = run("paperwork", "set", "release", "--file", str(bad))
    assert refused.code == 1 and refused.err.startswith(
        "notesdesk: The template uses {client_surname}, which NotesDesk cannot fill; use {practitioner}")
    assert "{release_to}" in run.ok("paperwork", "show", "release")
    run.ok("paperwork", "set", "release", "--reset")
    assert run.ok("paperwork", "show", "release").startswith("I, {client} (date of birth")


def test_attendance_letter_lists_the_signed_sessions_and_is_kept_as_sent(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    signed_note(run, "2026-10-06")
    signed_note(run, "2026-10-13")
    run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=draft", "--date", "2026-10-20")
    out = tmp_path / "letter.pdf"
    written = json.loads(run.ok("--json", "letter", "Zoë", "--template", "attendance", "--out", str(out)))
    text = pdf_text(out)
    assert "I confirm that Zoë Ó Briain attended sessions with me on the following dates:" in text
    assert "October 6, 2026" in text and "October 13, 2026" in text
    assert "October 20, 2026" not in text  # a draft is not a session attended
    again = tmp_path / "again.pdf"
    run.ok("profile", "--name", "Dr Someone Else")
    run.ok("letter", "Zoë", "--reprint", written["id"][:8], "--out", str(again))
    assert pdf_text(again) == text and "Dr Ada Lee" in text
    listed = run.ok("letter", "Zoë", "--list")
    assert listed.startswith(written["id"][:8])
    assert "Confirmation of attendance: To whom it may concern," in listed


def test_a_letter_never_carries_a_psychotherapy_note(run: Runner, client_id: str, tmp_path: Path) -> None:
    run.ok("note", "add", "Zoë", "--private", "--section", f"text={CANARY}")
    body = tmp_path / "body.txt"
    body.write_text("Dear colleague,\n\nIn session she said the dream about the lighthouse keeper's locked "
                    "door came back.\n", encoding="utf-8")
    out = tmp_path / "letter.pdf"
    refused = run("letter", "Zoë", "--template", "gp", "--text-file", str(body), "--out", str(out))
    assert refused.code == 1 and not out.exists()
    assert refused.err == ("notesdesk: The letter quotes a psychotherapy note; psychotherapy notes never go "
                           "into a letter. Take that text out.\n")
    assert run.ok("letter", "Zoë", "--list") == "No letters.\n"
    drafted = run.ok("letter", "Zoë", "--template", "gp", "--with-goals", "--draft")
    assert "lighthouse" not in drafted and drafted.startswith("Dear colleague,")


def test_a_diagnosis_only_when_ticked(run: Runner, client_id: str, tmp_path: Path) -> None:
    assert run("diagnosis", "add", "Zoë", "F41.1").code == 0
    plain = run.ok("letter", "Zoë", "--template", "whom", "--draft")
    assert "F41.1" not in plain and "anxiety" not in plain.casefold()
    ticked = run.ok("letter", "Zoë", "--template", "whom", "--with-diagnosis", "--draft")
    assert "Diagnosis: F41.1 Generalized anxiety disorder." in ticked
    body = tmp_path / "body.txt"
    body.write_text("To whom it may concern,\n\nShe is treated for generalized anxiety disorder.\n",
                    encoding="utf-8")
    out = tmp_path / "letter.pdf"
    refused = run("letter", "Zoë", "--template", "whom", "--text-file", str(body), "--out", str(out))
    assert refused.code == 1 and not out.exists()
    assert refused.err == ("notesdesk: The letter mentions a diagnosis (F41.1); tick 'Include the diagnosis' "
                           "(--with-diagnosis) or take it out.\n")
    run.ok("letter", "Zoë", "--template", "whom", "--text-file", str(body), "--with-diagnosis",
           "--out", str(out))
    assert "She is treated for generalized anxiety disorder." in pdf_text(out)


def test_letter_usage_errors_are_one_line(run: Runner, client_id: str, tmp_path: Path) -> None:
    no_template = run("letter", "Zoë", "--out", str(tmp_path / "x.pdf"))
    assert no_template.code == 2 and no_template.err == (
        "notesdesk: Give the letter's --template gp|attendance|whom.\n")
    missing = run("letter", "Zoë", "--template", "gp", "--text-file", str(tmp_path / "nope.txt"),
                  "--out", str(tmp_path / "x.pdf"))
    assert missing.code == 1 and missing.err == f"notesdesk: There is no file {tmp_path / 'nope.txt'}.\n"
    bad = run("letter", "Zoë", "--template", "fax", "--draft")
    assert bad.code == 2 and "use one of: gp, attendance, whom" in bad.err
