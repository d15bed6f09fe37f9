"""What the measures tab and the overview show, built from measure history rows (Qt-free)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from notesdesk.core.measures import Flag, FlagKind, Instrument
from notesdesk.core.measures.model import Direction, Kind, Rater
from notesdesk.core.services.measures import MeasureRow, by_instrument
from notesdesk.ui.workspace.measures.geometry import ChartSpec

PREFERRED = ("phq9", "gad7", "pcl5")
FLAG_TITLES = {
    FlagKind.RISK: "Risk item endorsed",
    FlagKind.UNKNOWN_RISK: "Risk item unanswered",
    FlagKind.DETERIORATION: "Deteriorating",
    FlagKind.NOT_ON_TRACK: "Not on track",
    FlagKind.NO_RELIABLE_IMPROVEMENT: "No reliable improvement: review the plan",
    FlagKind.REVIEW_DUE: "Outcome review due",
    FlagKind.ALLIANCE_DROP: "Alliance drop",
    FlagKind.ALLIANCE_DECLINE: "Alliance slow decline",
    FlagKind.ALLIANCE_LOW: "Alliance low",
    FlagKind.RISK_RECORDED: "Risk recorded",
    FlagKind.NO_SAFETY_PLAN: "No safety plan on file",
    FlagKind.SAFETY_PLAN_NOT_REVIEWED: "Safety plan not reviewed",
}
RISK_KINDS = (FlagKind.RISK, FlagKind.UNKNOWN_RISK)


def ordered(instruments: Iterable[Instrument]) -> list[Instrument]:
    """PHQ-9, GAD-7 and PCL-5 first, then the practitioner's outcome measures, the alliance check last."""
    def key(inst: Instrument) -> tuple[int, int, str]:
        preferred = PREFERRED.index(inst.id) if inst.id in PREFERRED else len(PREFERRED)
        return (inst.kind is Kind.ALLIANCE, preferred, inst.name.casefold())

    return sorted(instruments, key=key)


def can_hand_to_client(inst: Instrument) -> bool:
    return inst.rater is Rater.CLIENT


def answers_text(answers: Sequence[int | None]) -> str:
    return "/".join("-" if a is None else str(a) for a in answers)


def total_text(row: MeasureRow) -> str:
    """'14', '12*' (prorated), '9/9/8' (alliance items), '-' (not scored)."""
    if row.instrument is not None and row.instrument.kind is Kind.ALLIANCE:
        return answers_text(row.administration.answers)
    if row.score is None or row.score.total is None:
        return "-"
    return f"{row.score.total}{'*' if row.score.prorated else ''}"


def change_text(row: MeasureRow) -> str:
    if row.change is not None:  # the same words as the printed summary (ChangeResult.text)
        return row.change.text
    if row.alliance is not None and row.alliance.flags:
        return ", ".join(sorted({f.kind.value for f in row.alliance.flags}))
    if row.alliance is not None:
        return row.note or "no drop, no low item"
    if row.is_baseline:
        return "baseline"
    return row.note


def change_tip(row: MeasureRow) -> str:
    """The rule and source behind the label, so it can be checked rather than trusted."""
    if row.change is not None:
        parts = [row.change.rule, f"Source: {row.change.source}"]
        if row.baseline is not None:
            parts.insert(0, f"Compared with the baseline of {row.baseline.administered_on.isoformat()} "
                            f"({row.change.baseline} → {row.change.follow_up}).")
        for verdict in (row.change.response, row.change.remission):
            if verdict.met is not None:
                parts.append(f"{verdict.rule}: {'met' if verdict.met else 'not met'}.")
        return "\n".join(parts)
    if row.alliance is not None and row.alliance.flags:
        return "\n".join(f"{f.message} Rule: {f.rule}. Source: {f.source}" for f in row.alliance.flags)
    if row.alliance is not None and row.instrument is not None and row.instrument.alliance is not None:
        rules = row.instrument.alliance
        return (f"Compared item by item with the previous check: flagged on a drop of {rules.drop} or more, "
                f"or any item below {rules.low_below}. Source: {rules.source}")
    if row.is_baseline:
        return "The first scored administration of this episode of care: later scores are compared with it."
    return row.note


def row_flags(row: MeasureRow) -> tuple[Flag, ...]:
    flags = row.score.flags if row.score is not None else ()
    return flags + (row.alliance.flags if row.alliance is not None else ())


