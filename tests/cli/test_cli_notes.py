"""Session notes: write, read, sign (then locked), addenda, psychotherapy notes, search."""

from __future__ import annotations

import json

from notesdesk.cli.records import MIN_PREFIX

from .conftest import Runner


def _soap(run: Runner, client: str = "Zoë") -> str:
    return run.ok(
        "note",
        "add",
        client,
        "--format",
        "SOAP",
        "--date",
        "2024-03-05",
        "--section",
        "subjective=Sleeping better; two panic attacks this week",
        "--section",
        "assessment=Less avoidance",
        "--section",
        "plan=Continue interoceptive exposure",
    ).strip()


def test_add_show_sign_then_locked(run: Runner, client_id: str) -> None:
    note = _soap(run)
    shown = run.ok("note", "show", note[:8])
    assert "Zoë Ó Briain — SOAP note, 2024-03-05" in shown
    assert "Draft: not signed" in shown
    assert shown.index("Subjective") < shown.index("two panic attacks") < shown.index("Objective")
    assert "Continue interoceptive exposure" in shown

    run.ok("note", "edit", note[:8], "--section", "objective=Calm, good eye contact")
    assert "Calm, good eye contact" in run.ok("note", "show", note)

    signed = run.ok("note", "sign", note[:8])
    assert signed.startswith("Signed ✓") and "Dr Ada Lee, PhD" in signed
    shown = run.ok("note", "show", note[:8])
    assert "Signed ✓" in shown and "by Dr Ada Lee, PhD" in shown

    again = run("note", "sign", note[:8])
    assert again.code == 1 and "already signed" in again.err
    edit = run("note", "edit", note[:8], "--section", "plan=Something else")
    assert edit.code == 1 and "signed and locked" in edit.err
    assert "Continue interoceptive exposure" in run.ok("note", "show", note)
    assert "Something else" not in run.ok("note", "show", note)
    assert "signed" in run.ok("note", "list", "Zoë")


def test_addendum_on_signed_note(run: Runner, client_id: str) -> None:
    note = _soap(run)
    draft = run("note", "addend", note, "--kind", "amendment", "--text", "Too early")
    assert draft.code == 1 and "Only a signed note" in draft.err
    run.ok("note", "sign", note)
    addendum = run.ok(
        "note", "addend", note[:8], "--kind", "late-entry", "--text", "Client phoned after the session"
    ).strip()
    shown = run.ok("note", "show", note)
    assert "Addenda" in shown and "Late entry" in shown and "Client phoned after the session" in shown
    assert addendum[:8] in shown
    assert "Signed ✓" in shown  # the chain still verifies
    data = json.loads(run.ok("--json", "note", "show", note))
    assert data["signature_valid"] is True and data["addenda"][0]["kind"] == "late entry"


def test_empty_note_cannot_be_signed(run: Runner, client_id: str) -> None:
    note = run.ok("note", "add", "Zoë", "--format", "DAP").strip()
    result = run("note", "sign", note)
    assert result.code == 1 and "empty note" in result.err


def test_unknown_section_names_the_keys(run: Runner, client_id: str) -> None:
    result = run("note", "add", "Zoë", "--format", "BIRP", "--section", "subjective=x")
    assert result.code == 1
    assert "behavior, intervention, response, plan" in result.err
    assert run.ok("note", "list", "Zoë").strip() == "No notes."


def test_private_notes_only_with_private(run: Runner, client_id: str) -> None:
    session = _soap(run)
    private = run.ok(
        "note", "add", "Zoë", "--private", "--section", "text=My own reaction: felt protective"
    ).strip()
    listing = run.ok("note", "list", "Zoë")
    assert session[:8] in listing
    assert private[:8] not in listing and "protective" not in listing
    assert private not in run.ok("--json", "note", "list", "Zoë")
    only_private = run.ok("note", "list", "Zoë", "--private")
    assert private[:8] in only_private and "protective" in only_private
    assert session[:8] not in only_private
    assert "felt protective" in run.ok("note", "show", private[:8], "--private")
    # Psychotherapy notes are not session notes and are not searchable.
    assert run("note", "show", private[:8]).code == 1
    assert "No matches." in run.ok("search", "protective")


def test_search_finds_note_with_snippet(run: Runner, client_id: str) -> None:
    note = _soap(run)
    out = run.ok("search", "panic")
    header, snippet = out.splitlines()[:2]
    assert "Zoë Ó Briain" in header and f"note {note[:8]}" in header and "2024-03-05" in header
    assert "[panic]" in snippet
    hits = json.loads(run.ok("--json", "search", "interocep"))
    assert hits[0]["id"] == note and hits[0]["client_name"] == "Zoë Ó Briain"
    assert "No matches." in run.ok("search", "zebra")


def test_note_id_prefix_must_be_unique_and_long_enough(run: Runner, client_id: str) -> None:
    note = _soap(run)
    result = run("note", "show", "abc")
    assert result.code == 1 and "No note with id abc." in result.err
    assert f"first {MIN_PREFIX} characters" in result.err and "note list CLIENT" in result.err
    assert result.err.count("\n") == 1
    # the number the message gives is the one the lookup applies
    assert run.ok("note", "show", note[:MIN_PREFIX])
    short = run("note", "show", note[: MIN_PREFIX - 1])
    assert short.code == 1 and f"at least {MIN_PREFIX} characters" in short.err
    assert "No note with id" not in short.err  # it exists; the start given was too short


def test_showing_a_note_is_audited_as_a_view_of_that_note(run: Runner, client_id: str) -> None:
    """The audit names the very note shown, a psychotherapy note included (not only its client)."""
    private = run.ok("note", "add", "Zoë", "--private", "--section", "text=kept apart").strip()
    session = _soap(run)
    for args, table, note_id in (
        (("note", "show", private[:8], "--private"), "private_note", private),
        (("note", "show", session[:8]), "note", session),
    ):
        run.ok(*args)
        views = [
            (e["table"], e["row_id"])
            for e in json.loads(run.ok("--json", "audit"))
            if e["action"] == "view"
        ]
        assert views[-1] == (table, note_id)


def test_a_note_signed_here_cannot_be_cosigned_here(run: Runner, client_id: str) -> None:
    note = _soap(run)
    run.ok("note", "sign", note)
    refused = run("note", "cosign", note)
    assert refused.code == 1 and "You signed this note yourself" in refused.err
    assert "Addenda" not in run.ok("note", "show", note)
    wrong_kind = run("note", "addend", note, "--kind", "co-signature", "--text", "x")
    assert wrong_kind.code == 2
