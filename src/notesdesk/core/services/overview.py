"""What the client list shows beside each name: review due, homework overdue, unsigned notes, and the
measure and risk-loop flags (risk item endorsed or unanswered, risk recorded in a signed note, no safety
plan or none reviewed since, deteriorating, not on track, no reliable improvement by week 12, alliance drop
or slow decline). The rules are in services.measures.flags_for and measures.risk_loop.

Everything is read in one unit of work with bulk reads (one query per table, never one per client),
then grouped in memory: sorting and filtering happen after decryption (docs/design-notes.md §3).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from notesdesk.core.domain.care import Homework, MeasureAdministration, SafetyPlan
from notesdesk.core.domain.clients import Episode
from notesdesk.core.domain.common import by_client, today
from notesdesk.core.domain.flag_inputs import ClientSummary, NoteMark, note_mark
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.domain.plans import PlanStatus, TreatmentPlan
from notesdesk.core.measures import Flag, FlagKind, Instrument
from notesdesk.core.measures.history import flags_at
from notesdesk.core.search.index import SearchIndex
from notesdesk.core.services.care import overdue
from notesdesk.core.services.consent import PaperworkFlag, flags_for_clients
from notesdesk.core.services.measures import flags_for, history_rows, stored_instruments
from notesdesk.core.services.plans import read_plans
from notesdesk.core.storage import summaries
from notesdesk.core.storage.uow import UnitOfWork

# Our default, not a rule from any standard: a draft still unsigned this many days after its session is
# flagged (many practices aim to finish notes within 24-72 hours of the session).
UNSIGNED_AFTER_DAYS = 3

# Shown first, before the record-keeping flags: what concerns the client's safety.
SAFETY_KINDS = frozenset({FlagKind.RISK, FlagKind.UNKNOWN_RISK, FlagKind.RISK_RECORDED,
                          FlagKind.NO_SAFETY_PLAN, FlagKind.SAFETY_PLAN_NOT_REVIEWED})
# The flags that the safety plan's "Mark reviewed" answers: one click from the flag to the plan.
SAFETY_PLAN_KINDS = frozenset({FlagKind.NO_SAFETY_PLAN, FlagKind.SAFETY_PLAN_NOT_REVIEWED})

# Measure flags worth a word in the client list, in the order shown; the overview shows them all.
LIST_MEASURE_FLAGS = {
    FlagKind.RISK: "risk item endorsed",
    FlagKind.UNKNOWN_RISK: "risk item unanswered",
    FlagKind.RISK_RECORDED: "risk recorded",
    FlagKind.NO_SAFETY_PLAN: "no safety plan",
    FlagKind.SAFETY_PLAN_NOT_REVIEWED: "safety plan not reviewed",
    FlagKind.DETERIORATION: "deteriorating",
    FlagKind.NOT_ON_TRACK: "not on track",
    FlagKind.NO_RELIABLE_IMPROVEMENT: "no reliable improvement",
    FlagKind.ALLIANCE_DROP: "alliance drop",
    FlagKind.ALLIANCE_DECLINE: "alliance decline",
}


@dataclass(frozen=True)
class ClientFlags:
    """Flags for one client. Words, not colours: they are read aloud by screen readers too."""

    review_due_on: date | None = None  # set when the active plan's review is due or past
    homework_overdue: int = 0
    measure_flags: tuple[Flag, ...] = ()  # only the kinds in LIST_MEASURE_FLAGS, in that order
    unsigned_notes: int = 0  # drafts still unsigned UNSIGNED_AFTER_DAYS or more after their session
    oldest_unsigned_on: date | None = None  # the session date of the oldest of them
    # Consent and releases (services/consent.py, rules/paperwork.json): a release expired, no consent.
    paperwork_flags: tuple[PaperworkFlag, ...] = ()

    @property
    def review_due(self) -> bool:
        return self.review_due_on is not None

    @property
    def risk_noted(self) -> bool:
        """A signed note records risk at a flagged level (never inferred from a note's text)."""
        return any(f.kind is FlagKind.RISK_RECORDED for f in self.measure_flags)

    @property
    def safety_plan_due(self) -> bool:
        """No safety plan on file, or not reviewed since the latest risk event."""
        return any(f.kind in SAFETY_PLAN_KINDS for f in self.measure_flags)

    @property
    def any(self) -> bool:
        return (self.review_due or self.homework_overdue > 0 or self.unsigned_notes > 0
                or bool(self.measure_flags) or bool(self.paperwork_flags))

    def measure_labels(self) -> list[str]:
        return list(dict.fromkeys(LIST_MEASURE_FLAGS[f.kind] for f in self.measure_flags))

    def labels(self) -> list[str]:
        out = []
        risk = [LIST_MEASURE_FLAGS[f.kind] for f in self.measure_flags if f.kind in SAFETY_KINDS]
        out += list(dict.fromkeys(risk))
        if self.review_due:
            out.append("plan review due")
        if self.homework_overdue:
            out.append(
                "homework overdue"
                if self.homework_overdue == 1
                else f"{self.homework_overdue} homework overdue"
            )
        if self.unsigned_notes:
            out.append(plural_words(self.unsigned_notes, "unsigned note", "unsigned notes"))
        out += list(dict.fromkeys(f.label for f in self.paperwork_flags))
        return out + [label for label in self.measure_labels() if label not in risk]


def plural_words(count: int, one: str, many: str) -> str:
    return one if count == 1 else f"{count} {many}"


def late_drafts[N: (SessionNote, NoteMark)](notes: Iterable[N], on: date, days: int = UNSIGNED_AFTER_DAYS
                                            ) -> list[N]:
    """Drafts whose session was `days` or more days before `on`, oldest session first. A draft for a
    session today or in the last few days is work in progress, not yet something to flag."""
    cutoff = on - timedelta(days=days)
    late = [n for n in notes if not n.is_signed and n.session_date <= cutoff]
    return sorted(late, key=lambda n: (n.session_date, n.created_at, n.id))


def unsigned_notes(uow: UnitOfWork, client_id: str) -> list[SessionNote]:
    """The client's drafts (unsigned notes), oldest session first. Only drafts are read and decrypted:
    whether a note is signed is stored in clear."""
    with uow:
        drafts = uow.notes.where(client_id=client_id, signed=0)
    return sorted(drafts, key=lambda n: (n.session_date, n.created_at))


NO_FLAGS = ClientFlags()
FEW_CLIENTS = 3  # up to this many ids, read by client; beyond, one bulk read per table


def list_measure_flags(
    measures: Iterable[MeasureAdministration],
    episodes: Iterable[Episode],
    plans: Iterable[TreatmentPlan],
    on: date,
    instruments: Iterable[Instrument] = (),
    notes: Iterable[SessionNote] = (),
    safety_plans: Iterable[SafetyPlan] = (),
) -> dict[str, tuple[Flag, ...]]:
    """Pure: each client's measure and risk-loop flags (services.measures rules) that the client list
    shows. Only signed notes are passed on: a draft never raises or clears a flag."""
    given, eps, pls = by_client(measures), by_client(episodes), by_client(plans)
    signed, safety = by_client(n for n in notes if n.is_signed), by_client(safety_plans)
    extra = tuple(instruments)
    order = list(LIST_MEASURE_FLAGS)
    out: dict[str, tuple[Flag, ...]] = {}
    for cid in {*given, *signed}:
        if eps[cid] and not any(e.is_open for e in eps[cid]):
            continue  # out of care: no flags (flags_for), so nothing to score
        found = flags_for(history_rows(given[cid], eps[cid], extra), eps[cid], pls[cid], on, signed[cid],
                          safety[cid])
        shown = sorted((f for f in found if f.kind in LIST_MEASURE_FLAGS), key=lambda f: order.index(f.kind))
        if shown:
            out[cid] = tuple(shown)
    return out


def summary_measure_flags(found: Iterable[ClientSummary], on: date, instruments: Iterable[Instrument] = ()
                          ) -> dict[str, tuple[Flag, ...]]:
    """Pure: `list_measure_flags` from the client summaries: each client's standing (its
    questionnaires scored when the summary was written; summaries.with_current_standing) with the
    date's rules applied, so that no questionnaire is scored here."""
    instruments = tuple(instruments)
    order = {kind: n for n, kind in enumerate(LIST_MEASURE_FLAGS)}
    out: dict[str, tuple[Flag, ...]] = {}
    for summary in found:
        if summary.standing is None:
            continue
        shown = sorted((f for f in flags_at(summary.standing, summary.plans, on, instruments)
                        if f.kind in order), key=lambda f: order[f.kind])
        if shown:
            out[summary.id] = tuple(shown)
    return out


def flags_from(
    plans: Iterable[TreatmentPlan],
    homework: Iterable[Homework],
    notes: Iterable[SessionNote | NoteMark],
    on: date,
    client_ids: Iterable[str] | None = None,
    measure_flags: Mapping[str, tuple[Flag, ...]] | None = None,
) -> dict[str, ClientFlags]:
    """Pure part of `client_flags`: group already-loaded records by client and compute flags. The
    notes may be the full notes or their marks (domain/flag_inputs.py): the flags are the same."""
    measure_flags = measure_flags or {}
    marks = [n if isinstance(n, NoteMark) else note_mark(n) for n in notes]
    review: dict[str, date] = {}
    for plan in plans:
        if plan.status == PlanStatus.ACTIVE and plan.review_due is not None and plan.review_due <= on:
            earlier = review.get(plan.client_id)
            review[plan.client_id] = min(plan.review_due, earlier) if earlier else plan.review_due
    by_client: dict[str, list[Homework]] = defaultdict(list)
    for item in homework:
        if item.active:  # only active homework can be overdue, and the summaries keep only that
            by_client[item.client_id].append(item)
    late = {cid: len(overdue(items, on)) for cid, items in by_client.items()}
    latest: dict[str, NoteMark] = {}
    for mark in marks:
        seen = latest.get(mark.client_id)
        if seen is None or mark.order > seen.order:
            latest[mark.client_id] = mark
    drafts: dict[str, list[NoteMark]] = defaultdict(list)
    for note in late_drafts(marks, on):
        drafts[note.client_id].append(note)
    ids = set(client_ids) if client_ids is not None else {*review, *late, *latest, *measure_flags}
    return {
        cid: ClientFlags(
            review_due_on=review.get(cid),
            homework_overdue=late.get(cid, 0),
            measure_flags=measure_flags.get(cid, ()),
            unsigned_notes=len(drafts.get(cid, ())),
            oldest_unsigned_on=drafts[cid][0].session_date if drafts.get(cid) else None,
        )
        for cid in ids
    }


def client_flags(
    uow: UnitOfWork, client_ids: Iterable[str] | None = None, on: date | None = None
) -> dict[str, ClientFlags]:
    """Flags per client id. With `client_ids`, every id given gets an entry (possibly NO_FLAGS);
    without, only clients that have plans, homework, notes or measure flags appear. One unit of work,
    reading the client summaries (storage/summaries.py): a few hundred small rows, not the practice.
    A vault that has none yet (an older one opened read-only) is read in full (`flags_from_records`)."""
    wanted = list(client_ids) if client_ids is not None else None
    with uow:
        assert uow.session is not None
        if not summaries.ready(uow.session):
            return _from_records(uow, wanted, on or today())
        instruments = stored_instruments(uow)
        found = summaries.with_current_standing(uow, summaries.read(uow, wanted), instruments)
        paperwork = flags_for_clients(uow, wanted, on or today())
    plans = [p for s in found for p in s.plans]
    episodes = [e for s in found for e in s.episodes]
    day = on or today()
    measure_flags = summary_measure_flags(found, day, instruments)
    homework = [h for s in found for h in s.homework]
    flags = flags_from(plans, homework, [n for s in found for n in s.notes], day, wanted, measure_flags)
    return with_paperwork(flags, paperwork, episodes, wanted)


def with_paperwork(flags: dict[str, ClientFlags], paperwork: Mapping[str, tuple[PaperworkFlag, ...]],
                   episodes: Iterable[Episode], wanted: list[str] | None) -> dict[str, ClientFlags]:
    """The paperwork flags added to each client's flags; a client out of care (every episode closed)
    has none, as it has no measure flags: their releases end and nothing more is agreed."""
    eps = by_client(episodes)
    for cid, found in paperwork.items():
        if (wanted is not None and cid not in wanted) or (eps[cid] and not any(e.is_open for e in eps[cid])):
            continue
        flags[cid] = replace(flags.get(cid, NO_FLAGS), paperwork_flags=found)
    return flags


def flags_from_records(
    uow: UnitOfWork, client_ids: Iterable[str] | None = None, on: date | None = None
) -> dict[str, ClientFlags]:
    """`client_flags` computed from the full records instead of the summaries: what the summaries
    must always agree with (tests/core/test_client_summaries.py)."""
    with uow:
        return _from_records(uow, list(client_ids) if client_ids is not None else None, on or today())


def _from_records(uow: UnitOfWork, wanted: list[str] | None, day: date) -> dict[str, ClientFlags]:
    """Inside an entered unit of work: one query per table, never one per client (a few clients:
    one query per table and client)."""
    instruments = stored_instruments(uow)
    if wanted is not None and len(wanted) <= FEW_CLIENTS:
        plans = [p for cid in wanted for p in read_plans(uow, cid)]
        homework = [h for cid in wanted for h in uow.homework.where(client_id=cid)]
        notes = [n for cid in wanted for n in uow.notes.where(client_id=cid)]
        measures = [m for cid in wanted for m in uow.measures.where(client_id=cid)]
        episodes = [e for cid in wanted for e in uow.episodes.where(client_id=cid)]
        safety = [s for cid in wanted for s in uow.safety_plans.where(client_id=cid)]
    else:
        plans = read_plans(uow)
        homework = uow.homework.all()
        notes = uow.notes.all()
        measures = uow.measures.all()
        episodes = uow.episodes.all()
        safety = uow.safety_plans.all()
    measure_flags = list_measure_flags(measures, episodes, plans, day, instruments, notes, safety)
    flags = flags_from(plans, homework, notes, day, wanted, measure_flags)
    return with_paperwork(flags, flags_for_clients(uow, wanted, day), episodes, wanted)


NOTE_KINDS = frozenset({"note", "session_note"})
PLAN_KINDS = frozenset({"plan", "treatment_plan"})


def refresh_search_entry(uow: UnitOfWork, index: SearchIndex, kind: str, object_id: str) -> None:
    """Bring the in-memory index up to date after one change (kind as in the UI session's Kind:
    "note", "addendum", "plan", "homework", "safety_plan" or "client"). Reads only; records no audit
    event."""
    with uow:
        if kind == "client":
            index.set_clients(uow.clients.all())
            return
        if kind == "addendum":
            addendum = uow.addenda.find(object_id)
            if addendum is None:
                return
            kind, object_id = "note", addendum.note_id
        if kind in NOTE_KINDS:
            note = uow.notes.find(object_id)
            if note is None:
                index.remove(object_id)
                return
            addenda = sorted(uow.addenda.where(note_id=object_id), key=lambda a: a.created_at)
            index.put_note(note, addenda)
        elif kind in PLAN_KINDS:
            plan = uow.plans.find(object_id)
            if plan is None:
                index.remove(object_id)
            else:
                index.put_plan(plan)
        elif kind == "homework":
            homework = uow.homework.find(object_id)
            if homework is None:
                index.remove(object_id)
            else:
                index.put_homework(homework)
        elif kind == "safety_plan":
            safety = uow.safety_plans.find(object_id)
            if safety is not None:
                index.put_safety_plan(safety)