def flags_text(row: MeasureRow) -> str:
    return ", ".join(dict.fromkeys(FLAG_TITLES[f.kind].lower() for f in row_flags(row)))


@dataclass(frozen=True)
class LatestLine:
    name: str
    when: str
    total: str
    band: str
    change: str
    rule: str
    risk: bool


def latest_lines(rows: Sequence[MeasureRow]) -> list[LatestLine]:
    """The latest administration of each instrument, in the instruments' usual order."""
    groups = by_instrument(rows)
    known = {g[-1].instrument.id: g[-1] for g in groups.values() if g[-1].instrument is not None}
    found = [known[i.id] for i in ordered(r.instrument for r in known.values() if r.instrument)]
    found += [g[-1] for g in groups.values() if g[-1].instrument is None]
    out = []
    for row in found:
        name = row.instrument.name if row.instrument else row.administration.instrument
        band = (row.score.band if row.score else None) or ""
        risk = row.score is not None and row.score.risk_flagged
        out.append(LatestLine(name, row.administration.administered_on.isoformat(), total_text(row), band,
                              change_text(row), change_tip(row), risk))
    return out


def outcome_instruments(rows: Sequence[MeasureRow]) -> list[Instrument]:
    """Instruments with at least one scored total, most recently given first, for the chart."""
    latest: dict[str, tuple[date, Instrument]] = {}
    for row in rows:
        inst = row.instrument
        if inst is None or inst.kind is not Kind.OUTCOME or row.score is None or row.score.total is None:
            continue
        latest[inst.id] = (row.administration.administered_on, inst)
    return [inst for _, inst in sorted(latest.values(), key=lambda p: p[0], reverse=True)]


def reliable_points(inst: Instrument) -> float | None:
    if inst.change.reliable_change is not None:
        return inst.change.reliable_change
    return inst.reliability.rc_95 if inst.reliability is not None else None


def chart_spec(rows: Sequence[MeasureRow], inst: Instrument, with_alliance: bool = True) -> ChartSpec:
    """One instrument's totals over time, its bands and caseness, the corridor around the current
    baseline, and (optionally) the alliance checks as the mean item score."""
    mine = [r for r in rows if r.instrument is not None and r.instrument.id == inst.id
            and r.score is not None and r.score.total is not None]
    points = tuple((r.administration.administered_on, r.score.total) for r in mine
                   if r.score is not None and r.score.total is not None)
    flagged = frozenset(i for i, r in enumerate(mine) if r.score is not None and r.score.risk_flagged)
    baselines = [r for r in mine if r.is_baseline]
    baseline = None
    if baselines and baselines[-1].score is not None and baselines[-1].score.total is not None:
        baseline = (baselines[-1].administration.administered_on, baselines[-1].score.total)
    alliance: list[tuple[date, float]] = []
    alliance_flagged: set[int] = set()
    alliance_max = 10
    if with_alliance:
        for row in rows:
            a = row.instrument
            if a is None or a.kind is not Kind.ALLIANCE:
                continue
            given = [v for v in row.administration.answers if v is not None]
            if not given:
                continue
            alliance_max = max(o.score for o in a.options)
            if row.alliance is not None and row.alliance.flagged:
                alliance_flagged.add(len(alliance))
            alliance.append((row.administration.administered_on, sum(given) / len(given)))
    return ChartSpec(
        title=inst.name, lo=inst.range_min, hi=inst.range_max, points=points,
        bands=tuple((b.min, b.max, b.label) for b in inst.bands),
        higher_is_worse=inst.direction is Direction.HIGHER_IS_WORSE,
        caseness=inst.change.caseness, reliable_change=reliable_points(inst), baseline=baseline,
        flagged=flagged, alliance=tuple(alliance),
        alliance_max=alliance_max, alliance_flagged=frozenset(alliance_flagged),
    )


def chart_summary(spec: ChartSpec) -> str:
    """The chart in words, for screen readers and the chart's tooltip."""
    if not spec.points:
        return f"No {spec.title} scores yet."
    first, last = spec.points[0], spec.points[-1]
    text = (f"{spec.title}: {len(spec.points)} score(s) from {first[0].isoformat()} ({first[1]}) to "
            f"{last[0].isoformat()} ({last[1]}).")
    if spec.baseline is not None:
        text += f" Baseline {spec.baseline[1]} on {spec.baseline[0].isoformat()}."
    if spec.alliance:
        text += f" Latest alliance mean {spec.alliance[-1][1]:.1f} of {spec.alliance_max}."
    return text
