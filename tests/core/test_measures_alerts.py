"""Alerts that follow practice (issue 14 items 1-3): reliable deterioration at once, no reliable
improvement by week 12 until a plan review decides, and only ever-elevated questionnaires off track.

Thresholds used in the hand computations (each with its source in the instrument file):
PHQ-9 reliable change 6, caseness 10, bands 0-4/5-9/10-14/15-19/20-27, minimal change 2;
GAD-7 reliable change 4, caseness 8, bands 0-4/5-9/10-14/15-21, minimal change 2.
Timetable (rules/alerts.json): early check at 4 weeks or 4 sessions; reliable improvement by 12 weeks.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import ReviewOutcome
from notesdesk.core.measures import FlagKind, get_instrument
from notesdesk.core.measures.alert_rules import RulesInvalid, alert_rules, parse_rules
from notesdesk.core.measures.progress import (
    deterioration,
    ever_elevated,
    joint_recovery,
    no_reliable_improvement,
)
from notesdesk.core.services import clients, measures, overview, plans
from notesdesk.core.storage.vault import Vault
from tests.core import records

START = date(2025, 3, 3)
PHQ, GAD = get_instrument("phq9"), get_instrument("gad7")


def on(day: int) -> date:
    return START + timedelta(days=day)


# -- the rules file ------------------------------------------------------------------------------------


def _shipped() -> dict[str, Any]:
    text = resources.files("notesdesk.core.measures").joinpath("rules", "alerts.json").read_text("utf-8")
    return json.loads(text)


def test_every_shipped_rule_has_a_source() -> None:
    rules = alert_rules()
    for rule in (rules.deterioration, rules.early_change, rules.reliable_improvement, rules.elevated_only,
                 rules.joint_recovery, rules.alliance_decline, rules.homework_partial):
        assert len(rule.source) > 40
    timetable = (rules.early_change.weeks, rules.early_change.sessions, rules.reliable_improvement.weeks)
    assert timetable == (4, 4, 12)


def test_a_rule_without_its_source_or_with_a_bad_number_is_refused_naming_the_field() -> None:
    data = _shipped()
    del data["early_change"]["source"]
    data["reliable_improvement"]["weeks"] = 3  # earlier than the early check
    data["homework_partial"]["credit"] = 1.5
    with pytest.raises(RulesInvalid) as caught:
        parse_rules(data)
    problems = " | ".join(caught.value.problems)
    assert "early_change.source is missing" in problems
    assert "reliable_improvement.weeks must be later than early_change.weeks" in problems
    assert "homework_partial.credit" in problems


# -- item 1: reliable deterioration flags at once --------------------------------------------------------


def test_phq9_14_to_21_within_two_weeks_flags_on_the_day() -> None:
    # 21 - 14 = 7 >= 6 (reliable change): reliable deterioration, on day 14, long before week 4.
    flag = deterioration(PHQ, [(on(0), 14), (on(14), 21)])
    assert flag is not None and flag.kind is FlagKind.DETERIORATION
    assert "reliable deterioration since baseline, 14 → 21" in flag.message
    assert on(14).isoformat() in flag.message
    assert "NHS Talking Therapies" in flag.source and "our default" in flag.source


def test_five_points_worse_is_not_reliable_unless_it_crosses_into_a_worse_band_past_caseness() -> None:
    # 9 -> 14: 5 < 6, not reliable; but 'mild' (5-9) -> 'moderate' (10-14) and 14 >= 10: flagged.
    flag = deterioration(PHQ, [(on(0), 9), (on(7), 14)])
    assert flag is not None and "'mild' (9) at baseline to 'moderate' (14)" in flag.message
    assert "Kroenke" in flag.source and "caseness" in flag.source
    # 10 -> 14: 4 points within 'moderate': no flag.
    assert deterioration(PHQ, [(on(0), 10), (on(7), 14)]) is None
    # 3 -> 8: 5 points, 'minimal' -> 'mild', but 8 < 10 is below caseness: no flag.
    assert deterioration(PHQ, [(on(0), 3), (on(7), 8)]) is None
    # 3 -> 9: 6 points is reliable, even below caseness.
    assert deterioration(PHQ, [(on(0), 3), (on(7), 9)]) is not None


def test_gad7_boundaries() -> None:
    # 5 -> 9: 4 >= 4 reliable. 6 -> 9: 3, same 'mild' band: none. 9 -> 10: 'mild' -> 'moderate', 10 >= 8.
    assert deterioration(GAD, [(on(0), 5), (on(7), 9)]) is not None
    assert deterioration(GAD, [(on(0), 6), (on(7), 9)]) is None
    assert deterioration(GAD, [(on(0), 9), (on(7), 10)]) is not None
    # Compared with baseline, not the previous score: 9 -> 6 -> 9 is back where it started.
    assert deterioration(GAD, [(on(0), 9), (on(7), 6), (on(14), 9)]) is None


# -- item 2: no reliable improvement by week 12 ----------------------------------------------------------


def test_still_17_at_week_12_is_flagged_from_day_84_not_day_83() -> None:
    # 12 weeks = 84 days after the baseline of day 0. 17 -> 17: 0 points, no reliable improvement.
    scores = [(on(0), 17), (on(42), 17), (on(80), 17)]
    assert no_reliable_improvement(PHQ, scores, on(83)) is None
    flag = no_reliable_improvement(PHQ, scores, on(84))
    assert flag is not None and flag.kind is FlagKind.NO_RELIABLE_IMPROVEMENT
    assert "no reliable improvement by week 12 — review the plan" in flag.message
    assert "continue, revise (change modality or step up) or close (refer on)" in flag.message


def test_week_12_needs_reliable_improvement_not_just_some() -> None:
    # 17 -> 12 is 5 better (< 6): flagged. 17 -> 11 is 6 better (= 6): reliable, not flagged.
    assert no_reliable_improvement(PHQ, [(on(0), 17), (on(84), 12)], on(84)) is not None
    assert no_reliable_improvement(PHQ, [(on(0), 17), (on(84), 11)], on(84)) is None


def test_week_12_flag_is_kept_until_a_review_on_or_after_week_12() -> None:
    scores = [(on(0), 17), (on(84), 17)]
    assert no_reliable_improvement(PHQ, scores, on(120), reviewed_on=[on(83)]) is not None
    assert no_reliable_improvement(PHQ, scores, on(120), reviewed_on=[on(84)]) is None


# -- item 3: only questionnaires that were ever elevated drive 'not on track' ------------------------------


def test_ever_elevated_boundaries() -> None:
    # PHQ-9 caseness 10: 9 throughout never elevated; a single 10 is. GAD-7 caseness 8.
    assert not ever_elevated(PHQ, [(on(0), 9), (on(7), 3)])
    assert ever_elevated(PHQ, [(on(0), 9), (on(7), 10), (on(14), 3)])
    assert not ever_elevated(GAD, [(on(0), 7)]) and ever_elevated(GAD, [(on(0), 8)])


# -- on stored records: the client list and the overview -----------------------------------------------


T = today()
PHQ_14 = [2, 2, 2, 2, 2, 2, 1, 1, 0]
PHQ_21 = [3, 3, 3, 3, 3, 2, 2, 2, 0]
PHQ_17 = [3, 2, 2, 2, 2, 2, 2, 2, 0]
PHQ_3 = [1, 1, 1, 0, 0, 0, 0, 0, 0]
GAD_14 = [2, 2, 2, 2, 2, 2, 2]
GAD_12 = [2, 2, 2, 2, 2, 1, 1]


def ago(days: int) -> date:
    return T - timedelta(days=days)


def new_client(vault: Vault, name: str = "Ann") -> str:
    return clients.add_client(vault.unit_of_work(), Client(name=name, intake_date=ago(400))).id


def rec(vault: Vault, cid: str, inst: str, answers: list[int], days_ago: int) -> None:
    measures.record_measure(vault.unit_of_work(), cid, inst, answers, on=ago(days_ago))


def kinds(vault: Vault, cid: str) -> list[FlagKind]:
    return [f.kind for f in measures.client_measure_flags(vault.unit_of_work(), [cid])[cid]]


def test_deterioration_reaches_the_client_list_the_day_it_is_recorded(vault: Vault) -> None:
    cid = new_client(vault)
    rec(vault, cid, "PHQ-9", PHQ_14, 14)
    rec(vault, cid, "PHQ-9", PHQ_21, 0)  # 14 -> 21 today
    assert kinds(vault, cid) == [FlagKind.DETERIORATION]
    assert "deteriorating" in overview.client_flags(vault.unit_of_work(), [cid])[cid].labels()


def test_phq9_3_to_3_is_not_flagged_but_gad7_14_to_12_at_week_12_is(vault: Vault) -> None:
    # PHQ-9 3 -> 3: never at caseness 10, so never off track. GAD-7 14 -> 12: elevated (>= 8), 2 better
    # (the minimal change, so on track at 4 weeks) but < 4, so no reliable improvement by week 12.
    cid = new_client(vault)
    rec(vault, cid, "PHQ-9", PHQ_3, 90)
    rec(vault, cid, "PHQ-9", PHQ_3, 1)
    rec(vault, cid, "GAD-7", GAD_14, 90)
    rec(vault, cid, "GAD-7", GAD_12, 1)
    found = measures.client_measure_flags(vault.unit_of_work(), [cid])[cid]
    late = [f for f in found if f.kind is FlagKind.NO_RELIABLE_IMPROVEMENT]
    assert [f.message.split(":")[0] for f in late] == ["GAD-7"]
    assert FlagKind.NOT_ON_TRACK not in [f.kind for f in found]
    assert "at caseness at some point in the episode (GAD-7 ≥ 8)" in late[0].source
    assert "no reliable improvement" in overview.client_flags(vault.unit_of_work(), [cid])[cid].labels()


def test_week_12_flag_survives_a_plan_activation_and_clears_with_a_review(vault: Vault) -> None:
    cid = new_client(vault)
    rec(vault, cid, "PHQ-9", PHQ_17, 100)
    rec(vault, cid, "PHQ-9", PHQ_17, 2)  # still 17 after 14 weeks
    plan = plans.save_plan(vault.unit_of_work(), replace(records.plan(cid, "p "), review_due=ago(-60)))
    plans.activate_plan(vault.unit_of_work(), plan.id, effective=ago(1))
    # Activating a plan settles the generic 12-week outcome review, not this flag: no decision recorded.
    assert kinds(vault, cid) == [FlagKind.NOT_ON_TRACK, FlagKind.NO_RELIABLE_IMPROVEMENT]
    plans.record_review(vault.unit_of_work(), cid, ago(0), ReviewOutcome.REVISE, "step up to weekly")
    assert kinds(vault, cid) == [FlagKind.NOT_ON_TRACK]


# -- item 4: recovery across PHQ-9 and GAD-7 together ---------------------------------------------------


def both(phq: tuple[int, int], gad: tuple[int, int]) -> Any:
    return joint_recovery([(PHQ, [(on(0), phq[0]), (on(84), phq[1])]),
                           (GAD, [(on(0), gad[0]), (on(84), gad[1])])])


def test_joint_recovery_boundaries() -> None:
    # PHQ-9 10 -> 9, GAD-7 7 -> 7: at caseness on PHQ-9 (10 >= 10) at the start; 9 < 10 and 7 < 8 at the end.
    result = both((10, 9), (7, 7))
    assert result.met is True and result.text == "recovered (NHS Talking Therapies, PHQ-9 and GAD-7 together)"
    assert "IAPT" in result.source
    # GAD-7 ending at 8 is still at caseness (8 >= 8): not recovered, and the text says why.
    result = both((12, 9), (9, 8))
    assert result.met is False and result.text.endswith("still at caseness on GAD-7 8 ≥ 8")
    # PHQ-9 9 and GAD-7 7 at the start: neither at caseness, so the joint definition does not apply.
    assert both((9, 3), (7, 2)).met is None
    # GAD-7 start 8 alone makes it a case: 8 -> 7 with PHQ-9 6 -> 6 is recovered.
    assert both((6, 6), (8, 7)).met is True


def test_joint_and_per_questionnaire_labels_can_differ_and_say_which_is_which(vault: Vault) -> None:
    # PHQ-9 12 -> 8 is 4 points (< 6): 'no reliable change' on PHQ-9 alone; yet with GAD-7 6 -> 5, both
    # end below caseness (8 < 10, 5 < 8) after PHQ-9 started at it (12 >= 10): recovered jointly.
    cid = new_client(vault)
    rec(vault, cid, "PHQ-9", [2, 2, 2, 2, 1, 1, 1, 1, 0], 60)  # 12
    rec(vault, cid, "PHQ-9", [1, 1, 1, 1, 1, 1, 1, 1, 0], 1)  # 8
    rec(vault, cid, "GAD-7", [1, 1, 1, 1, 1, 1, 0], 60)  # 6
    rec(vault, cid, "GAD-7", [1, 1, 1, 1, 1, 0, 0], 1)  # 5
    with vault.unit_of_work() as uow:
        episodes = uow.episodes.where(client_id=cid)
    rows = measures.measure_history(vault.unit_of_work(), cid)
    recovery = measures.episode_recovery(rows, episodes)
    assert recovery is not None and recovery.met is True
    assert recovery.start == (("PHQ-9", 12), ("GAD-7", 6)) and recovery.end == (("PHQ-9", 8), ("GAD-7", 5))
    phq_latest = [r for r in rows if r.instrument is not None and r.instrument.id == "phq9"][-1]
    assert phq_latest.change is not None and phq_latest.change.text == "no reliable change (baseline 12)"


def test_no_joint_label_unless_both_were_given_twice(vault: Vault) -> None:
    cid = new_client(vault)
    rec(vault, cid, "PHQ-9", PHQ_14, 60)
    rec(vault, cid, "PHQ-9", PHQ_3, 1)
    rec(vault, cid, "GAD-7", GAD_12, 1)  # GAD-7 only once: no start and end to compare
    with vault.unit_of_work() as uow:
        episodes = uow.episodes.where(client_id=cid)
    assert measures.episode_recovery(measures.measure_history(vault.unit_of_work(), cid), episodes) is None
