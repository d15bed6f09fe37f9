"""CLI: `profile` shows and sets the practitioner's details, so a practice run from the command line
can set its country (crisis lines, CPT codes) and the name its signatures carry."""

from __future__ import annotations

import json

from tests.cli.conftest import Runner


def test_a_new_vault_has_no_country_and_says_what_that_means(run: Runner, client_id: str) -> None:
    shown = run.ok("profile")
    assert "Country:      (not set: documents print no crisis number)" in shown
    assert json.loads(run.ok("--json", "profile"))["country"] == ""


def test_setting_the_details_and_the_country(run: Runner, client_id: str) -> None:
    run.ok("profile", "--name", "Dr Rosa Quintero", "--credentials", "PsyD", "--country", "gb")
    data = json.loads(run.ok("--json", "profile"))
    assert (data["name"], data["credentials"], data["country"]) == ("Dr Rosa Quintero", "PsyD", "UK")
    run.ok("profile", "--contact", "1 High Street")  # the others stay as they were
    assert json.loads(run.ok("--json", "profile"))["name"] == "Dr Rosa Quintero"
    note = run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=Synthetic").strip()
    assert "Dr Rosa Quintero, PsyD" in run.ok("note", "sign", note)


def test_an_unknown_country_or_a_control_character_changes_nothing(run: Runner, client_id: str) -> None:
    before = run.ok("--json", "profile")
    unknown = run("profile", "--country", "XX")
    assert unknown.code == 1 and unknown.err.startswith("notesdesk: No crisis lines are known for 'XX'")
    broken = run("profile", "--name", "Dr\nX")
    assert broken.code == 1 and "control character" in broken.err
    assert run.ok("--json", "profile") == before


def test_signing_without_a_name_and_credentials_is_refused_with_the_command_to_run(run: Runner) -> None:
    """Issue 15 item 1: the CLI, like the app, signs nothing "by Practitioner"; one line says how."""
    run.ok("init")  # no --name, no --credentials
    run.ok("client", "add", "Zoë Ó Briain")
    note = run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=Synthetic").strip()
    refused = run("note", "sign", note, "--without-times")
    assert refused.code == 1 and refused.out == ""
    assert refused.err.count("\n") == 1
    assert "notesdesk profile --name … --credentials …" in refused.err
    assert "Draft: not signed" in run.ok("note", "show", note)
    run.ok("profile", "--name", "Dr Rosa Quintero")  # a name alone is not enough
    assert run("note", "sign", note, "--without-times").code == 1
    run.ok("profile", "--credentials", "PsyD")
    assert "by Dr Rosa Quintero, PsyD" in run.ok("note", "sign", note, "--without-times")
    run.ok("profile", "--credentials", "")
    late = run("note", "addend", note, "--kind", "late-entry", "--text", "Synthetic addition")
    assert late.code == 1 and "notesdesk profile --name … --credentials …" in late.err
    assert "Addend" not in run.ok("note", "show", note)
