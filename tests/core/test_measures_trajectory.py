"""Not on track, review due, and alliance drops."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures import FlagKind, TrackStatus, alliance_check, review_due, trajectory

START = date(2025, 3, 3)


def on(day: int) -> date:
    return START + timedelta(days=day)


def test_four_weeks_without_improvement_is_not_on_track() -> None:
    result = trajectory("phq9", [(on(0), 15), (on(28), 15)])
    assert result.status is TrackStatus.NOT_ON_TRACK
    assert result.trigger == "4 weeks after baseline" and result.checkpoint == on(28)
    assert result.flag is not None and result.flag.kind is FlagKind.NOT_ON_TRACK
    assert "no improvement" in result.flag.message


def test_a_day_short_of_four_weeks_is_too_early() -> None:
    assert trajectory("phq9", [(on(0), 15), (on(27), 16)]).status is TrackStatus.TOO_EARLY


def test_four_sessions_without_improvement_is_not_on_track_before_four_weeks() -> None:
    # Twice-weekly sessions: the 4th administration after baseline falls on day 12.
    scores = [(on(0), 15), (on(3), 15), (on(6), 16), (on(9), 15), (on(12), 15)]
    result = trajectory("phq9", scores)
    assert result.status is TrackStatus.NOT_ON_TRACK
    assert result.trigger == "4 sessions after baseline" and result.checkpoint == on(12)


def test_three_sessions_after_baseline_is_too_early() -> None:
    scores = [(on(0), 15), (on(3), 15), (on(6), 16), (on(9), 15)]
    assert trajectory("phq9", scores).status is TrackStatus.TOO_EARLY


def test_minimal_change_at_four_weeks_is_on_track() -> None:
    # PHQ-9 minimal change is 2 points (MCID ~1.7, rounded up; phq9.json): 15 -> 13 is 2 better.
    result = trajectory("phq9", [(on(0), 15), (on(14), 16), (on(28), 13)])
    assert result.status is TrackStatus.ON_TRACK and result.flag is None


def test_one_point_better_at_four_weeks_is_not_on_track() -> None:
    # 15 -> 14 is 1 point better, under the 2-point minimal change: the issue's "any 1-point improvement
    # counts as on track" is what this rules out.
    result = trajectory("phq9", [(on(0), 15), (on(14), 16), (on(28), 14)])
    assert result.status is TrackStatus.NOT_ON_TRACK
    assert result.flag is not None and "less than the minimal change" in result.flag.message
    assert "minimal change" in result.rule and "PMC9340848" in result.flag.source
    assert "weeks 3-4" in result.flag.source  # the timetable's source travels with the flag


def test_gad7_minimal_change_boundary_at_four_sessions() -> None:
    # GAD-7 minimal change is 2 points (MCID ~1.5, rounded up; gad7.json). Days 7, 14, 21 and 24 are
    # sessions 1-4 after baseline, so day 24 is the checkpoint: 12 -> 10 is 2 better (on track), 12 -> 11
    # only 1 (not on track).
    sessions = [(on(0), 12), (on(7), 12), (on(14), 11), (on(21), 11)]
    assert trajectory("gad7", [*sessions, (on(24), 10)]).status is TrackStatus.ON_TRACK
    assert trajectory("gad7", [*sessions, (on(24), 11)]).status is TrackStatus.NOT_ON_TRACK


def test_reliable_deterioration_is_named_as_such() -> None:
    result = trajectory("gad7", [(on(0), 9), (on(30), 14)])
    assert result.status is TrackStatus.NOT_ON_TRACK
    assert result.flag is not None and "reliable deterioration" in result.flag.message


def test_scores_given_out_of_order_use_the_earliest_as_baseline() -> None:
    result = trajectory("phq9", [(on(28), 12), (on(0), 15)])
    assert result.baseline == (on(0), 15) and result.status is TrackStatus.ON_TRACK


def test_review_due_at_twelve_weeks() -> None:
    assert not review_due(START, on(83)).due
    assert review_due(START, on(83)).due_on == on(84)
    due = review_due(START, on(84))
    assert due.due and due.flag is not None and due.flag.kind is FlagKind.REVIEW_DUE
    assert "12 weeks after baseline" in due.reasons[0]


def test_review_stays_due_until_one_is_recorded() -> None:
    assert review_due(START, on(120)).due
    assert not review_due(START, on(120), reviewed_on=[on(90)]).due
    assert review_due(START, on(120), reviewed_on=[on(80)]).due  # reviewed before it fell due


def test_plan_review_date_makes_a_review_due_earlier() -> None:
    status = review_due(START, on(60), plan_review_dates=[on(56)])
    assert status.due and status.due_on == on(56) and "plan review date" in status.reasons[0]


def test_alliance_drop_of_two_on_one_item_is_flagged() -> None:
    # 10 → 8 stays at the default 'below 8' line, so only the drop flags.
    result = alliance_check([10, 8, 10], previous=[10, 10, 10])
    (flag,) = result.flags
    assert flag.kind is FlagKind.ALLIANCE_DROP and flag.item == 2
    assert "from 10 to 8" in flag.message and "drop of 2 or more" in flag.rule
    assert result.drops[0].previous == 10 and result.drops[0].current == 8


def test_alliance_drop_of_one_is_not_flagged() -> None:
    assert not alliance_check([9, 8, 9], previous=[9, 9, 9]).flagged


def test_alliance_low_item_uses_a_configurable_threshold() -> None:
    result = alliance_check([9, 9, 7])
    assert result.low_items == (3,) and result.flags[0].kind is FlagKind.ALLIANCE_LOW
    assert not alliance_check([9, 9, 7], low_below=5).flagged


def test_unanswered_alliance_item_is_not_a_drop() -> None:
    assert not alliance_check([9, None, 9], previous=[9, 9, 9]).flagged


def test_alliance_check_refuses_a_symptom_measure() -> None:
    with pytest.raises(InvalidInput, match="not an alliance check"):
        alliance_check([0] * 9, instrument="phq9")
