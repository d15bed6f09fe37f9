"""Issue 14 item 5: the alliance check flags a slow decline over three or more checks, and homework
adherence gives a partial check-in partial credit and says what the share is made of.

Alliance check (instruments/alliance.json): items 0-10, a drop is 2 or more since the previous check,
'low' is below 8. Slow decline (rules/alerts.json): not risen over the last 3+ checks, down 2 or more in
all, never 2 in one step. Homework: a partial check-in counts 0.5 (rules/alerts.json).
"""

from __future__ import annotations

from datetime import date, timedelta

from notesdesk.core.domain.care import Checkin, CheckinStatus, Homework, MeasureAdministration
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.measures import FlagKind, alliance_check
from notesdesk.core.services import care, clients, measures
from notesdesk.core.services.summary_measures import section_from_rows
from notesdesk.core.storage.vault import Vault


def kinds_after(*checks: list[int | None]) -> list[FlagKind]:
    *earlier, current = checks
    result = alliance_check(current, earlier[-1] if earlier else None, earlier=earlier)
    return [f.kind for f in result.flags]


def test_one_point_a_check_over_three_checks_is_a_slow_decline() -> None:
    # Item 1: 10 -> 9 -> 8. Each step 1 (< 2: no drop); 3 checks, down 2 in all: decline. 8 is not < 8.
    assert kinds_after([10, 10, 10], [9, 10, 10], [8, 10, 10]) == [FlagKind.ALLIANCE_DECLINE]
    result = alliance_check([8, 10, 10], [9, 10, 10], earlier=[[10, 10, 10], [9, 10, 10]])
    assert "slipped from 10 to 8 over the last 3 checks" in result.flags[0].message
    assert result.flags[0].item == 1 and "Our default" in result.flags[0].source


def test_slow_decline_boundaries() -> None:
    # Two checks only (10 -> 9): too few. Down only 1 over three (10 -> 9 -> 9): too little.
    assert kinds_after([10, 10, 10], [9, 10, 10]) == []
    assert kinds_after([10, 10, 10], [9, 10, 10], [9, 10, 10]) == []
    # 10 -> 9 -> 9 -> 8: never rose, down 2 over 4 checks.
    assert kinds_after([10, 10, 10], [9, 10, 10], [9, 10, 10], [8, 10, 10]) == [FlagKind.ALLIANCE_DECLINE]
    # A rise breaks the run: 10 -> 9 -> 10 -> 9 is down 1 since the rise.
    assert kinds_after([10, 10, 10], [9, 10, 10], [10, 10, 10], [9, 10, 10]) == []
    # 10 -> 8 -> 8: the fall of 2 was a drop, flagged when it happened; staying down is not a slide.
    assert kinds_after([10, 10, 10], [8, 10, 10], [8, 10, 10]) == []
    # 10 -> 9 -> 7: this step is itself a drop of 2, flagged as such and not twice.
    dropped = [FlagKind.ALLIANCE_DROP, FlagKind.ALLIANCE_LOW]
    assert kinds_after([10, 10, 10], [9, 10, 10], [7, 10, 10]) == dropped
    # A skipped answer is neither a fall nor a recovery: 10 -> (skipped) -> 9 -> 8.
    assert kinds_after([10, 10, 10], [None, 10, 10], [9, 10, 10], [8, 10, 10]) == [FlagKind.ALLIANCE_DECLINE]


def test_slow_decline_reaches_the_client_flags(vault: Vault) -> None:
    client = Client(name="Ann", intake_date=today() - timedelta(400))
    cid = clients.add_client(vault.unit_of_work(), client).id
    for days_ago, bond in ((21, 10), (14, 9), (7, 9), (0, 8)):
        measures.record_measure(vault.unit_of_work(), cid, "alliance", [10, 10, bond],
                                on=today() - timedelta(days_ago))
    found = measures.client_measure_flags(vault.unit_of_work(), [cid])[cid]
    assert [(f.kind, f.item) for f in found] == [(FlagKind.ALLIANCE_DECLINE, 3)]


# -- homework ----------------------------------------------------------------------------------------


END = date(2026, 3, 2)


def homework(*statuses: CheckinStatus) -> list[Homework]:
    checkins = tuple(Checkin(END - timedelta(days=i), s) for i, s in enumerate(statuses))
    return [Homework("c", "Worry log", END - timedelta(days=60), checkins=checkins)]


def test_partial_check_ins_earn_half_credit_and_are_named() -> None:
    # 2 done + 1 partial x 0.5 = 2.5 of 3 check-ins: 83 %.
    found = homework(CheckinStatus.DONE, CheckinStatus.PARTIAL, CheckinStatus.DONE)
    share = care.adherence(found, END)
    assert share is not None and abs(share - 2.5 / 3) < 1e-9
    assert care.counts_text(care.checkin_counts(found, END)) == "2 done, 1 partial"
    # 1 partial + 1 not done = 0.5 of 2: 25 %; before partial credit this read 0 %.
    assert care.adherence(homework(CheckinStatus.PARTIAL, CheckinStatus.NOT_DONE), END) == 0.25
    assert care.adherence_rule() == "a partial check-in counts as 0.5 of a done one"


def test_counts_cover_the_same_28_days_as_the_share() -> None:
    # Check-ins on day 0 and day 28 before END: the window is (END - 28, END], so day 28 is outside.
    found = [Homework("c", "Walk", END - timedelta(days=60), checkins=(
        Checkin(END, CheckinStatus.PARTIAL), Checkin(END - timedelta(days=28), CheckinStatus.DONE)))]
    assert care.checkin_counts(found, END) == {CheckinStatus.PARTIAL: 1}
    assert care.adherence(found, END) == 0.5


def test_the_printed_change_column_names_a_slow_decline() -> None:
    given = [MeasureAdministration("c", "alliance", END - timedelta(days=d), (10, bond, 10))
             for d, bond in ((14, 10), (7, 9), (0, 8))]
    rows = section_from_rows(measures.history_rows(given)).rows
    assert rows[-1].change == "item 2 in slow decline"
