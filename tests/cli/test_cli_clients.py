"""Clients: add, list, show, status; how clients are named on the command line."""

from __future__ import annotations

import json

from .conftest import Runner


def test_add_list_show_round_trip_with_accents(run: Runner, recovery_key: str) -> None:
    zoe = run.ok(
        "client",
        "add",
        "Zoë Ó Briain",
        "--dob",
        "1988-04-02",
        "--modality",
        "tf-cbt",
        "--pronouns",
        "she/her",
        "--preferred",
        "Zo",
        "--intake",
        "2024-01-10",
    ).strip()
    assert len(zoe) == 36
    run.ok("client", "add", "Łukasz Żółć")
    listing = run.ok("client", "list")
    assert "Zoë Ó Briain (Zo)" in listing and "Łukasz Żółć" in listing
    assert zoe[:8] in listing
    shown = run.ok("client", "show", "zoe")  # accent-insensitive prefix
    for expected in ("Zoë Ó Briain", "1988-04-02", "TF-CBT", "she/her", "2024-01-10", zoe):
        assert expected in shown
    assert "Łukasz" in run.ok("client", "show", "łuk")
    assert json.loads(run.ok("--json", "client", "show", zoe))["name"] == "Zoë Ó Briain"


def test_json_add_prints_id_object(run: Runner, recovery_key: str) -> None:
    created = json.loads(run.ok("--json", "client", "add", "Amaru Quispe"))
    listed = json.loads(run.ok("client", "list", "--json"))  # global option after the command too
    assert [c["id"] for c in listed] == [created["id"]]


def test_status_filter_and_change(run: Runner, client_id: str) -> None:
    run.ok("client", "add", "Amaru Quispe")
    assert "Status: on hold." in run.ok("client", "status", "Amaru", "on-hold")
    on_hold = run.ok("client", "list", "--status", "on-hold")
    assert "Amaru Quispe" in on_hold and "Zoë" not in on_hold
    run.ok("client", "status", "Amaru", "discharged", "--date", "2024-06-01")
    assert "2024-06-01" in run.ok("client", "show", "Amaru")
    assert "Amaru" not in run.ok("client", "list", "--status", "active")


def test_ambiguous_prefix_exit_1_without_names(run: Runner, recovery_key: str) -> None:
    run.ok("client", "add", "Zoë Ó Briain")
    run.ok("client", "add", "Zoe Smith")
    result = run("client", "show", "zo")
    assert result.code == 1
    assert "2 clients match" in result.err and "client list" in result.err
    assert "Smith" not in result.err and "Briain" not in result.err
    assert "Smith" in run.ok("client", "show", "zoe s")


def test_unknown_client_exit_1(run: Runner, recovery_key: str) -> None:
    result = run("client", "show", "Nobody")
    assert result.code == 1 and "No client matches" in result.err


def test_bad_date_exit_2_one_line_without_the_value(run: Runner, recovery_key: str) -> None:
    result = run("client", "add", "Amaru Quispe", "--dob", "1990-13-45")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "YYYY-MM-DD" in result.err
    assert "1990-13-45" not in result.err
    assert "Amaru" not in run.ok("client", "list")


def test_bad_choice_exit_2(run: Runner, recovery_key: str) -> None:
    result = run("client", "list", "--status", "asleep")
    assert result.code == 2 and "on-hold" in result.err


def test_delete_is_refused_before_the_retain_until_date(run: Runner, client_id: str) -> None:
    active = run("client", "delete", "Zoë", "--yes")
    assert active.code == 1 and "Only a discharged" in active.err
    run.ok("note", "add", "Zoë", "--format", "FREE", "--date", "2024-05-20", "--section", "text=Last session")
    run.ok("client", "status", "Zoë", "discharged", "--date", "2024-06-01")
    for argv in (("client", "delete", "Zoë"), ("client", "delete", "Zoë", "--yes")):
        result = run(*argv)
        assert result.code == 1
        assert result.err.count("\n") == 1 and "2031-06-01" in result.err
        assert "Zoë" not in result.err
    assert "Zoë Ó Briain" in run.ok("client", "list")


def test_delete_after_retention_needs_yes_and_is_audited(run: Runner, client_id: str) -> None:
    old = run.ok("client", "add", "Amaru Quispe", "--intake", "2010-01-11").strip()
    run.ok(
        "note", "add", "Amaru", "--format", "FREE", "--date", "2012-05-20", "--section", "text=Last session"
    )
    run.ok("client", "status", "Amaru", "discharged", "--date", "2012-06-01")
    unconfirmed = run("client", "delete", "Amaru")
    assert unconfirmed.code == 1 and unconfirmed.err.count("\n") == 1
    assert "confirm with --yes" in unconfirmed.err and "2019-06-01" in unconfirmed.err
    assert "Amaru Quispe" in run.ok("client", "list")
    out = run.ok("client", "delete", "Amaru", "--yes")
    assert "Deleted the record" in out and "2019-06-01" in out
    assert "Amaru" not in run.ok("client", "list") and "Zoë Ó Briain" in run.ok("client", "list")
    assert "delete client record" in run.ok("audit")
    assert run.ok("verify").startswith("Vault OK")
    gone = run("client", "show", old)
    assert gone.code == 1 and "No client matches" in gone.err


def test_json_list_carries_each_clients_flags_with_their_rules(run: Runner, client_id: str) -> None:
    # PHQ-9 14 -> 21 two weeks apart: 7 worse (>= 6, the reliable change), flagged on the day.
    run.ok("measure", "add", "Zoë", "PHQ-9", "--answers", "2,2,2,2,2,2,1,1,0", "--date", "2024-01-10")
    run.ok("measure", "add", "Zoë", "PHQ-9", "--answers", "3,3,3,3,3,2,2,2,0", "--date", "2024-01-24")
    run.ok("client", "add", "Amaru Quispe")
    listed = {c["name"]: c for c in json.loads(run.ok("--json", "client", "list"))}
    zoe, amaru = listed["Zoë Ó Briain"]["flags"], listed["Amaru Quispe"]["flags"]
    assert "deteriorating" in zoe["labels"] and "no reliable improvement" in zoe["labels"]
    worse = next(f for f in zoe["measure_flags"] if f["kind"] == "deterioration")
    assert "14 → 21" in worse["message"] and "reliable deterioration from baseline" in worse["rule"]
    assert "NHS Talking Therapies" in worse["source"]
    assert amaru["labels"] == [] and amaru["measure_flags"] == []
