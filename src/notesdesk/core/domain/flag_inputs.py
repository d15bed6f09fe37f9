"""What the client list's flags are computed from, per client: a small summary kept sealed in the vault
(storage/summaries.py) so that the list's flags need no decryption of the whole practice.

The summary holds the flags' *inputs*, not the flags: most flags depend on today's date (a review
falls due, homework becomes overdue, a draft becomes late, a measure is not on track at 4 weeks), so
they are computed from it each time, by the same rules as from the full records
(services/overview.py). Of the notes it keeps only what the flags read, and only of the notes they
can concern: the newest one and the drafts (unsigned notes); and, for the risk loop, the signed
notes that record a risk level (without their text) and the current safety plan's version and review.

Summary format 3 (summary_mark.py) adds the scored history's *standing* (measures/history.py): what the
questionnaires, the risk notes and the safety plan say whatever the date, scored when the summary is
written, so that the list scores no questionnaire at unlock; only the date's rules run then. It is
kept with what it was scored under (`scoring_basis`: the shipped instruments and rules, the
practitioner's own instruments, `STANDING_RULES`); a standing scored under anything else is never
used, the summary's own inputs are scored again instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache, lru_cache

import msgspec

from notesdesk.core.domain.care import Checkin, Homework, MeasureAdministration, SafetyPlan
from notesdesk.core.domain.clients import Episode
from notesdesk.core.domain.common import by_client
from notesdesk.core.domain.notes import RiskAssessment, SessionNote
from notesdesk.core.domain.plans import TreatmentPlan
from notesdesk.core.measures.alert_rules import alert_rules
from notesdesk.core.measures.history import Standing, history_rows, standing
from notesdesk.core.measures.library import builtin_instruments
from notesdesk.core.measures.model import Instrument

# Part of what a standing is scored under: change it whenever the code of a rule that `standing`
# applies changes (the instrument and rule files are covered by their content).
STANDING_RULES = "standing/1"


@dataclass(frozen=True)
class NoteMark:
    """What the flags read of a note."""

    id: str
    client_id: str
    session_date: date
    created_at: datetime
    is_signed: bool

    @property
    def order(self) -> tuple[date, datetime, str]:
        """Newest last; the id decides between two notes made in the same instant."""
        return (self.session_date, self.created_at, self.id)


def note_mark(note: SessionNote) -> NoteMark:
    return NoteMark(note.id, note.client_id, note.session_date, note.created_at, note.is_signed)


def flag_notes(notes: Iterable[NoteMark]) -> tuple[NoteMark, ...]:
    """The notes the flags can concern: every draft, and the newest note (signed or not), oldest
    first. The flags computed from these are those computed from all the notes."""
    marks = list(notes)
    newest = max(marks, key=lambda m: m.order, default=None)
    kept = {m.id: m for m in marks if not m.is_signed}
    if newest is not None:
        kept[newest.id] = newest
    return tuple(sorted(kept.values(), key=lambda m: m.order))


def risk_notes(notes: Iterable[SessionNote]) -> tuple[SessionNote, ...]:
    """The signed notes that record a risk level (measures/risk_loop.py reads these), as far as the
    flags read them: when, which episode, signed, the level; none of the text."""
    return tuple(
        replace(n, sections=(), objectives_addressed=(), interventions=(), homework_reviewed=(),
                homework_assigned=(), risk_noted="", maintenance_plan=None, template_name="",
                risk=RiskAssessment(n.risk.level))
        for n in notes if n.is_signed and n.risk is not None
    )


def slim_safety_plan(plans: Iterable[SafetyPlan]) -> tuple[SafetyPlan, ...]:
    """The current version of the safety plan (the risk loop reads its version and review date),
    none of its text; empty when there is none."""
    current = max(plans, key=lambda p: p.version, default=None)
    if current is None:
        return ()
    return (SafetyPlan(current.client_id, current.id, current.version, last_reviewed=current.last_reviewed,
                       created_at=current.created_at),)


def slim_plan(plan: TreatmentPlan) -> TreatmentPlan:
    """A plan as far as the flags read it: its status, dates and reviews' dates, none of its text."""
    return replace(
        plan,
        diagnoses=(),
        strengths="",
        service_type="",
        frequency="",
        expected_duration="",
        discharge_criteria="",
        client_agreement_how="",
        problems=(),
        reviews=tuple(replace(r, summary="") for r in plan.reviews),
        signature=None,
    )


def slim_homework(item: Homework) -> Homework:
    """Homework as far as the flags read it (overdue or not): its dates, recurrence, whether it is
    active, and of its check-ins only the latest one's date — none of its text."""
    latest = max(item.checkins, key=lambda c: c.checkin_date, default=None)
    kept = () if latest is None else (Checkin(latest.checkin_date, latest.status, id=latest.id),)
    return replace(item, description="", rationale="", goal_id=None, objective_id=None,
                   assigned_in_note=None, checkins=kept)


def flag_homework(items: Iterable[Homework]) -> tuple[Homework, ...]:
    """The homework the flags can concern: the active items (only they can be overdue), slimmed. Most
    of a long-seen client's homework is done with; the summary need not carry it."""
    return tuple(slim_homework(h) for h in items if h.active)


