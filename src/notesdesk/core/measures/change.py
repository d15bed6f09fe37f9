"""Change between a baseline and a later score that means something (Jacobson & Truax reliable change).

Each verdict carries the rule that produced it and where that rule comes from, so a clinician (or an
auditor) can check the label instead of trusting it. TherapyNotes' undocumented 'improvement/decline'
label is the counter-example (docs/clinical-sources.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures.library import InstrumentRef, get_instrument
from notesdesk.core.measures.model import JACOBSON_TRUAX, RCI_CRITICAL, Direction, Instrument


class ChangeLabel(StrEnum):
    RECOVERED = "recovered"
    RELIABLY_IMPROVED = "reliably improved"
    NO_RELIABLE_CHANGE = "no reliable change"
    RELIABLY_DETERIORATED = "reliably deteriorated"


@dataclass(frozen=True)
class Rci:
    """Reliable change index with every intermediate value, so the arithmetic can be shown."""

    value: float  # (follow-up - baseline) / S_diff, sign in raw score units
    se_measurement: float  # SD x sqrt(1 - r)
    s_diff: float  # sqrt(2) x SE
    rc_95: float  # 1.96 x S_diff: the smallest raw change that is reliable at p < .05
    formula: str
    source: str

    @property
    def reliable(self) -> bool:
        return abs(self.value) > RCI_CRITICAL


@dataclass(frozen=True)
class Verdict:
    """A yes/no judgement, or None when it does not apply; always with its rule and source."""

    met: bool | None
    rule: str
    source: str


@dataclass(frozen=True)
class ChangeResult:
    instrument: str
    baseline: int
    follow_up: int
    improvement: int  # positive = better, whichever way the scale runs
    label: ChangeLabel
    rule: str
    source: str
    rci: Rci | None
    response: Verdict
    remission: Verdict

    @property
    def text(self) -> str:
        """The label with the baseline it is measured from and the criteria met, worded the same on
        screen and on paper: 'recovered on this questionnaire (baseline 13); response and remission met'.
        'On this questionnaire' tells it apart from recovery across PHQ-9 and GAD-7 together (NHS Talking
        Therapies, `progress.joint_recovery`)."""
        met = [name for name, verdict in (("response", self.response), ("remission", self.remission))
               if verdict.met]
        criteria = f"; {' and '.join(met)} met" if met else ""
        which = " on this questionnaire" if self.label is ChangeLabel.RECOVERED else ""
        return f"{self.label.value}{which} (baseline {self.baseline}){criteria}"


def reliable_change_index(instrument: InstrumentRef, baseline: int, follow_up: int,
                          extra: Iterable[Instrument] = ()) -> Rci:
    inst = get_instrument(instrument, extra)
    rel = inst.reliability
    if rel is None:
        raise InvalidInput(f"{inst.name} has no SD and reliability, so no reliable change index")
    value = (follow_up - baseline) / rel.s_diff
    formula = (
        f"RCI = ({follow_up} − {baseline}) / S_diff; S_diff = √2 × SD × √(1 − r) = √2 × {rel.sd:g} × "
        f"√(1 − {rel.r:g}) = {rel.s_diff:.2f}; RCI = {value:.2f}; reliable if |RCI| > {RCI_CRITICAL} "
        f"(raw change > {rel.rc_95:.2f})"
    )
    source = f"{JACOBSON_TRUAX}. SD: {rel.sd_source}. r ({rel.r_type}): {rel.r_source}"
    return Rci(value, rel.se_measurement, rel.s_diff, rel.rc_95, formula, source)


def _reliability_rule(inst: Instrument, rci: Rci | None) -> tuple[float, str, str]:
    """Threshold in raw points, its wording and source. A fixed convention (e.g. NHS Talking Therapies'
    6 points on the PHQ-9) wins over the computed 1.96 x S_diff, because that is what services report."""
    rules = inst.change
    if rules.reliable_change is not None:
        return (rules.reliable_change, f"at least {rules.reliable_change:g} points",
                rules.reliable_change_source)
    if rci is None:
        raise InvalidInput(f"{inst.name} has neither a reliable-change threshold nor SD and reliability")
    # Strictly more than 1.96 x S_diff: |RCI| > 1.96 is Jacobson & Truax's criterion.
    return (rci.rc_95 + 1e-9, f"more than {rci.rc_95:.2f} points (|RCI| > 1.96)", rci.source)


def _clinical_range(inst: Instrument) -> str:
    sign = "≥" if inst.direction is Direction.HIGHER_IS_WORSE else "≤"
    return f"{inst.name} {sign} {inst.change.caseness}"


def classify_change(instrument: InstrumentRef, baseline: int, follow_up: int,
                    extra: Iterable[Instrument] = ()) -> ChangeResult:
    """Label the change from `baseline` (first score of the episode of care) to `follow_up`."""
    inst = get_instrument(instrument, extra)
    for name, value in (("baseline", baseline), ("follow-up", follow_up)):
        if not inst.range_min <= value <= inst.range_max:
            raise InvalidInput(f"{inst.name} {name} score must be between {inst.range_min} and "
                               f"{inst.range_max}")
    rci = reliable_change_index(inst, baseline, follow_up) if inst.reliability else None
    threshold, needed, source = _reliability_rule(inst, rci)
    better = inst.improvement(baseline, follow_up)
    fall, rise = ("fall", "rise") if inst.direction is Direction.HIGHER_IS_WORSE else ("rise", "fall")
    has_cut = inst.change.caseness is not None

    if better >= threshold and has_cut and inst.is_case(baseline) and not inst.is_case(follow_up):
        # Jacobson & Truax's 'recovered' needs both: reliable change AND leaving the clinical range
        # (NHS Talking Therapies calls this 'reliable recovery').
        label = ChangeLabel.RECOVERED
        rule = (f"Recovered on this questionnaire (Jacobson & Truax): reliable improvement (a {fall} of "
                f"{needed}) and out of the clinical range ({_clinical_range(inst)} at baseline, not at "
                "follow-up)")
        source = f"{source}; caseness: {inst.change.caseness_source}"
    elif better >= threshold:
        label = ChangeLabel.RELIABLY_IMPROVED
        rule = f"Reliably improved: a {fall} of {needed} from baseline"
        if has_cut and inst.is_case(follow_up):
            rule += f"; still in the clinical range ({_clinical_range(inst)})"
        elif has_cut:
            rule += f"; not 'recovered': baseline was outside the clinical range ({_clinical_range(inst)})"
    elif -better >= threshold:
        label = ChangeLabel.RELIABLY_DETERIORATED
        rule = f"Reliably deteriorated: a {rise} of {needed} from baseline"
    else:
        label = ChangeLabel.NO_RELIABLE_CHANGE
        rule = f"No reliable change: {abs(better)} point(s) of change; reliable change needs {needed}"
    return ChangeResult(inst.id, baseline, follow_up, better, label, rule, source, rci,
                        response(inst, baseline, follow_up), remission(inst, baseline, follow_up))


def _not_in_clinical_range(inst: Instrument, baseline: int) -> str | None:
    """Response and remission are judged for people who started in the clinical range (the NCQA/HEDIS
    measures count only an elevated baseline): going from 4 to 2 is neither a response nor a remission."""
    if inst.is_case(baseline) is False:
        return f"baseline {baseline} is below caseness {inst.change.caseness}"
    return None


def response(instrument: InstrumentRef, baseline: int, follow_up: int,
             extra: Iterable[Instrument] = ()) -> Verdict:
    inst = get_instrument(instrument, extra)
    share = inst.change.response_reduction
    if share is None:
        return Verdict(None, f"{inst.name} has no response rule", "")
    rule = f"Response: a reduction of at least {share:.0%} from baseline"
    why_not = _not_in_clinical_range(inst, baseline)
    if why_not or baseline == 0:
        why_not = why_not or "baseline is 0"
        return Verdict(None, f"{rule} — not applicable: {why_not}", inst.change.response_source)
    # Fractions, not floats: 50 % of 15 is exactly 7.5, and a drop of 7 must not pass on rounding.
    reduced = Fraction(baseline - follow_up) >= Fraction(str(share)) * baseline
    return Verdict(reduced, f"{rule} ({baseline} → {follow_up})", inst.change.response_source)


def remission(instrument: InstrumentRef, baseline: int, follow_up: int,
              extra: Iterable[Instrument] = ()) -> Verdict:
    inst = get_instrument(instrument, extra)
    below = inst.change.remission_below
    if below is None:
        return Verdict(None, f"{inst.name} has no remission rule", "")
    rule = f"Remission: {inst.name} below {below}"
    why_not = _not_in_clinical_range(inst, baseline)
    if why_not:
        return Verdict(None, f"{rule} — not applicable: {why_not}", inst.change.remission_source)
    return Verdict(follow_up < below, f"{rule} (latest {follow_up})", inst.change.remission_source)
