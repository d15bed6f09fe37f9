"""Is the client on track, and is a review due? Plain rules over a list of (date, total) for one episode.

The caller passes the scores of one episode of care only: the first score is the baseline, and baselines
reset when a new episode opens (docs/clinical-sources.md, episodes of care).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures.alert_rules import alert_rules
from notesdesk.core.measures.change import ChangeLabel, classify_change
from notesdesk.core.measures.library import InstrumentRef, get_instrument
from notesdesk.core.measures.model import Flag, FlagKind, Instrument

# The early checkpoint comes from the rules file (rules/alerts.json, 'early_change') with its source.
CHECKPOINT_WEEKS = alert_rules().early_change.weeks
CHECKPOINT_SESSIONS = alert_rules().early_change.sessions or CHECKPOINT_WEEKS
REVIEW_WEEKS = 12
TRAJECTORY_SOURCE = alert_rules().early_change.source
REVIEW_SOURCE = ("NotesDesk's own default: an outcome review 12 weeks after baseline and on each plan "
                 "review date (many payers expect a treatment plan review about every 90 days). "
                 "Not a published algorithm.")

Scores = Sequence[tuple[date, int]]


class TrackStatus(StrEnum):
    TOO_EARLY = "too early to tell"
    ON_TRACK = "on track"
    NOT_ON_TRACK = "not on track"


@dataclass(frozen=True)
class Trajectory:
    status: TrackStatus
    baseline: tuple[date, int] | None
    latest: tuple[date, int] | None
    checkpoint: date | None  # date of the first score that reached 4 weeks or 4 sessions
    trigger: str  # which of the two triggers was reached first, or what is still awaited
    rule: str
    source: str
    flag: Flag | None


def _ordered(scores: Scores) -> list[tuple[date, int]]:
    # Stable sort: two scores on one day keep the order they were entered in.
    return sorted(scores, key=lambda s: s[0])


def trajectory(instrument: InstrumentRef, scores: Scores, *, weeks: int = CHECKPOINT_WEEKS,
               sessions: int = CHECKPOINT_SESSIONS, extra: Iterable[Instrument] = ()) -> Trajectory:
    """'Not on track' once `weeks` weeks or `sessions` administrations after baseline (whichever comes first)
    the latest score shows less than the instrument's minimal change on baseline (any improvement when it
    sets none), or reliable deterioration.

    Each administration counts as a session: in measurement-based care the measure is given every session.
    """
    inst = get_instrument(instrument, extra)
    minimal = inst.change.minimal_change
    expected = (f"an improvement of at least {minimal:g} points (minimal change)" if minimal is not None
                else "some improvement (no minimal change is set for this instrument)")
    rule = (f"Not on track if, {weeks} weeks or {sessions} sessions after baseline, the latest {inst.name} "
            f"does not show {expected} on baseline, or shows reliable deterioration")
    source = TRAJECTORY_SOURCE + (f" Minimal change: {inst.change.minimal_change_source}" if minimal else "")
    ordered = _ordered(scores)
    if not ordered:
        return Trajectory(TrackStatus.TOO_EARLY, None, None, None, "no baseline yet", rule, source, None)
    baseline, latest = ordered[0], ordered[-1]
    due_by_date = baseline[0] + timedelta(weeks=weeks)
    checkpoint: tuple[date, str] | None = None
    for n, (when, _total) in enumerate(ordered[1:], start=1):
        if when >= due_by_date:
            checkpoint = (when, f"{weeks} weeks after baseline")
            break
        if n >= sessions:
            checkpoint = (when, f"{sessions} sessions after baseline")
            break
    if checkpoint is None:
        awaiting = (f"awaiting a score on or after {due_by_date.isoformat()} or {sessions} sessions "
                    "after baseline")
        return Trajectory(TrackStatus.TOO_EARLY, baseline, latest, None, awaiting, rule, source, None)

    change = classify_change(inst, baseline[1], latest[1])
    if change.label is ChangeLabel.RELIABLY_DETERIORATED:
        why = f"reliable deterioration ({change.rule})"
    elif change.improvement <= 0:
        why = f"no improvement: latest {latest[1]} vs baseline {baseline[1]}"
    elif minimal is not None and change.improvement < minimal:
        why = (f"less than the minimal change: latest {latest[1]} vs baseline {baseline[1]}, "
               f"{change.improvement} point(s) better where {minimal:g} are expected by now")
    else:
        return Trajectory(TrackStatus.ON_TRACK, baseline, latest, checkpoint[0], checkpoint[1], rule,
                          source, None)
    flag = Flag(FlagKind.NOT_ON_TRACK, f"{inst.name}: not on track — {why}. Consider discussing progress "
                "and the plan with the client.", rule=rule, source=source)
    return Trajectory(TrackStatus.NOT_ON_TRACK, baseline, latest, checkpoint[0], checkpoint[1], rule,
                      source, flag)


@dataclass(frozen=True)
class ReviewStatus:
    due: bool
    due_on: date | None  # earliest outstanding review, or else the next one coming
    reasons: tuple[str, ...]  # one line per outstanding trigger
    rule: str
    source: str
    flag: Flag | None


def review_due(baseline: date, today: date, plan_review_dates: Iterable[date] = (),
               reviewed_on: Iterable[date] = (), *, weeks: int = REVIEW_WEEKS) -> ReviewStatus:
    """A review falls due 12 weeks after baseline and on each plan review date; it stays due until a review
    is recorded on or after that date, because a missed review should not quietly disappear."""
    if weeks <= 0:
        raise InvalidInput("the review interval must be at least one week")
    rule = f"Review due {weeks} weeks after baseline and on each plan review date, until a review is recorded"
    triggers = sorted({(baseline + timedelta(weeks=weeks), f"{weeks} weeks after baseline")}
                      | {(d, "plan review date") for d in plan_review_dates})
    reviews = sorted(reviewed_on)
    outstanding = [(d, why) for d, why in triggers
                   if d <= today and not any(r >= d for r in reviews)]
    if outstanding:
        reasons = tuple(f"{why} ({d.isoformat()})" for d, why in outstanding)
        flag = Flag(FlagKind.REVIEW_DUE, f"Outcome review due since {outstanding[0][0].isoformat()}: "
                    + "; ".join(reasons), rule=rule, source=REVIEW_SOURCE)
        return ReviewStatus(True, outstanding[0][0], reasons, rule, REVIEW_SOURCE, flag)
    upcoming = [d for d, _ in triggers if d > today]
    return ReviewStatus(False, min(upcoming) if upcoming else None, (), rule, REVIEW_SOURCE, None)
