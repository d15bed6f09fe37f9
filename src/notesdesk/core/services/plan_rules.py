"""What a treatment plan version must have before it is activated, and which plan-of-care fields the
practice's country expects. Rules and their source: rules/alerts.json `plan_activation`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from notesdesk.core.domain.plans import TreatmentPlan, missing_required_fields
from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures.alert_rules import alert_rules
from notesdesk.core.measures.model import Instrument
from notesdesk.core.measures.objectives import parse_measure_rule

NAME_SHOWN = 50  # characters of an objective's description named in a refusal


def _named(description: str) -> str:
    text = " ".join(description.split())
    return f"'{text[:NAME_SHOWN - 1]}…'" if len(text) > NAME_SHOWN else f"'{text}'"


def activation_problems(plan: TreatmentPlan, start: date, instruments: Iterable[Instrument] = ()
                        ) -> list[str]:
    """Each problem in one line naming the objective and the field, in the plan's order: a measurable
    criterion, a target date after the plan's start (`start`), and a linked measure inside its
    instrument's range."""
    extra = tuple(instruments)
    problems: list[str] = []
    for objective in plan.objectives():
        name = f"Objective {_named(objective.description)}"
        if not objective.measurable_criterion.strip():
            problems.append(f"{name} needs a measurable criterion (how progress is measured).")
        if objective.target_date is None:
            problems.append(f"{name} needs a target date after the plan's start ({start.isoformat()}).")
        elif objective.target_date <= start:
            problems.append(f"{name}: the target date {objective.target_date.isoformat()} must be after the "
                            f"plan's start ({start.isoformat()}).")
        if objective.linked_measure.strip():
            try:
                parse_measure_rule(objective.linked_measure, extra)
            except InvalidInput as exc:
                problems.append(f"{name}: {exc}.")
    return problems


def check_activation(plan: TreatmentPlan, start: date, instruments: Iterable[Instrument] = ()) -> None:
    """Refuse, in one line, a plan that `activation_problems` finds wanting (the first problem, and how
    many more there are)."""
    problems = activation_problems(plan, start, instruments)
    if problems:
        more = f" ({len(problems) - 1} more to fix)" if len(problems) > 1 else ""
        raise InvalidInput(f"The plan cannot be activated: {problems[0]}{more}")


def medicare_fields_apply(country: str) -> bool:
    """Whether the practice's country expects Medicare's plan-of-care fields (type, amount, frequency,
    duration, diagnoses); an unset country asks for none."""
    return country.strip().upper() in alert_rules().plan_activation.medicare_fields_countries


def missing_for_country(plan: TreatmentPlan, country: str) -> list[str]:
    """The plan-of-care fields still missing, where the practice's country expects them; else none."""
    return missing_required_fields(plan) if medicare_fields_apply(country) else []
