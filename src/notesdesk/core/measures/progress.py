"""Alerts that follow practice over one episode's (date, total) scores: reliable deterioration at once,
no reliable improvement by week 12 until a plan review decides, which questionnaires may say 'not on
track' at all, and recovery across PHQ-9 and GAD-7 together. The timetables and their sources are in
rules/alerts.json (`alert_rules`); the thresholds (reliable change, caseness, bands) are the instrument's
own, each with its source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from notesdesk.core.measures.alert_rules import alert_rules
from notesdesk.core.measures.change import ChangeLabel, classify_change
from notesdesk.core.measures.model import Direction, Flag, FlagKind, Instrument

Scores = Sequence[tuple[date, int]]
IMPROVED = (ChangeLabel.RELIABLY_IMPROVED, ChangeLabel.RECOVERED)
DECISIONS = "continue, revise (change modality or step up) or close (refer on)"


def _ordered(scores: Scores) -> list[tuple[date, int]]:
    return sorted(scores, key=lambda s: s[0])  # stable: same-day scores keep their entry order


def _severity(inst: Instrument, total: int) -> int | None:
    """The band's rank from least to most severe, whichever way the scale runs."""
    band = inst.band_for(total)
    if band is None:
        return None
    rank = inst.bands.index(band)
    return rank if inst.direction is Direction.HIGHER_IS_WORSE else len(inst.bands) - 1 - rank


def ever_elevated(inst: Instrument, scores: Scores) -> bool:
    """At or above caseness at some point in the episode; always True when the instrument has none."""
    if inst.change.caseness is None:
        return True
    return any(inst.is_case(total) for _, total in scores)


def elevated_rule(inst: Instrument) -> str:
    if inst.change.caseness is None:
        return f"{inst.name} has no caseness, so it always counts"
    sign = "≥" if inst.direction is Direction.HIGHER_IS_WORSE else "≤"
    return (f"Only a questionnaire at caseness at some point in the episode ({inst.name} {sign} "
            f"{inst.change.caseness}) can be 'not on track'")


def deterioration(inst: Instrument, scores: Scores) -> Flag | None:
    """Flag on the day it is recorded: the latest score is reliably worse than baseline, or lies in a more
    severe band than baseline and at or beyond caseness."""
    ordered = _ordered(scores)
    if len(ordered) < 2:
        return None
    (_, base), (when, latest) = ordered[0], ordered[-1]
    change = classify_change(inst, base, latest)
    rules = alert_rules().deterioration
    sign = "≥" if inst.direction is Direction.HIGHER_IS_WORSE else "≤"
    past_caseness = (f"in a more severe band than at baseline and at caseness ({inst.name} {sign} "
                     f"{inst.change.caseness})" if inst.change.caseness is not None and inst.bands else "")
    rule = ("Flagged " + rules.when + " when the latest score shows reliable deterioration from baseline"
            + (f", or is {past_caseness}" if past_caseness else ""))
    if change.label is ChangeLabel.RELIABLY_DETERIORATED:
        why = f"reliable deterioration since baseline, {base} → {latest} ({change.rule})"
        source = f"{change.source}. {rules.source}"
    elif past_caseness and inst.is_case(latest):
        before, after = _severity(inst, base), _severity(inst, latest)
        if before is None or after is None or after <= before:
            return None
        old, new = inst.band_for(base), inst.band_for(latest)
        assert old is not None and new is not None
        why = (f"moved from '{old.label}' ({base}) at baseline to '{new.label}' ({latest}), at caseness "
               f"({inst.name} {sign} {inst.change.caseness})")
        source = f"Bands: {inst.bands_source}. Caseness: {inst.change.caseness_source}. {rules.source}"
    else:
        return None
    return Flag(FlagKind.DETERIORATION, f"{inst.name} on {when.isoformat()}: {why}. Worth raising with the "
                "client before the next session is planned.", rule, source)


def no_reliable_improvement(inst: Instrument, scores: Scores, on: date,
                            reviewed_on: Iterable[date] = ()) -> Flag | None:
    """'No reliable improvement by week 12 — review the plan', from week 12 after baseline until a plan
    review dated on or after that day records a decision, or a later score shows reliable improvement.
    Every recorded review carries its outcome (continue / revise / close), which is the decision."""
    ordered = _ordered(scores)
    if not ordered:
        return None
    rules = alert_rules().reliable_improvement
    (start, base), (when, latest) = ordered[0], ordered[-1]
    due = start + timedelta(weeks=rules.weeks)
    if on < due or any(r >= due for r in reviewed_on):
        return None
    change = classify_change(inst, base, latest)
    if change.label in IMPROVED:
        return None
    rule = (f"From {rules.weeks} weeks after baseline, flag when the latest {inst.name} shows no reliable "
            f"improvement, until a plan review on or after that day records a decision ({DECISIONS})")
    return Flag(FlagKind.NO_RELIABLE_IMPROVEMENT,
                f"{inst.name}: no reliable improvement by week {rules.weeks} — review the plan. Baseline "
                f"{base} on {start.isoformat()}, latest {latest} on {when.isoformat()} ({change.rule}). "
                f"Record a plan review with the decision: {DECISIONS}.",
                rule, f"{rules.source} Reliable change: {change.source}")


@dataclass(frozen=True)
class JointRecovery:
    """NHS Talking Therapies recovery across several questionnaires (PHQ-9 and GAD-7): `met` is None
    when it does not apply (no questionnaire at caseness at the start)."""

    met: bool | None
    start: tuple[tuple[str, int], ...]  # (instrument name, first score of the episode)
    end: tuple[tuple[str, int], ...]  # (instrument name, latest score)
    text: str
    rule: str
    source: str


def joint_recovery(series: Sequence[tuple[Instrument, Scores]]) -> JointRecovery | None:
    """Recovery by the joint definition, or None unless every questionnaire named by the rule (rules file,
    'joint_recovery') was given at least twice this episode — at the start and at the end."""
    if len(series) < 2 or any(len(scores) < 2 or inst.change.caseness is None for inst, scores in series):
        return None
    rules = alert_rules().joint_recovery
    firsts = [(inst, _ordered(scores)[0][1]) for inst, scores in series]
    lasts = [(inst, _ordered(scores)[-1][1]) for inst, scores in series]
    names = " and ".join(inst.name for inst, _ in series)
    definition = f"NHS Talking Therapies, {names} together"
    cuts = " or ".join(f"{inst.name} ≥ {inst.change.caseness}" for inst, _ in series)
    rule = (f"Recovered across {names} ({definition}): at caseness on at least one at the start ({cuts}), "
            "below caseness on all at the end")
    start = tuple((inst.name, total) for inst, total in firsts)
    end = tuple((inst.name, total) for inst, total in lasts)
    if not any(inst.is_case(total) for inst, total in firsts):
        return JointRecovery(None, start, end, f"recovery not applicable ({definition}): no questionnaire "
                             "was at caseness at the start", rule, rules.source)
    still = [f"{inst.name} {total} ≥ {inst.change.caseness}" for inst, total in lasts if inst.is_case(total)]
    if still:
        return JointRecovery(False, start, end, f"not recovered ({definition}): still at caseness on "
                             + ", ".join(still), rule, rules.source)
    return JointRecovery(True, start, end, f"recovered ({definition})", rule, rules.source)
