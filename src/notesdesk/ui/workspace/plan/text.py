"""A treatment plan as plain lines, and two versions compared line by line (Qt-free)."""

from __future__ import annotations

import difflib
import html
from datetime import date

from notesdesk.core.domain.plans import TreatmentPlan


def _day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def plan_lines(plan: TreatmentPlan) -> list[str]:
    """What a reader compares: plan-level fields, then the tree, one fact per line."""
    lines = [
        f"Version {plan.version} ({plan.status.value})",
        f"Effective: {_day(plan.effective_date)}   Review due: {_day(plan.review_due)}",
        f"Diagnoses: {'; '.join(plan.diagnoses) or '—'}",
        f"Service: {plan.service_type or '—'}",
        f"Session length: {plan.session_length_minutes or '—'} min",
        f"Frequency: {plan.frequency or '—'}",
        f"Expected duration: {plan.expected_duration or '—'}",
        f"Strengths: {plan.strengths or '—'}",
        f"Discharge criteria: {plan.discharge_criteria or '—'}",
        f"Client agreement: {_day(plan.client_agreement_date)} {plan.client_agreement_how}".rstrip(),
        "",
    ]
    for problem in plan.problems:
        lines.append(f"Problem: {problem.title}")
        if problem.behavioral_definition:
            lines.append(f"    Definition: {problem.behavioral_definition}")
        for goal in problem.goals:
            agreed = "agreed with client" if goal.agreed_with_client else "not yet agreed"
            lines.append(f"  Goal: {goal.statement} ({agreed})")
            if goal.client_words:
                lines.append(f'    In the client\'s words: "{goal.client_words}"')
            for obj in goal.objectives:
                lines.append(f"    Objective: {obj.description} [{obj.status.value}]")
                details = [
                    ("Criterion", obj.measurable_criterion),
                    ("Baseline", obj.baseline),
                    ("Target", obj.target),
                    ("Target date", obj.target_date.isoformat() if obj.target_date else ""),
                    ("Measure", obj.linked_measure),
                ]
                lines += [f"      {label}: {value}" for label, value in details if value]
                for item in obj.interventions:
                    extra = ", ".join(v for v in (item.modality, item.frequency) if v)
                    lines.append(f"      Intervention: {item.technique}" + (f" ({extra})" if extra else ""))
    for review in plan.reviews:
        when = review.review_date.isoformat()
        lines.append(f"Review {when}: {review.outcome.value}. {review.summary}".rstrip())
    return lines


def compare(left: list[str], right: list[str]) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Each side's lines with a flag: True where the line is not in the other version."""
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    left_out = [(line, True) for line in left]
    right_out = [(line, True) for line in right]
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            left_out[block.a + k] = (left[block.a + k], False)
            right_out[block.b + k] = (right[block.b + k], False)
    return left_out, right_out


def to_html(lines: list[tuple[str, bool]], changed_style: str = "font-weight:bold") -> str:
    """Changed lines are marked with a sign as well as a style, so the change never rests on colour.
    Indentation becomes a margin, so wrapped lines stay indented."""
    rows = []
    for text, changed in lines:
        indent = (len(text) - len(text.lstrip(" "))) * 0.6
        body = html.escape(text.strip()) or "&nbsp;"
        style = f"margin-left:{indent:.1f}em"
        if changed:
            rows.append(f'<div style="{style}; {changed_style}">± {body}</div>')
        else:
            rows.append(f'<div style="{style}">{body}</div>')
    return "".join(rows)
