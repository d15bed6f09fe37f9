"""A client's questionnaire history scored, and the measure flags drawn from it. Pure: domain records
and instruments in, rows and flags out; services/measures.py reads the vault around it.

The flags split in two (docs/design-notes.md §3): what the scored history says whatever today's date is
(`Standing`: the latest scores' and alliance checks' flags, the risk loop, deterioration, not on track,
each outcome series' totals) and what depends on the date (no reliable improvement by week 12, a review
falling due), computed from the standing each time (`flags_at`). The client summaries keep each client's
standing, so the client list scores no questionnaire at unlock (storage/summaries.py).

Baselines are per episode of care: the first scorable administration of an instrument within an episode.
Flags prompt the clinician; none of them grades risk (docs/clinical-sources.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from notesdesk.core.domain.care import MeasureAdministration, SafetyPlan
from notesdesk.core.domain.clients import Episode
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.domain.plans import PlanStatus, TreatmentPlan
from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.measures.alert_rules import alert_rules
from notesdesk.core.measures.alliance import AllianceCheck, alliance_check
from notesdesk.core.measures.change import ChangeLabel, ChangeResult, classify_change
from notesdesk.core.measures.library import find_by_name
from notesdesk.core.measures.model import Flag, FlagKind, Instrument, Kind
from notesdesk.core.measures.progress import (
    deterioration,
    elevated_rule,
    ever_elevated,
    no_reliable_improvement,
)
from notesdesk.core.measures.risk_loop import risk_loop_flags
from notesdesk.core.measures.scoring import ScoreResult, score
from notesdesk.core.measures.trajectory import review_due, trajectory

RISK_PROMPT = ("Record a risk assessment and review the safety plan before the session ends. "
               "This flag does not classify risk.")


def resolve_instrument(ref: str, extra: Iterable[Instrument] = ()) -> Instrument | None:
    """An administration's instrument by id or name ('phq9', 'PHQ-9'), or None if unknown."""
    try:
        return find_by_name(ref, extra)
    except NotFound:
        return None



def with_prompts(result: ScoreResult) -> ScoreResult:
    """A practitioner's critical item may word its message freely; the prompt to act is always there."""
    missing = [f.kind is FlagKind.RISK and "risk assessment" not in f.message.lower() for f in result.flags]
    return replace(result, flags=tuple(replace(f, message=f"{f.message} {RISK_PROMPT}") if add else f
                                       for f, add in zip(result.flags, missing, strict=True)))


def episode_on(episodes: Iterable[Episode], on: date) -> str | None:
    ordered = sorted(episodes, key=lambda e: e.opened_on, reverse=True)
    covering = [e for e in ordered if e.opened_on <= on and (e.closed_on is None or on <= e.closed_on)]
    chosen = covering or [e for e in ordered if e.is_open]
    return chosen[0].id if chosen else None



@dataclass(frozen=True)
class MeasureRow:
    """One administration, scored, and compared with the baseline of the same instrument and episode."""

    administration: MeasureAdministration
    instrument: Instrument | None  # None: the instrument is not known to this vault
    score: ScoreResult | None  # None: unknown instrument or answers that no longer fit it
    episode_id: str | None
    baseline: MeasureAdministration | None = None  # what `change` compares against (None for the baseline)
    change: ChangeResult | None = None
    alliance: AllianceCheck | None = None  # alliance instruments: compared with the previous check
    note: str = ""  # why there is no change label, in words
    is_baseline: bool = False

    @property
    def label(self) -> ChangeLabel | None:
        return self.change.label if self.change else None


