"""Plan activation governance (issue 14 item 11; rules/alerts.json `plan_activation`): each objective
needs a measurable criterion and a target date after the plan's start; a linked measure must lie inside
its instrument's range (PHQ-9 runs 0-27, so 'PHQ-9 < 27' is accepted and 'PHQ-9 < 28' or '< 40' is not);
Medicare's plan-of-care fields are asked for only where the practice's country uses them (US)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.plans import Goal, Objective, PlanStatus, Problem, TreatmentPlan
from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures.alert_rules import alert_rules
from notesdesk.core.services import clients, plans
from notesdesk.core.services.plan_rules import activation_problems, medicare_fields_apply, missing_for_country
from notesdesk.core.storage.vault import Vault

START = date(2025, 3, 3)
GOOD = Objective("Ride two stops", measurable_criterion="Stops ridden a week",
                 target_date=START + timedelta(days=1), linked_measure="PHQ-9 < 10")


def plan_with(*objectives: Objective, client_id: str = "c") -> TreatmentPlan:
    goal = Goal("Travel", objectives=objectives)
    return TreatmentPlan(client_id, problems=(Problem("Panic", goals=(goal,)),))


def test_a_complete_objective_passes() -> None:
    assert activation_problems(plan_with(GOOD), START) == []
    source = alert_rules().plan_activation.source
    assert "L33632" in source and "Doran" in source


@pytest.mark.parametrize(("days", "ok"), [(-1, False), (0, False), (1, True)])
def test_the_target_date_must_be_after_the_start(days: int, ok: bool) -> None:
    problems = activation_problems(plan_with(replace(GOOD, target_date=START + timedelta(days=days))), START)
    assert (problems == []) is ok
    if not ok:
        target = START + timedelta(days=days)
        assert problems == [f"Objective 'Ride two stops': the target date {target} must be after the plan's "
                            f"start ({START})."]


def test_missing_criterion_and_date_are_named_by_objective_and_field() -> None:
    bare = Objective("Sleep in own bed")
    assert activation_problems(plan_with(GOOD, bare), START) == [
        "Objective 'Sleep in own bed' needs a measurable criterion (how progress is measured).",
        f"Objective 'Sleep in own bed' needs a target date after the plan's start ({START}).",
    ]


@pytest.mark.parametrize(("rule", "ok"), [("PHQ-9 < 27", True), ("PHQ-9 < 28", False), ("PHQ-9 < 40", False),
                                          ("PCL-5 < 33", True), ("GAD-7 <= 22", False), ("mood good", False)])
def test_a_linked_measure_must_fit_its_instrument(rule: str, ok: bool) -> None:
    problems = activation_problems(plan_with(replace(GOOD, linked_measure=rule)), START)
    assert (problems == []) is ok
    if rule == "PHQ-9 < 40":
        assert problems == ["Objective 'Ride two stops': linked measure 'PHQ-9 < 40': PHQ-9 scores run "
                            "from 0 to 27."]


def test_a_refused_activation_is_one_line_and_changes_nothing(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), Client(name="Kai Planner")).id
    first = plans.save_plan(vault.unit_of_work(), plan_with(GOOD, client_id=cid))
    plans.activate_plan(vault.unit_of_work(), first.id, START)
    wrong = replace(GOOD, linked_measure="PHQ-9 < 40")
    draft = plans.save_plan(vault.unit_of_work(), plan_with(wrong, Objective("Walk"), client_id=cid))
    with pytest.raises(InvalidInput) as refused:
        plans.activate_plan(vault.unit_of_work(), draft.id, START)
    message = str(refused.value)
    assert "\n" not in message and "Objective 'Ride two stops'" in message and "(2 more to fix)" in message
    statuses = [p.status for p in plans.plan_versions(vault.unit_of_work(), cid)]
    assert statuses == [PlanStatus.ACTIVE, PlanStatus.DRAFT]  # the plan in force stays in force


@pytest.mark.parametrize(("country", "asked"), [("US", True), ("us", True), ("UK", False), ("AU", False),
                                                ("", False)])
def test_medicare_fields_only_where_the_country_uses_them(country: str, asked: bool) -> None:
    assert medicare_fields_apply(country) is asked
    missing = missing_for_country(plan_with(GOOD), country)
    assert ("session length" in missing) is asked and (missing == []) is not asked
