"""Reliable change (Jacobson & Truax), change labels, response and remission."""

from __future__ import annotations

import pytest

from notesdesk.core.measures import ChangeLabel, classify_change, reliable_change_index


def test_phq9_rci_matches_hand_computation() -> None:
    # SD 5.5, alpha .89:
    #   SE     = 5.5 × √(1 − .89) = 5.5 × 0.331662 = 1.824144
    #   S_diff = √2 × 1.824144    = 2.579729
    #   RC_95  = 1.96 × 2.579729  = 5.056
    #   18 → 10: RCI = (10 − 18) / 2.579729 = −3.1011
    rci = reliable_change_index("phq9", 18, 10)
    assert rci.se_measurement == pytest.approx(1.824144, abs=1e-5)
    assert rci.s_diff == pytest.approx(2.579729, abs=1e-5)
    assert rci.rc_95 == pytest.approx(5.056, abs=1e-3)
    assert rci.value == pytest.approx(-3.1011, abs=1e-4)
    assert rci.reliable
    assert "Jacobson & Truax" in rci.source and "Kroenke" in rci.source and "5.5" in rci.formula


def test_gad7_rci_matches_hand_computation() -> None:
    # SD 4.5, alpha .92: S_diff = √2 × 4.5 × √0.08 = 4.5 × √0.16 = 4.5 × 0.4 = 1.8 exactly.
    #   RC_95 = 1.96 × 1.8 = 3.528;  15 → 10: RCI = −5 / 1.8 = −2.7778;  15 → 12: RCI = −3 / 1.8 = −1.6667
    assert reliable_change_index("gad7", 15, 10).s_diff == pytest.approx(1.8)
    assert reliable_change_index("gad7", 15, 10).rc_95 == pytest.approx(3.528)
    assert reliable_change_index("gad7", 15, 10).value == pytest.approx(-2.7778, abs=1e-4)
    assert not reliable_change_index("gad7", 15, 12).reliable


@pytest.mark.parametrize(("baseline", "follow_up", "label"), [
    (18, 8, ChangeLabel.RECOVERED),  # drop 10 and from ≥ 10 to below 10
    (15, 9, ChangeLabel.RECOVERED),  # drop exactly 6, crosses caseness
    (18, 12, ChangeLabel.RELIABLY_IMPROVED),  # drop exactly 6, still ≥ 10
    (18, 13, ChangeLabel.NO_RELIABLE_CHANGE),  # drop 5: one short of the IAPT 6
    (9, 3, ChangeLabel.RELIABLY_IMPROVED),  # reliable drop, but baseline was never a case
    (12, 9, ChangeLabel.NO_RELIABLE_CHANGE),  # crosses caseness without reliable change
    (10, 16, ChangeLabel.RELIABLY_DETERIORATED),  # rise exactly 6
    (10, 15, ChangeLabel.NO_RELIABLE_CHANGE),  # rise 5
])
def test_phq9_change_labels(baseline: int, follow_up: int, label: ChangeLabel) -> None:
    result = classify_change("phq9", baseline, follow_up)
    assert result.label is label
    assert result.rule.lower().startswith(label.value)
    assert "6 points" in result.rule and "NHS Talking Therapies" in result.source


@pytest.mark.parametrize(("baseline", "follow_up", "label"), [
    (12, 7, ChangeLabel.RECOVERED),  # drop 5, from ≥ 8 to below 8
    (12, 8, ChangeLabel.RELIABLY_IMPROVED),  # drop 4 but 8 is still caseness for the GAD-7
    (12, 9, ChangeLabel.NO_RELIABLE_CHANGE),  # drop 3
    (5, 9, ChangeLabel.RELIABLY_DETERIORATED),  # rise 4
])
def test_gad7_change_labels(baseline: int, follow_up: int, label: ChangeLabel) -> None:
    result = classify_change("gad7", baseline, follow_up)
    assert result.label is label
    assert "4 points" in result.rule


def test_recovered_cites_both_the_threshold_and_the_caseness_source() -> None:
    result = classify_change("phq9", 18, 8)
    assert "PHQ-9 ≥ 10" in result.rule
    assert "reliable change" in result.source and "caseness" in result.source


def test_improved_but_still_a_case_says_so() -> None:
    assert "still in the clinical range" in classify_change("phq9", 20, 14).rule


@pytest.mark.parametrize(("baseline", "follow_up", "met"), [
    (16, 8, True),  # exactly 50 %
    (18, 9, True),  # exactly 50 %
    (15, 8, False),  # 46.7 %
    (15, 7, True),  # 53.3 %
    (18, 10, False),  # 44 %
])
def test_phq9_response_is_a_50_percent_reduction(baseline: int, follow_up: int, met: bool) -> None:
    verdict = classify_change("phq9", baseline, follow_up).response
    assert verdict.met is met
    assert "50%" in verdict.rule and "HEDIS" in verdict.source


@pytest.mark.parametrize(("follow_up", "met"), [(4, True), (5, False), (0, True)])
def test_phq9_remission_is_below_5(follow_up: int, met: bool) -> None:
    verdict = classify_change("phq9", 16, follow_up).remission
    assert verdict.met is met and "below 5" in verdict.rule and verdict.source


def test_response_and_remission_do_not_apply_from_a_non_clinical_baseline() -> None:
    # 8 → 2 is a 75 % fall and below 5, but the client never had a depression-range score.
    result = classify_change("phq9", 8, 2)
    assert result.response.met is None and result.remission.met is None
    assert "not applicable" in result.response.rule


def test_gad7_has_no_remission_rule_rather_than_a_borrowed_one() -> None:
    assert classify_change("gad7", 15, 3).remission.met is None


def test_scores_outside_the_range_are_refused() -> None:
    from notesdesk.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="between 0 and 27"):
        classify_change("phq9", 30, 10)