def history_rows(administrations: Iterable[MeasureAdministration], episodes: Iterable[Episode] = (),
                 extra: Iterable[Instrument] = ()) -> list[MeasureRow]:
    """Pure: score every administration and label change against its episode's baseline."""
    extra, episodes = tuple(extra), tuple(episodes)
    rows: list[MeasureRow] = []
    firsts: dict[tuple[str, str | None], MeasureRow] = {}
    previous: dict[tuple[str, str | None], MeasureRow] = {}
    checks: dict[tuple[str, str | None], list[Sequence[int | None]]] = defaultdict(list)
    for adm in sorted(administrations, key=lambda m: (m.administered_on, m.created_at)):
        episode = adm.episode_id or episode_on(episodes, adm.administered_on)
        inst = resolve_instrument(adm.instrument, extra)
        if inst is None:
            rows.append(MeasureRow(adm, None, None, episode, note=f"unknown instrument '{adm.instrument}'"))
            continue
        try:
            result = with_prompts(score(inst, adm.answers, adm.functional))
        except InvalidInput as exc:
            rows.append(MeasureRow(adm, inst, None, episode, note=f"cannot be scored: {exc}"))
            continue
        key = (inst.id, episode)
        row = MeasureRow(adm, inst, result, episode)
        if inst.kind is Kind.ALLIANCE:
            before = previous.get(key)
            check = alliance_check(adm.answers, before.administration.answers if before else None,
                                   earlier=checks[key], instrument=inst)
            checks[key].append(adm.answers)
            row = replace(row, alliance=check, note="" if before else "first alliance check this episode")
        elif result.total is None:
            row = replace(row, note="not scored: too many items unanswered")
        elif key not in firsts:
            row = replace(row, note="baseline for this episode of care", is_baseline=True)
        else:
            base = firsts[key]
            assert base.score is not None and base.score.total is not None
            try:
                change = classify_change(inst, base.score.total, result.total)
                row = replace(row, baseline=base.administration, change=change)
            except InvalidInput as exc:
                row = replace(row, baseline=base.administration, note=str(exc))
        if result.total is not None:
            firsts.setdefault(key, row)
        previous[key] = row
        rows.append(row)
    return rows



def by_instrument(rows: Iterable[MeasureRow]) -> dict[str, list[MeasureRow]]:
    grouped: dict[str, list[MeasureRow]] = defaultdict(list)
    for row in rows:
        grouped[row.instrument.id if row.instrument else row.administration.instrument].append(row)
    return dict(grouped)


def totals(rows: Iterable[MeasureRow]) -> list[tuple[date, int]]:
    return [(r.administration.administered_on, r.score.total) for r in rows
            if r.score is not None and r.score.total is not None]


def current_episode(episodes: Sequence[Episode]) -> tuple[bool, str | None]:
    """(in care, episode id): a client whose episodes are all closed is out of care and gets no flags."""
    if not episodes:
        return True, None
    open_ = sorted((e for e in episodes if e.is_open), key=lambda e: e.opened_on)
    return (True, open_[-1].id) if open_ else (False, None)



# -- flags for the client list and the overview -----------------------------------------------------------


@dataclass(frozen=True)
class SeriesStanding:
    """One outcome questionnaire's series in the current episode, as far as its flags do not depend on
    the date: its totals, and its deterioration or 'not on track' flag (`_progress_flags`)."""

    instrument: str  # the instrument's id (looked up again for the week-12 rule)
    scores: tuple[tuple[date, int], ...]
    progress: tuple[Flag, ...] = ()  # deterioration, else not on track (sources as shown)
    judged: bool = True  # False: no reliable-change rule or a score out of range, so no progress flags
    elevated: bool = True  # ever at caseness this episode: only then the week-12 flag applies


@dataclass(frozen=True)
class Standing:
    """What a client's scored history says whatever the date: `flags_at` adds the date's flags."""

    in_care: bool = True
    fixed: tuple[Flag, ...] = ()  # risk loop, latest scores' and alliance flags, in the order found
    series: tuple[SeriesStanding, ...] = ()  # outcome questionnaires with a total, in the order found
    baseline: date | None = None  # the earliest outcome baseline this episode (the 12-week review)


def standing(rows: Sequence[MeasureRow], episodes: Sequence[Episode], notes: Sequence[SessionNote] = (),
             safety_plans: Sequence[SafetyPlan] = ()) -> Standing:
    """Pure: the date-independent part of `flags_for`, from the latest administrations of the current
    episode and the risk loop's inputs (risk recorded in signed notes, the safety plan it calls for)."""
    in_care, current = current_episode(episodes)
    if not in_care:
        return Standing(in_care=False)
    flags: list[Flag] = _risk_loop(rows, current, notes, safety_plans) if notes or rows else []
    found: list[SeriesStanding] = []
    baseline: date | None = None
    mine = (r for r in rows if r.episode_id == current and r.instrument is not None)
    for group in by_instrument(mine).values():
        inst, latest = group[-1].instrument, group[-1]
        assert inst is not None
        when = latest.administration.administered_on.isoformat()
        if latest.score is None and inst.critical_items:
            flags.append(Flag(FlagKind.UNKNOWN_RISK, f"{inst.name} on {when} cannot be read ({latest.note}), "
                              "so risk is unknown: ask directly and record a risk assessment.",
                              "The latest administration decides", inst.critical_items[0].source))
        elif latest.score is not None:
            flags += [replace(f, message=f"{inst.name} on {when}: {f.message}") for f in latest.score.flags]
        if latest.alliance is not None:
            flags += latest.alliance.flags
        scores = totals(group)
        if inst.kind is Kind.OUTCOME and scores:
            baseline = min(baseline or scores[0][0], scores[0][0])
            found.append(_series(inst, scores))
    return Standing(True, tuple(flags), tuple(found), baseline)


