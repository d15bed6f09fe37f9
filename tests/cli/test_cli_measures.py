"""measure instruments | score | add | list | import: scoring without a vault, labels with their rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.instruments import sleep_check

from .conftest import Runner

RISK_LINE = (
    "RISK FLAG: item 9 answered above 0 — record a risk assessment and review the safety plan"
)


def answers_for(total: int, items: int, critical: int | None = None) -> str:
    """Comma-separated 0–3 answers adding up to `total`, filling the critical item last."""
    order = [i for i in range(items) if i != critical] + ([critical] if critical is not None else [])
    values = [0] * items
    left = total
    for i in order:
        values[i] = min(3, left)
        left -= values[i]
    assert left == 0
    return ",".join(map(str, values))


def score(run: Runner, instrument: str, answers: str, *extra: str) -> dict[str, Any]:
    out = run.ok("--json", "measure", "score", instrument, f"--answers={answers}", *extra, unlock=None)
    return json.loads(out)


def test_instruments_need_no_vault_and_show_the_licence_line(run: Runner) -> None:
    out = run.ok("measure", "instruments", unlock=None)
    assert "phq9       PHQ-9" in out and "9 items  range 0–27" in out
    assert "gad7" in out and "7 items  range 0–21" in out
    assert "Developed by Drs Spitzer, Williams, Kroenke & colleagues" in out
    assert "not the WAI, WAI-SR, SRS or ORS" in out
    data = {i["id"]: i for i in json.loads(run.ok("--json", "measure", "instruments", unlock=None))}
    assert data["phq9"]["items"] == 9 and data["phq9"]["range"] == {"min": 0, "max": 27}
    assert data["phq9"]["critical_items"] == [9] and data["gad7"]["caseness"] == 8
    assert data["gad7"]["licence"]["owner"] == "third-party"
    assert "Pfizer" in data["gad7"]["licence"]["attribution"]
    assert not run.vault.exists()


PHQ9_BANDS = [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
              (15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (27, "severe")]
GAD7_BANDS = [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
              (15, "severe"), (21, "severe")]


@pytest.mark.parametrize(("total", "band"), PHQ9_BANDS)
def test_phq9_band_boundaries(run: Runner, total: int, band: str) -> None:
    answers = answers_for(total, 9, critical=8)
    data = score(run, "PHQ-9", answers)
    assert (data["total"], data["band"], data["prorated"]) == (total, band, False)
    assert data["risk_flagged"] is (total > 24)  # item 9 is filled last
    text = run.ok("measure", "score", "phq9", f"--answers={answers}", unlock=None)
    assert text.startswith(f"PHQ-9 total: {total} ({band})\n")


@pytest.mark.parametrize(("total", "band"), GAD7_BANDS)
def test_gad7_band_boundaries(run: Runner, total: int, band: str) -> None:
    data = score(run, "gad7", answers_for(total, 7))
    assert (data["total"], data["band"], data["flags"]) == (total, band, [])


def test_item_9_flags_risk_whatever_the_total(run: Runner) -> None:
    out = run.ok("measure", "score", "PHQ-9", "--answers", "0,0,0,0,0,0,0,0,1", unlock=None)
    assert out.startswith("PHQ-9 total: 1 (minimal)\n")
    assert RISK_LINE in out and "This flag does not classify risk" in out
    data = score(run, "phq9", "0,0,0,0,0,0,0,0,1")
    assert data["risk_flagged"] and [(f["kind"], f["item"]) for f in data["flags"]] == [("risk", 9)]
    assert "Simon et al. 2013" in data["flags"][0]["source"]
    unknown = run.ok("measure", "score", "PHQ-9", "--answers", "0,0,0,0,0,0,0,0,-", unlock=None)
    assert "RISK UNKNOWN: item 9 was not answered" in unknown and "prorated" in unknown


def test_proration_is_said_and_limited(run: Runner) -> None:
    out = run.ok("measure", "score", "PHQ-9", "--answers", "1,2,3,3,,-,0,0,0", unlock=None)
    assert out.startswith("PHQ-9 total: 12 (moderate), prorated\n")
    assert "Prorated: 2 item(s) unanswered (5, 6)" in out and "Unanswered: item 5, 6" in out
    data = score(run, "phq9", "1,2,3,3,,-,0,0,0")
    assert (data["total"], data["prorated"], data["missing_items"], data["answered"]) == (12, True, [5, 6], 7)
    too_many = score(run, "phq9", "1,2,3,-,-,-,0,0,0")
    assert too_many["total"] is None and too_many["band"] is None and not too_many["scorable"]
    assert "never counted as 0" in too_many["explanation"]
    assert run("measure", "score", "gad7", "--answers=-,1,1,1,1,1,1", unlock=None).out.startswith(
        "GAD-7 total: 7 (mild), prorated"
    )


def test_difficulty_question_is_reported_not_scored(run: Runner) -> None:
    data = score(run, "phq9", "1,1,1,1,1,1,1,1,0", "--difficulty", "1")
    assert data["total"] == 8 and data["functional"] == "Somewhat difficult"
    assert run("measure", "score", "phq9", "--answers", "1,1,1,1,1,1,1,1,0", "--difficulty", "4",
               unlock=None).code == 2


def test_bad_answers_are_refused_naming_the_problem(run: Runner) -> None:
    short = run("measure", "score", "PHQ-9", "--answers", "1,2,0,1,1,1,1,1", unlock=None)
    assert short.code == 1 and "PHQ-9 expects 9 answers" in short.err and "got 8" in short.err
    high = run("measure", "score", "gad7", "--answers", "1,2,0,4,1,1,1", unlock=None)
    assert high.code == 1 and "item 4 must be one of 0, 1, 2, 3" in high.err
    word = run("measure", "score", "gad7", "--answers", "1,two,0,1,1,1,1", unlock=None)
    assert word.code == 2 and "answer 2 is not a whole number" in word.err and "two" not in word.err
    empty = run("measure", "score", "gad7", "--answers", ",,,,,,", unlock=None)
    assert empty.code == 2 and "no answer" in empty.err
    unknown = run("measure", "score", "ORS", "--answers", "1", unlock=None)
    assert unknown.code == 1 and "No instrument called 'ORS'" in unknown.err


def test_add_then_list_with_change_labels_and_their_rules(run: Runner, client_id: str) -> None:
    out = run.ok("measure", "add", "Zoë", "PHQ-9", "--answers", "3,3,3,2,2,2,1,1,1", "--date", "2024-01-10")
    first_id, headline = out.splitlines()[:2]
    assert len(first_id) == 36 and headline == "PHQ-9 total: 18 (moderately severe)"
    assert RISK_LINE in out
    run.ok("measure", "add", "Zoë", "phq9", "--answers", "1,1,1,1,0,0,1,0,0", "--date", "2024-02-10")
    run.ok("measure", "add", "Zoë", "phq9", "--answers", "3,3,3,3,3,3,3,3,0", "--date", "2024-03-10")
    run.ok("measure", "add", "Zoë", "gad7", "--answers", "2,2,2,2,2,-,2", "--date", "2024-03-10")

    listed = run.ok("measure", "list", "Zoë")
    lines = listed.splitlines()
    assert "2024-01-10  PHQ-9" in lines[0] and "moderately severe" in lines[0] and "baseline" in lines[0]
    assert lines[0].endswith("RISK")
    assert "2024-02-10  PHQ-9" in lines[1] and "  5  mild" in lines[1]
    # worded as on screen and on paper
    assert "recovered on this questionnaire (baseline 18); response met" in lines[1]
    assert "24  severe" in lines[2] and "reliably deteriorated" in lines[2]
    assert "GAD-7" in lines[3] and "14*" in lines[3]
    assert "* prorated" in listed

    data = json.loads(run.ok("--json", "measure", "list", "Zoë"))
    rows = data["administrations"]
    assert [r["label"] for r in rows] == [None, "recovered", "reliably deteriorated", None]
    base, recovered, worse, gad = rows
    assert base["is_baseline"] and base["rule"] is None and base["note"].startswith("baseline")
    assert base["flags"][0]["kind"] == "risk" and base["answers"][8] == 1
    assert recovered["baseline_id"] == first_id and recovered["baseline_date"] == "2024-01-10"
    assert "out of the clinical range" in recovered["rule"] and "NHS Talking Therapies" in recovered["source"]
    assert recovered["change"]["response"]["met"] is True and recovered["change"]["remission"]["met"] is False
    assert worse["rule"].startswith("Reliably deteriorated: a rise of at least 6 points")
    assert worse["total"] == 24 and worse["band"] == "severe"
    assert gad["prorated"] and gad["missing_items"] == [6] and gad["total"] == 14
    # 18 -> 24 is 6 worse (PHQ-9 reliable change 6): flagged as deterioration the day it is recorded,
    # with its rule and source for a script to read.
    (worse_flag,) = [f for f in data["flags"] if f["kind"] == "deterioration"]
    assert "reliable deterioration since baseline, 18 → 24" in worse_flag["message"]
    assert "reliable deterioration from baseline" in worse_flag["rule"]
    assert "NHS Talking Therapies" in worse_flag["source"]
    assert "DETERIORATION: PHQ-9 on 2024-03-10" in listed


def test_add_validates_and_links_a_note(run: Runner, client_id: str) -> None:
    bad = run("measure", "add", "Zoë", "PHQ-9", "--answers", "1,2,0,1")
    assert bad.code == 1 and "PHQ-9 expects 9 answers" in bad.err
    future = run("measure", "add", "Zoë", "PHQ-9", "--answers", "0,0,0,0,0,0,0,0,0", "--date", "2999-01-01")
    assert future.code == 1 and "future" in future.err
    note = run.ok("note", "add", "Zoë", "--format", "free", "--date", "2024-03-05",
                  "--section", "text=Reviewed the week").strip()
    data = json.loads(run.ok("--json", "measure", "add", "Zoë", "gad7", "--answers", "1,1,1,1,1,1,1",
                             "--note", note[:8], "--difficulty", "2", "--date", "2024-03-05"))
    assert data["total"] == 7 and data["band"] == "mild" and data["flags"] == []
    [row] = json.loads(run.ok("--json", "measure", "list", "Zoë"))["administrations"]
    assert row["id"] == data["id"] and row["note_id"] == note
    assert row["functional"] == "Very difficult" and row["comment"] == ""
    flags = json.loads(run.ok("--json", "measure", "list", "Zoë"))["flags"]
    assert [f["kind"] for f in flags] == ["review due"]  # 12 weeks after that baseline


def test_alliance_drop_is_printed_when_added(run: Runner, client_id: str) -> None:
    run.ok("measure", "add", "Zoë", "alliance", "--answers", "9,9,9", "--date", "2024-03-01")
    out = run.ok("measure", "add", "Zoë", "alliance", "--answers", "7,9,9", "--date", "2024-03-08")
    assert "Alliance check: item 1 = 7, item 2 = 9, item 3 = 9" in out
    assert "ALLIANCE DROP: Alliance: 'We are working on the things that matter to me' fell from 9 to 7" in out
    assert "9/9/9" in run.ok("measure", "list", "Zoë")


def instrument_file(tmp_path: Path, name: str = "mine.json", **changes: Any) -> str:
    data = sleep_check(critical_items=[{"item": 4, "above": 1, "message": "Item 4 endorsed.",
                                        "source": "my practice"}])
    data.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_import_rejects_a_malformed_file_naming_the_field(run: Runner, recovery_key: str,
                                                          tmp_path: Path) -> None:
    bad = run("measure", "import", instrument_file(tmp_path, range={"min": 0, "max": 20}))
    assert bad.code == 1 and "mine.json: range.max must be 16" in bad.err
    typo = instrument_file(tmp_path, "typo.json", optoins=[])
    result = run("measure", "import", typo)
    assert result.code == 1 and "optoins" in result.err
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = run("measure", "import", str(broken))
    assert result.code == 1 and "broken.json: is not valid JSON" in result.err
    assert "sleep4" not in run.ok("measure", "instruments", "--practice")


def test_imported_instrument_scores_with_its_own_rules(run: Runner, client_id: str, tmp_path: Path) -> None:
    out = run.ok("measure", "import", instrument_file(tmp_path))
    assert out.strip() == "Imported sleep4: Sleep check, 4 items, range 0–16"
    assert "sleep4     Sleep check" in run.ok("measure", "instruments", "--practice")
    assert "Written by me" in run.ok("measure", "instruments", "--practice")
    assert run("measure", "score", "sleep4", "--answers", "1,1,1,1", unlock=None).code == 1
    flagged = run.ok("measure", "score", "sleep4", "--practice", "--answers", "0,0,0,2")
    assert "Sleep check total: 2 (low)" in flagged
    assert "RISK FLAG: item 4 answered above 1 — record a risk assessment" in flagged
    run.ok("measure", "add", "Zoë", "Sleep check", "--answers", "4,4,4,0", "--date", "2024-03-01")
    assert "high" in run.ok("measure", "list", "Zoë")
    again = run("measure", "import", instrument_file(tmp_path, "again.json"))
    assert again.code == 1 and "already in the vault" in again.err
    assert run.ok("measure", "import", "--replace", instrument_file(tmp_path, "again.json"))


def test_list_carries_recovery_across_both_questionnaires(run: Runner, client_id: str) -> None:
    # PHQ-9 12 -> 8 (start at caseness 10), GAD-7 6 -> 5: both below caseness at the end (8 < 10, 5 < 8).
    run.ok("measure", "add", "Zoë", "PHQ-9", "--answers", "2,2,2,2,1,1,1,1,0", "--date", "2024-01-10")
    run.ok("measure", "add", "Zoë", "GAD-7", "--answers", "1,1,1,1,1,1,0", "--date", "2024-01-10")
    run.ok("measure", "add", "Zoë", "PHQ-9", "--answers", "1,1,1,1,1,1,1,1,0", "--date", "2024-03-10")
    run.ok("measure", "add", "Zoë", "GAD-7", "--answers", "1,1,1,1,1,0,0", "--date", "2024-03-10")
    listed = run.ok("measure", "list", "Zoë")
    assert "Across questionnaires: recovered (NHS Talking Therapies, PHQ-9 and GAD-7 together)" in listed
    assert "no reliable change (baseline 12)" in listed  # PHQ-9 alone: 4 points is not reliable
    joint = json.loads(run.ok("--json", "measure", "list", "Zoë"))["joint_recovery"]
    assert joint["met"] is True and joint["start"] == [["PHQ-9", 12], ["GAD-7", 6]]
    assert "below caseness on all at the end" in joint["rule"] and "IAPT" in joint["source"]
