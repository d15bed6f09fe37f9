"""What the client list's flags are computed from, per client: a small summary kept sealed in the vault
(storage/summaries.py) so that the list's flags need no decryption of the whole practice.

The summary holds the flags' *inputs*, not the flags: most flags depend on today's date (a review
falls due, homework becomes overdue, a draft becomes late, a measure is not on track at 4 weeks), so
they are computed from it each time, by the same rules as from the full records
(services/overview.py). Of the notes it keeps only what the flags read, and only of the notes they
can concern: the newest one (risk noted) and the drafts (unsigned notes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from notesdesk.core.domain.care import Checkin, Homework, MeasureAdministration
from notesdesk.core.domain.clients import Episode
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.domain.plans import TreatmentPlan


@dataclass(frozen=True)
class NoteMark:
    """What the flags read of a note."""

    id: str
    client_id: str
    session_date: date
    created_at: datetime
    is_signed: bool
    risk_noted: bool  # the note's "risk noted" field says something

    @property
    def order(self) -> tuple[date, datetime, str]:
        """Newest last; the id decides between two notes made in the same instant."""
        return (self.session_date, self.created_at, self.id)


def note_mark(note: SessionNote) -> NoteMark:
    return NoteMark(note.id, note.client_id, note.session_date, note.created_at, note.is_signed,
                    bool(note.risk_noted.strip()))


def flag_notes(notes: Iterable[NoteMark]) -> tuple[NoteMark, ...]:
    """The notes the flags can concern: every draft, and the newest note (signed or not), oldest
    first. The flags computed from these are those computed from all the notes."""
    marks = list(notes)
    newest = max(marks, key=lambda m: m.order, default=None)
    kept = {m.id: m for m in marks if not m.is_signed}
    if newest is not None:
        kept[newest.id] = newest
    return tuple(sorted(kept.values(), key=lambda m: m.order))


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
    )


def slim_homework(item: Homework) -> Homework:
    """Homework as far as the flags read it (overdue or not): its dates, recurrence, whether it is
    active, and of its check-ins only the latest one's date — none of its text."""
    latest = max(item.checkins, key=lambda c: c.checkin_date, default=None)
    kept = () if latest is None else (Checkin(latest.checkin_date, latest.status, id=latest.id),)
    return replace(item, description="", rationale="", goal_id=None, objective_id=None,
                   assigned_in_note=None, checkins=kept)


def slim_measure(measure: MeasureAdministration) -> MeasureAdministration:
    """A questionnaire as the flags read it: its answers and dates, not its comment or note link."""
    return replace(measure, comment="", note_id=None)


@dataclass(frozen=True)
class ClientSummary:
    """One client's flag inputs. `id` is the client's id (one summary per client)."""

    id: str
    notes: tuple[NoteMark, ...] = ()  # flag_notes() of the client's notes
    plans: tuple[TreatmentPlan, ...] = ()  # slim_plan() of each plan
    homework: tuple[Homework, ...] = ()  # slim_homework() of each
    measures: tuple[MeasureAdministration, ...] = ()  # slim_measure() of each
    episodes: tuple[Episode, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.notes or self.plans or self.homework or self.measures or self.episodes)


def summarise(
    client_id: str,
    notes: Iterable[SessionNote],
    plans: Iterable[TreatmentPlan],
    homework: Iterable[Homework],
    measures: Iterable[MeasureAdministration],
    episodes: Iterable[Episode],
) -> ClientSummary:
    """Pure: one client's summary from its records (every row given must be the client's), each
    kept in the order given — the order they are stored in — because the rules break ties by it
    (two questionnaires given in the same instant keep their order in the flags)."""
    return ClientSummary(
        id=client_id,
        notes=flag_notes(note_mark(n) for n in notes),
        plans=tuple(slim_plan(p) for p in plans),
        homework=tuple(slim_homework(h) for h in homework),
        measures=tuple(slim_measure(m) for m in measures),
        episodes=tuple(episodes),
    )


def summaries_from(
    notes: Iterable[SessionNote],
    plans: Iterable[TreatmentPlan],
    homework: Iterable[Homework],
    measures: Iterable[MeasureAdministration],
    episodes: Iterable[Episode],
) -> dict[str, ClientSummary]:
    """Pure: every client's summary from the whole practice's records, by client id. A client with
    no flag inputs has none (and none is stored for it)."""
    notes_of: dict[str, list[SessionNote]] = defaultdict(list)
    plans_of: dict[str, list[TreatmentPlan]] = defaultdict(list)
    homework_of: dict[str, list[Homework]] = defaultdict(list)
    measures_of: dict[str, list[MeasureAdministration]] = defaultdict(list)
    episodes_of: dict[str, list[Episode]] = defaultdict(list)
    for note in notes:
        notes_of[note.client_id].append(note)
    for plan in plans:
        plans_of[plan.client_id].append(plan)
    for item in homework:
        homework_of[item.client_id].append(item)
    for measure in measures:
        measures_of[measure.client_id].append(measure)
    for episode in episodes:
        episodes_of[episode.client_id].append(episode)
    ids = {*notes_of, *plans_of, *homework_of, *measures_of, *episodes_of}
    return {
        cid: summarise(
            cid, notes_of[cid], plans_of[cid], homework_of[cid], measures_of[cid], episodes_of[cid]
        )
        for cid in sorted(ids)
    }
