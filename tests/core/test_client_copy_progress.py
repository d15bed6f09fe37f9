"""Issue 14 item 6: the client copy says 'making progress' only when the data says so — an objective
under way AND its linked measure improved by at least the instrument's minimal change since baseline
(PHQ-9 and GAD-7: 2 points, phq9.json / gad7.json) — never from a status set by hand alone."""

from __future__ import annotations

from datetime import date, timedelta

from notesdesk.core.domain.care import MeasureAdministration
from notesdesk.core.domain.plans import Goal, Objective, ObjectiveStatus
from notesdesk.core.domain.summaries import MeasureChange
from notesdesk.core.reports.client_copy import goal_progress
from notesdesk.core.services import measures
from notesdesk.core.services.summary_measures import changes_of

PHQ_15_TO_13 = MeasureChange("phq9", "PHQ-9", 15, 13, 2, True)  # 15 - 13 = 2 >= 2: progressing
PHQ_15_TO_14 = MeasureChange("phq9", "PHQ-9", 15, 14, 1, False)  # 1 < 2: not yet


def goal(status: ObjectiveStatus, linked: str = "PHQ-9 < 10") -> Goal:
    return Goal("Feel less low", objectives=(Objective("Mood lifts", linked_measure=linked, status=status),))


def test_making_progress_needs_the_status_and_the_measure() -> None:
    assert goal_progress(goal(ObjectiveStatus.IN_PROGRESS), [PHQ_15_TO_13]) == "making progress"
    # The same status with the measure 1 point better (under the 2-point minimal change): no claim.
    assert goal_progress(goal(ObjectiveStatus.IN_PROGRESS), [PHQ_15_TO_14]) == "under way"
    # Status alone, no linked measure: the case; it used to print 'making progress'.
    assert goal_progress(goal(ObjectiveStatus.IN_PROGRESS, linked=""), [PHQ_15_TO_13]) == "under way"
    # The measure improved but the objective has not started: both are needed.
    assert goal_progress(goal(ObjectiveStatus.NOT_STARTED), [PHQ_15_TO_13]) == "just starting"
    # A linked GAD-7 is not evidenced by a PHQ-9 change.
    assert goal_progress(goal(ObjectiveStatus.IN_PROGRESS, "GAD-7 < 8"), [PHQ_15_TO_13]) == "under way"
    assert goal_progress(goal(ObjectiveStatus.ACHIEVED), []) == "reached"


def test_changes_are_measured_from_the_episode_baseline_to_the_latest() -> None:
    start = date(2026, 1, 5)

    def phq(day: int, total: int) -> MeasureAdministration:
        answers = [min(3, max(0, total - 3 * i)) for i in range(9)]  # sums to `total` for totals <= 27
        return MeasureAdministration("c", "phq9", start + timedelta(days=day), tuple(answers))

    gad = MeasureAdministration("c", "gad7", start, (1, 1, 1, 1, 1, 1, 1))  # given once: no change yet
    rows = measures.history_rows([phq(0, 15), phq(14, 16), phq(28, 13), gad])
    (change,) = changes_of(rows)
    # 15 at baseline, 13 latest: 2 points better, the minimal change; the 16 in between does not count.
    assert (change.instrument, change.baseline, change.latest, change.improvement) == ("PHQ-9", 15, 13, 2)
    assert change.progressing
    rows = measures.history_rows([phq(0, 15), phq(28, 14)])
    assert not changes_of(rows)[0].progressing  # 1 point
