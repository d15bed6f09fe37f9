"""Clients: add, list, show, status; how clients are named on the command line."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from notesdesk.core.domain.common import today
from notesdesk.core.services import clients
from notesdesk.core.storage.vault import Vault

from .conftest import PASSPHRASE, Runner


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
    run.ok("client", "add", "Amaru Quispe", "--intake", "2024-01-08")
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


def test_delete_is_refused_before_the_retain_until_date(run: Runner, recovery_key: str) -> None:
    run.ok("client", "add", "Zoë Ó Briain", "--intake", "2024-01-08")
    active = run("client", "delete", "Zoë", "--yes")
    assert active.code == 1 and "Only a discharged" in active.err
    run.ok("note", "add", "Zoë", "--format", "FREE", "--date", "2024-05-20", "--section", "text=Last session")
    run.ok("client", "status", "Zoë", "discharged", "--date", "2024-06-01")
    recorded = today()  # retention counts from the day the discharge was entered, not the date typed
    leap = recorded.month == 2 and recorded.day == 29
    keep = recorded.replace(year=recorded.year + 7, day=28 if leap else recorded.day)
    for argv in (("client", "delete", "Zoë"), ("client", "delete", "Zoë", "--yes")):
        result = run(*argv)
        assert result.code == 1
        assert result.err.count("\n") == 1 and f"kept until {keep.isoformat()}" in result.err
        assert "Zoë" not in result.err
    assert "Zoë Ó Briain" in run.ok("client", "list")


def test_delete_after_retention_needs_yes_and_is_audited(
    run: Runner, client_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = run.ok("client", "add", "Amaru Quispe", "--intake", "2010-01-11").strip()
    with Vault.open(run.vault, passphrase=PASSPHRASE) as vault, vault.unit_of_work() as uow:
        entered = replace(uow.clients.get(old), created_at=datetime(2010, 1, 11, 12, tzinfo=UTC))
        uow.clients.replace(entered)  # as if entered in 2010 (a record carried over by an import)
        uow.commit()
    run.ok(
        "note", "add", "Amaru", "--format", "FREE", "--date", "2012-05-20", "--section", "text=Last session"
    )
    with monkeypatch.context() as then:  # discharged, and recorded, in 2012
        then.setattr(clients, "today", lambda: date(2012, 6, 2))
        run.ok("client", "status", "Amaru", "discharged", "--date", "2012-06-01")
    unconfirmed = run("client", "delete", "Amaru")
    assert unconfirmed.code == 1 and unconfirmed.err.count("\n") == 1
    assert "confirm with --yes" in unconfirmed.err and "2019-06-02" in unconfirmed.err
    assert "Amaru Quispe" in run.ok("client", "list")
    out = run.ok("client", "delete", "Amaru", "--yes")
    assert "Deleted the record" in out and "2019-06-02" in out
    assert "Amaru" not in run.ok("client", "list") and "Zoë Ó Briain" in run.ok("client", "list")
    assert "delete client record" in run.ok("audit")
    assert run.ok("verify").startswith("Vault OK")
    gone = run("client", "show", old)
    assert gone.code == 1 and "No client matches" in gone.err


def test_the_cli_discharge_keeps_the_rules_and_retention_cannot_be_back_dated(
    run: Runner, recovery_key: str
) -> None:
    """The outside review: 2099 and 1990 were accepted, then the record was deleted at once."""
    run.ok("client", "add", "Robin Test")
    for when, why in (("2099-01-01", "in the future"), ("1990-01-01", "before")):
        result = run("client", "status", "Robin", "discharged", "--date", when)
        assert result.code == 1 and result.err.count("\n") == 1 and why in result.err
    assert "Robin Test" in run.ok("client", "list", "--status", "active")
    run.ok("client", "status", "Robin", "discharged")
    again = run("client", "status", "Robin", "discharged")
    assert again.code == 1 and "already discharged" in again.err
    deleted = run("client", "delete", "Robin", "--yes")
    assert deleted.code == 1 and "must be kept until" in deleted.err
    assert "Robin Test" in run.ok("client", "list")


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (("client", "add", "x" * 100_000), "name"),
        (("client", "add", "Robin Test", "--dob", "1899-12-31"), "date of birth"),
        (("client", "add", "Robin Test", "--preferred", "y" * 100_000), "preferred name"),
        (("homework", "add", "Zoë", "--text", "Walk", "--date", "2026-03-10", "--due", "2026-03-09"),
         "due date"),
    ],
)
def test_values_no_record_should_hold_are_refused_in_one_line_naming_the_field(
    run: Runner, client_id: str, argv: tuple[str, ...], field: str
) -> None:
    result = run(*argv)
    assert result.code == 1, result.err
    assert result.err.count("\n") == 1 and field in result.err.lower() and len(result.err) < 200
    assert "Robin" not in run.ok("client", "list") and "No homework." in run.ok("homework", "list", "Zoë")


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
