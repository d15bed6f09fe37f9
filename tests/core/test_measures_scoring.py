"""Scoring PHQ-9 and GAD-7: every band boundary, item 9, and what happens when answers are missing."""

from __future__ import annotations

import pytest

from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures import FlagKind, score


def answers_with_total(total: int, n_items: int, spare_last: bool = False) -> list[int]:
    """Fill items with 3s, then the remainder, leaving item n at 0 when asked (so item 9 stays quiet)."""
    usable = n_items - 1 if spare_last else n_items
    answers = [0] * n_items
    left = total
    for i in range(usable):
        answers[i] = min(3, left)
        left -= answers[i]
    assert left == 0, "total not reachable"
    return answers


PHQ9_BOUNDARIES = [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (24, "severe"),
]


@pytest.mark.parametrize(("total", "band"), PHQ9_BOUNDARIES)
def test_phq9_band_at_each_boundary(total: int, band: str) -> None:
    result = score("phq9", answers_with_total(total, 9, spare_last=True))
    assert (result.total, result.band) == (total, band)
    assert not result.prorated
    assert result.flags == ()  # item 9 kept at 0: no risk flag from the band alone


def test_phq9_maximum_is_severe_and_flags_item_9() -> None:
    result = score("phq9", [3] * 9)
    assert (result.total, result.band) == (27, "severe")
    assert [f.kind for f in result.flags] == [FlagKind.RISK]


@pytest.mark.parametrize(("total", "band"), [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "severe"), (21, "severe"),
])
def test_gad7_band_at_each_boundary(total: int, band: str) -> None:
    result = score("gad7", answers_with_total(total, 7))
    assert (result.total, result.band) == (total, band)
    assert result.flags == ()  # GAD-7 has no critical item


def test_item_9_flags_risk_even_with_a_minimal_total() -> None:
    result = score("phq9", [0, 0, 1, 1, 0, 0, 0, 0, 1])
    assert (result.total, result.band) == (3, "minimal")
    (flag,) = result.flags
    assert flag.kind is FlagKind.RISK and flag.item == 9
    assert "risk assessment" in flag.message and "safety plan" in flag.message
    assert "does not classify risk" in flag.message  # the app prompts; it never grades risk itself
    assert "whatever the total" in flag.rule and flag.source


def test_item_9_at_zero_does_not_flag_a_severe_total() -> None:
    result = score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0])
    assert result.band == "severe" and result.flags == ()


def test_missing_item_9_is_unknown_risk_not_no_risk() -> None:
    result = score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, None])
    assert result.scorable and result.prorated
    (flag,) = result.flags
    assert flag.kind is FlagKind.UNKNOWN_RISK and flag.item == 9
    assert result.risk_flagged


def test_one_missing_item_is_prorated_not_counted_as_zero() -> None:
    # Answered: 2+2+2+2+2+2+1+0 = 13 over 8 items; 13 / 8 × 9 = 14.625 → 15 (moderately severe).
    # Counting the gap as 0 would have said 13 (moderate): under-reporting severity.
    result = score("phq9", [2, 2, 2, 2, None, 2, 2, 1, 0])
    assert result.total == 15 and result.band == "moderately severe"
    assert result.prorated and result.missing == 1 and result.missing_items == (5,)
    assert "Prorated" in result.explanation and "13 / 8 × 9" in result.explanation


def test_two_missing_items_are_prorated() -> None:
    # 3×6 + 0 = 18 over 7 items; 18 / 7 × 9 = 23.14 → 23 (severe).
    result = score("phq9", [3, 3, None, 3, 3, None, 3, 3, 0])
    assert (result.total, result.band, result.prorated, result.missing) == (23, "severe", True, 2)


def test_proration_rounds_an_exact_half_up() -> None:
    # 4 over 8 items; 4 / 8 × 9 = 4.5 → 5 (mild). Round-half-even would say 4 (minimal).
    result = score("phq9", [1, 1, 1, 1, 0, 0, 0, None, 0])
    assert (result.total, result.band) == (5, "mild")


def test_gad7_prorates_two_missing() -> None:
    # 2+2+2+1+1 = 8 over 5 items; 8 / 5 × 7 = 11.2 → 11 (moderate).
    result = score("gad7", [2, None, 2, 2, 1, None, 1])
    assert (result.total, result.band, result.missing) == (11, "moderate", 2)


def test_three_missing_items_are_not_scored() -> None:
    result = score("phq9", [3, None, 3, None, 3, None, 3, 3, 2])
    assert not result.scorable and result.total is None and result.band is None
    assert result.missing == 3 and "Not scored" in result.explanation
    # The item-9 answer is still read: an unscorable form must not hide an endorsed item 9.
    assert [f.kind for f in result.flags] == [FlagKind.RISK]


def test_difficulty_question_is_recorded_but_not_scored() -> None:
    result = score("phq9", [1] * 8 + [0], functional=2)
    assert result.total == 8 and result.functional == "Very difficult"


def test_wrong_number_of_answers_is_refused() -> None:
    with pytest.raises(InvalidInput, match="expects 9 answers"):
        score("phq9", [0] * 8)


def test_out_of_range_answer_names_the_item_not_the_value() -> None:
    with pytest.raises(InvalidInput, match="item 3 must be one of 0, 1, 2, 3") as info:
        score("phq9", [0, 0, 4, 0, 0, 0, 0, 0, 0])
    assert "4," not in str(info.value).split("one of")[0]
