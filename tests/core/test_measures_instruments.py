"""Instrument files: the shipped ones say what clinical.md says; malformed ones are rejected by field."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from notesdesk.core.measures import (
    ChangeLabel,
    InstrumentInvalid,
    builtin_instruments,
    classify_change,
    get_instrument,
    load_instrument_file,
    parse_instrument,
    score,
)
from tests.instruments import sleep_check

INSTRUMENTS = Path(__file__).parents[2] / "src/notesdesk/core/measures/instruments"
ATTRIBUTION = ("Developed by Drs Spitzer, Williams, Kroenke & colleagues with an educational grant "
               "from Pfizer.")
PHQ9_STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"


def phq9_data() -> dict[str, Any]:
    return json.loads((INSTRUMENTS / "phq9.json").read_text(encoding="utf-8"))


def test_builtins_are_phq9_gad7_pcl5_and_our_alliance_check() -> None:
    assert sorted(i.id for i in builtin_instruments()) == ["alliance", "gad7", "pcl5", "phq9"]


def test_phq9_wording_is_verbatim() -> None:
    phq9 = get_instrument("phq9")
    assert phq9.stem == PHQ9_STEM
    assert len(phq9.items) == 9
    assert phq9.items[0] == "Little interest or pleasure in doing things"
    assert phq9.items[8] == "Thoughts that you would be better off dead or of hurting yourself in some way"
    assert [(o.score, o.label) for o in phq9.options] == [
        (0, "Not at all"), (1, "Several days"), (2, "More than half the days"), (3, "Nearly every day")]
    assert phq9.functional_item is not None and phq9.functional_item.options[0] == "Not difficult at all"
    assert phq9.licence.attribution == ATTRIBUTION


def test_gad7_keeps_canonical_option_wording() -> None:
    # SimplePractice drifted to "Over half the days" (clinical.md §2.1); we must not.
    gad7 = get_instrument("gad7")
    assert gad7.options[2].label == "More than half the days"
    assert gad7.items[6] == "Feeling afraid, as if something awful might happen"
    assert gad7.licence.attribution == ATTRIBUTION


def test_alliance_check_is_our_own_and_says_so() -> None:
    alliance = get_instrument("alliance")
    assert alliance.licence.owner == "notesdesk" and "Bordin" in alliance.licence.attribution
    assert len(alliance.items) == 3 and (alliance.range_min, alliance.range_max) == (0, 30)


def test_bands_out_of_order_name_the_field() -> None:
    data = phq9_data()
    data["bands"][2]["max"] = 9
    with pytest.raises(InstrumentInvalid) as info:
        parse_instrument(data, "phq9.json")
    assert "phq9.json: bands[2].max must be ≥ bands[2].min" in info.value.problems


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda d: d["bands"][1].update(min=6), "bands[1].min must be 5"),
    (lambda d: d["options"][1].update(score="1"), "options[1].score must be a whole number"),
    (lambda d: d["range"].update(max=26), "range.max must be 27"),
    (lambda d: d["critical_items"][0].update(item=10), "critical_items[0].item must be between 1 and 9"),
    (lambda d: d["critical_items"][0].update(above=3), "critical_items[0].above must be between 0 and 2"),
    (lambda d: d["change"].pop("reliable_change_source"), "change.reliable_change_source is missing"),
    (lambda d: d["reliability"].update(r=1.2), "reliability.r must be at least 0"),
    (lambda d: d.update(bnads=[]), "bnads is not a known field"),
    (lambda d: d["items"].append(""), "items[9] must be a non-empty string"),
    (lambda d: d["licence"].pop("attribution"), "licence.attribution is missing"),
])
def test_each_malformation_is_named(edit: Any, expected: str) -> None:
    data = copy.deepcopy(phq9_data())
    edit(data)
    with pytest.raises(InstrumentInvalid, match="phq9.json") as info:
        parse_instrument(data, "phq9.json")
    assert any(expected in p for p in info.value.problems), info.value.problems


def practitioner_instrument(**changes: Any) -> dict[str, Any]:
    """The sleep check as version "2024-1", its fourth item reworded, with no critical item."""
    data = sleep_check(
        version="2024-1",
        items=["Hard to fall asleep", "Woke in the night", "Woke too early", "Tired on waking"],
        reliability={"sd": 3.0, "sd_source": "my caseload 2024", "r": 0.8, "r_type": "alpha",
                     "r_source": "my caseload 2024"},
    )
    del data["critical_items"]
    data.update(changes)
    return data


def write(tmp_path: Path, content: Any) -> Path:
    path = tmp_path / "mine.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_practitioner_instrument_loads_scores_and_uses_computed_reliable_change(tmp_path: Path) -> None:
    (sleep,) = load_instrument_file(write(tmp_path, practitioner_instrument()))
    result = score(sleep, [2, 3, None, 2])
    # 7 over 3 items; 7 / 3 × 4 = 9.33 → 9 (high)
    assert (result.total, result.band, result.prorated) == (9, "high", True)
    # No fixed threshold, so RC = 1.96 × √2 × 3.0 × √(1 − .8) = 1.96 × 3 × √0.4 = 1.96 × 1.897367 = 3.719:
    # a fall of 4 is reliable, a fall of 3 is not.
    assert classify_change(sleep, 12, 8).label is ChangeLabel.RELIABLY_IMPROVED
    assert classify_change(sleep, 12, 9).label is ChangeLabel.NO_RELIABLE_CHANGE
    assert "|RCI| > 1.96" in classify_change(sleep, 12, 8).rule


def test_practitioner_file_errors_name_file_and_field(tmp_path: Path) -> None:
    data = practitioner_instrument(range={"min": 0, "max": 20})
    with pytest.raises(InstrumentInvalid, match=r"mine\.json: range\.max must be 16"):
        load_instrument_file(write(tmp_path, data))


def test_practitioner_file_may_not_replace_a_builtin(tmp_path: Path) -> None:
    with pytest.raises(InstrumentInvalid, match="id 'phq9' is a built-in instrument"):
        load_instrument_file(write(tmp_path, practitioner_instrument(id="phq9")))


def test_practitioner_file_may_not_claim_notesdesk_ownership(tmp_path: Path) -> None:
    licence = dict(practitioner_instrument()["licence"], owner="notesdesk")
    with pytest.raises(InstrumentInvalid, match="licence.owner cannot be 'notesdesk'"):
        load_instrument_file(write(tmp_path, practitioner_instrument(licence=licence)))


def test_list_file_points_at_the_bad_entry(tmp_path: Path) -> None:
    bad = practitioner_instrument(id="other", bands=[{"min": 0, "max": 16}])
    with pytest.raises(InstrumentInvalid, match=r"\[1\]\.bands\[0\]\.label is missing"):
        load_instrument_file(write(tmp_path, [practitioner_instrument(), bad]))


def test_not_json_is_reported_with_position(tmp_path: Path) -> None:
    with pytest.raises(InstrumentInvalid, match=r"mine\.json: is not valid JSON \(line 1"):
        load_instrument_file(write(tmp_path, "{ 'id': 1 }"))