@dataclass(frozen=True)
class ClientSummary:
    """One client's flag inputs. `id` is the client's id (one summary per client)."""

    id: str
    notes: tuple[NoteMark, ...] = ()  # flag_notes() of the client's notes
    plans: tuple[TreatmentPlan, ...] = ()  # slim_plan() of each plan
    homework: tuple[Homework, ...] = ()  # flag_homework(): the active ones
    episodes: tuple[Episode, ...] = ()
    risk_notes: tuple[SessionNote, ...] = ()  # risk_notes() of the client's notes
    safety_plans: tuple[SafetyPlan, ...] = ()  # slim_safety_plan(): the current version, if any
    # Format 3: measures.history.standing() of the client's questionnaires (which the summary does not
    # keep: only a change to them, or to the episodes, risk notes or safety plan, scores them again)
    # and the above (None: no questionnaire and no risk note), and the scoring_basis() it was
    # computed under ("" in a summary written before format 3).
    standing: Standing | None = None
    scored_under: str = ""

    @property
    def empty(self) -> bool:
        return not (self.notes or self.plans or self.homework or self.standing or self.episodes
                    or self.safety_plans)


def summarise(
    client_id: str,
    notes: Iterable[SessionNote],
    plans: Iterable[TreatmentPlan],
    homework: Iterable[Homework],
    measures: Iterable[MeasureAdministration],
    episodes: Iterable[Episode],
    safety_plans: Iterable[SafetyPlan] = (),
    extra: Iterable[Instrument] = (),
) -> ClientSummary:
    """Pure: one client's summary from its records (every row given must be the client's), each
    kept in the order given — the order they are stored in — because the rules break ties by it
    (two questionnaires given in the same instant keep their order in the flags), scored with the
    built-in instruments and `extra`, the practitioner's own."""
    notes = list(notes)
    return scored(ClientSummary(
        id=client_id,
        notes=flag_notes(note_mark(n) for n in notes),
        plans=tuple(slim_plan(p) for p in plans),
        homework=flag_homework(homework),
        episodes=tuple(episodes),
        risk_notes=risk_notes(notes),
        safety_plans=slim_safety_plan(safety_plans),
    ), measures, extra)


def summaries_from(
    notes: Iterable[SessionNote],
    plans: Iterable[TreatmentPlan],
    homework: Iterable[Homework],
    measures: Iterable[MeasureAdministration],
    episodes: Iterable[Episode],
    safety_plans: Iterable[SafetyPlan] = (),
    extra: Iterable[Instrument] = (),
) -> dict[str, ClientSummary]:
    """Pure: every client's summary from the whole practice's records, by client id. A client with
    no flag inputs has none (and none is stored for it): nor has one whose inputs are all done with
    (homework no longer active)."""
    notes_of, plans_of, homework_of = by_client(notes), by_client(plans), by_client(homework)
    measures_of, episodes_of, safety_of = by_client(measures), by_client(episodes), by_client(safety_plans)
    ids = {*notes_of, *plans_of, *homework_of, *measures_of, *episodes_of, *safety_of}
    extra = tuple(extra)
    made = (summarise(cid, notes_of[cid], plans_of[cid], homework_of[cid], measures_of[cid], episodes_of[cid],
                      safety_of[cid], extra) for cid in sorted(ids))
    return {summary.id: summary for summary in made if not summary.empty}


@cache
def _shipped() -> bytes:
    """The built-in instruments and the alert rules as data, once per process."""
    return msgspec.json.encode((STANDING_RULES, builtin_instruments(), alert_rules()))


@lru_cache(maxsize=8)
def _basis(extra: tuple[Instrument, ...]) -> str:
    return hashlib.sha256(_shipped() + msgspec.json.encode(extra)).hexdigest()


def scoring_basis(extra: Iterable[Instrument] = ()) -> str:
    """What a standing scored now would be scored under: a digest of the rules and instruments."""
    return _basis(tuple(extra))


def scored(summary: ClientSummary, measures: Iterable[MeasureAdministration],
           extra: Iterable[Instrument] = ()) -> ClientSummary:
    """Pure: `summary` with its standing scored now, from the client's questionnaires (`measures`, as
    stored: the rules break ties by that order) and the summary's own episodes, risk notes and
    safety plan."""
    extra, measures = tuple(extra), tuple(measures)
    found = None
    if measures or summary.risk_notes:  # the list scores no client without either
        found = standing(history_rows(measures, summary.episodes, extra), summary.episodes,
                         summary.risk_notes, summary.safety_plans)
    return replace(summary, standing=found, scored_under=scoring_basis(extra))


def same_scoring_inputs(one: ClientSummary, other: ClientSummary) -> bool:
    """True when the standing of `one` is that of `other`, scored under the same basis and from the
    same questionnaires (which the summaries do not hold: the caller knows whether they changed)."""
    return (one.episodes == other.episodes and one.risk_notes == other.risk_notes
            and one.safety_plans == other.safety_plans)


def agree(stored: ClientSummary, recomputed: ClientSummary) -> bool:
    """`verify`'s comparison: equal, except that a standing scored under another basis (an older
    release's rules) is not compared — it is never used (the inputs are scored again instead)."""
    if stored.scored_under != recomputed.scored_under:
        stored = replace(stored, standing=None, scored_under="")
        recomputed = replace(recomputed, standing=None, scored_under="")
    return stored == recomputed
