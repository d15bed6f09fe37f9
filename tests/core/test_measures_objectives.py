"""Objectives linked to a measure rule such as 'PHQ-9 < 10'."""

from __future__ import annotations

from datetime import date

import pytest

from notesdesk.core.domain.plans import ObjectiveStatus
from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures import parse_measure_rule, suggest_objective_status

JAN, FEB, MAR = date(2025, 1, 6), date(2025, 2, 3), date(2025, 3, 3)


@pytest.mark.parametrize(("text", "instrument", "op", "value"), [
    ("PHQ-9 < 10", "phq9", "<", 10),
    ("phq9<=4", "phq9", "<=", 4),
    ("GAD-7 ≤ 7", "gad7", "<=", 7),
    ("  gad7 >= 5 ", "gad7", ">=", 5),
])
def test_rule_parser(text: str, instrument: str, op: str, value: float) -> None:
    rule = parse_measure_rule(text)
    assert (rule.instrument, rule.op, rule.value) == (instrument, op, value)


@pytest.mark.parametrize(("text", "message"), [
    ("PHQ-9 = 10", "must read '<instrument> <op> <number>'"),
    ("PHQ-9 below 10", "must read"),
    ("BDI < 10", "unknown instrument 'BDI'"),
    ("PHQ-9 < 40", "run from 0 to 27"),
])
def test_bad_rules_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_measure_rule(text)


def test_latest_score_meeting_the_rule_suggests_achieved() -> None:
    suggestion = suggest_objective_status("PHQ-9 < 10", [(JAN, 16), (FEB, 12), (MAR, 9)])
    assert suggestion.status is ObjectiveStatus.ACHIEVED and suggestion.met
    assert suggestion.latest == (MAR, 9)


def test_score_on_the_line_does_not_meet_a_strict_rule() -> None:
    suggestion = suggest_objective_status("PHQ-9 < 10", [(JAN, 16), (MAR, 10)])
    assert suggestion.status is ObjectiveStatus.IN_PROGRESS and suggestion.met is False
    assert "moving toward the target" in suggestion.reason


def test_latest_by_date_wins_not_list_order() -> None:
    # An earlier 8 entered late must not mark the objective achieved when the latest is 14.
    suggestion = suggest_objective_status("PHQ-9 < 10", [(MAR, 14), (JAN, 8)])
    assert suggestion.status is ObjectiveStatus.IN_PROGRESS and suggestion.latest == (MAR, 14)


def test_no_scores_means_no_suggestion() -> None:
    suggestion = suggest_objective_status("GAD-7 < 8", [])
    assert suggestion.status is None and "no GAD-7 score yet" in suggestion.reason
