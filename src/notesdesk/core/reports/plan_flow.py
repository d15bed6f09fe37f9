"""The treatment plan as flowables (clinician summary and access record) and the measures table."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from notesdesk.core.domain.plans import Objective, TreatmentPlan
from notesdesk.core.domain.summaries import MeasureSection, ReviewRow
from notesdesk.core.reports.flow import (
    bullets,
    data_table,
    heading,
    keep,
    kv_table,
    nothing,
    para,
)
from notesdesk.core.reports.grid import GridCell
from notesdesk.core.reports.styles import Styles
from notesdesk.core.reports.text import DASH, number, short_date


def plan_facts(
    plan: TreatmentPlan, width: float, styles: Styles, locale: str, with_diagnoses: bool = False
) -> Flowable:
    length = f"{plan.session_length_minutes} minutes" if plan.session_length_minutes else ""
    service = ", ".join(x for x in (plan.service_type, length, plan.frequency) if x)
    agreement = ""
    if plan.client_agreement_date or plan.client_agreement_how:
        agreed = short_date(plan.client_agreement_date, locale) if plan.client_agreement_date else ""
        agreement = " ".join(x for x in (agreed, f"({plan.client_agreement_how})" if plan.client_agreement_how
                                         else "") if x)
    return kv_table(
        [
            ("Plan", f"Version {plan.version} ({plan.status.value})"),
            ("Diagnoses", "\n".join(plan.diagnoses) if with_diagnoses else ""),
            ("In effect from", short_date(plan.effective_date, locale) if plan.effective_date else ""),
            ("Next review due", short_date(plan.review_due, locale) if plan.review_due else ""),
            ("Service", service),
            ("Expected duration", plan.expected_duration),
            ("Strengths", plan.strengths),
            ("Discharge criteria", plan.discharge_criteria),
            ("Agreed with client", agreement),
        ],
        width,
        styles,
        key_share=0.25,
    )


def _objective_cell(obj: Objective, styles: Styles) -> list[tuple[ParagraphStyle, str]]:
    detail = []
    if obj.measurable_criterion:
        detail.append(f"Measured by: {obj.measurable_criterion}")
    if obj.baseline or obj.target:
        detail.append(f"Baseline {obj.baseline or DASH} \u2192 target {obj.target or DASH}")
    if obj.linked_measure:
        detail.append(f"Linked measure: {obj.linked_measure}")
    return [(styles["Cell"], obj.description), *((styles["Muted"], line) for line in detail)]


GOAL_START_ROOM = 55 * mm
GOAL_LABEL_SHARE = 0.18


def _interventions(obj: Objective) -> str:
    out = []
    for i in obj.interventions:
        extra = ", ".join(x for x in (i.modality, i.frequency) if x)
        out.append(f"\u2022 {i.technique} ({extra})" if extra else f"\u2022 {i.technique}")
    return "\n".join(out)


def plan_body(plan: TreatmentPlan, width: float, styles: Styles, locale: str) -> list[Flowable]:
    """Problems, goals (with the client's own words), objectives with target dates and status."""
    out: list[Flowable] = []
    if not plan.problems:
        return [nothing("No problems or goals recorded in this plan.", styles)]
    for p_index, problem in enumerate(plan.problems, start=1):
        head: list[Flowable] = [heading(f"Problem {p_index}: {problem.title}", styles, level=2)]
        if problem.behavioral_definition:
            head.append(para(problem.behavioral_definition, styles, "Muted"))
        if not problem.goals:
            out.append(keep(head))
        for g_index, goal in enumerate(problem.goals):
            pairs: list[tuple[str, GridCell]] = [("Goal", goal.statement)]
            if goal.client_words:
                words = [(styles["Body"], f"\u201c{goal.client_words}\u201d")]
                if goal.agreed_with_client:
                    words.append((styles["Muted"], "agreed with the client"))
                pairs.append(("Client's words", words))
            elif goal.agreed_with_client:
                pairs.append(("", [(styles["Muted"], "agreed with the client")]))
            goal_block = kv_table(pairs, width, styles, GOAL_LABEL_SHARE, key_style="Label",
                                  value_style="Body")
            intro = [*(head if g_index == 0 else []), goal_block]
            # The problem and goal stay together and get a few table rows below them; the objectives
            # table itself splits across pages by rows (its header repeats) instead of leaving a gap.
            out += [CondPageBreak(GOAL_START_ROOM), keep(intro)]
            if goal.objectives:
                rows = [
                    [
                        _objective_cell(o, styles),
                        short_date(o.target_date, locale) if o.target_date else "no target date",
                        o.status.value,
                        _interventions(o),
                    ]
                    for o in goal.objectives
                ]
                out.append(data_table(["Objective", "Target date", "Status", "Interventions"], rows,
                                      [width * 0.42, width * 0.15, width * 0.14, width * 0.29], styles))
    return out


def reviews_table(reviews: Sequence[ReviewRow], width: float, styles: Styles, locale: str) -> Flowable:
    if not reviews:
        return nothing("No plan reviews recorded yet.", styles)
    rows = [[short_date(r.review_date, locale), f"v{r.plan_version}", r.outcome, r.summary] for r in reviews]
    return data_table(["Reviewed", "Plan", "Outcome", "Summary"], rows,
                      [width * 0.16, width * 0.08, width * 0.12, width * 0.64], styles)


def diagnoses_list(diagnoses: Sequence[str], styles: Styles) -> list[Flowable]:
    return bullets(diagnoses, styles) or [nothing("No diagnoses recorded.", styles)]


def measures_table(section: MeasureSection, width: float, styles: Styles, locale: str,
                   with_bands: bool = True) -> Flowable:
    if not section.rows:
        return nothing("No measures recorded.", styles)
    if with_bands:
        header = ["Date", "Measure", "Score", "Band", "Change"]
        widths = [width * 0.17, width * 0.17, width * 0.1, width * 0.24, width * 0.32]
        rows: list[list[str]] = [
            [short_date(r.administered_on, locale), r.instrument,
             number(r.total) if r.total is not None else "not scored", r.band, r.change]
            for r in section.rows
        ]
    else:
        header = ["Date", "Measure", "Score"]
        widths = [width * 0.3, width * 0.4, width * 0.3]
        rows = [[short_date(r.administered_on, locale), r.instrument, number(r.total)] for r in section.rows]
    return data_table(header, rows, widths, styles)