def _series(inst: Instrument, scores: list[tuple[date, int]]) -> SeriesStanding:
    """Deterioration flags at once, whatever the questionnaire; 'not on track' (and, by date, 'no
    reliable improvement by week 12') only for a questionnaire that was ever at caseness this episode."""
    try:
        worse = deterioration(inst, scores)
        track = trajectory(inst, scores).flag
    except InvalidInput:  # no reliable-change rule, or a score outside the range: nothing to judge by
        return SeriesStanding(inst.id, tuple(scores), judged=False)
    if not ever_elevated(inst, scores):
        return SeriesStanding(inst.id, tuple(scores), (worse,) if worse else (), elevated=False)
    # A reliable worsening already says more than 'not on track'; the week-12 flag asks for a decision.
    found = [worse] if worse else ([track] if track else [])
    return SeriesStanding(inst.id, tuple(scores), tuple(_elevated_source(inst, f) for f in found))


def _elevated_source(inst: Instrument, flag: Flag) -> Flag:
    if flag.kind is FlagKind.DETERIORATION:
        return flag
    return replace(flag, source=f"{flag.source} {elevated_rule(inst)}: {alert_rules().elevated_only.source}")


def flags_at(found: Standing, plans: Sequence[TreatmentPlan], on: date, extra: Iterable[Instrument] = ()
             ) -> list[Flag]:
    """Pure: one client's measure flags on `on`, from its standing and its plans (their reviews and
    review dates): the standing's flags with those that depend on the date."""
    if not found.in_care:
        return []
    flags = list(found.fixed)
    reviewed = [r.review_date for p in plans for r in p.reviews]
    extra = tuple(extra)
    for series in found.series:
        flags += _progress_on(series, on, reviewed, extra)
    if found.baseline is not None:
        active = [p for p in plans if p.status is PlanStatus.ACTIVE and p.review_due is not None]
        activated = [p.effective_date for p in plans if p.effective_date and p.status is not PlanStatus.DRAFT]
        status = review_due(found.baseline, on, [p.review_due for p in active if p.review_due],
                            [*reviewed, *activated])
        if status.flag is not None:
            flags.append(status.flag)
    # Each kind comes from one rule, so sorting by kind gives the order the rules were applied in.
    return sorted(flags, key=lambda f: _KIND_ORDER[f.kind])


_KIND_ORDER = {kind: n for n, kind in enumerate(FlagKind)}


def _progress_on(series: SeriesStanding, on: date, reviewed: Sequence[date], extra: tuple[Instrument, ...]
                 ) -> list[Flag]:
    inst = resolve_instrument(series.instrument, extra)
    if not series.judged or inst is None:
        return []
    try:
        late = no_reliable_improvement(inst, series.scores, on, reviewed)
    except InvalidInput:  # as deterioration would have: nothing to judge by
        return []
    if not series.elevated or late is None:
        return list(series.progress)
    return [*series.progress, _elevated_source(inst, late)]


def flags_for(rows: Sequence[MeasureRow], episodes: Sequence[Episode], plans: Sequence[TreatmentPlan],
              on: date, notes: Sequence[SessionNote] = (), safety_plans: Sequence[SafetyPlan] = (),
              extra: Iterable[Instrument] = ()) -> list[Flag]:
    """Pure: one client's measure flags from the latest administrations of the current episode, and the
    risk loop's (risk recorded in signed notes, the safety plan it calls for: measures.risk_loop)."""
    known = {r.instrument.id: r.instrument for r in rows if r.instrument is not None}
    return flags_at(standing(rows, episodes, notes, safety_plans), plans, on, (*extra, *known.values()))


def _risk_loop(rows: Sequence[MeasureRow], current: str | None, notes: Sequence[SessionNote],
               safety_plans: Sequence[SafetyPlan]) -> list[Flag]:
    """The risk loop over the current episode (every note and administration when there are no episodes)."""
    mine = [n for n in notes if current is None or n.episode_id == current]
    items = [(r.administration.administered_on, r.instrument.name, f) for r in rows
             if r.episode_id == current and r.instrument is not None and r.score is not None
             for f in r.score.flags]
    return risk_loop_flags(mine, items, safety_plans)
