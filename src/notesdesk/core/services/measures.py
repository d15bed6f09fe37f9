"""Measurement-based care on stored records: record, history, flags, objective suggestions, instruments.

Scoring rules live in `core.measures` (pure); this module reads and writes the vault. Every function that
scores uses the built-in instruments plus the practitioner's own, which are kept sealed in the vault's
`secret` table as one row ("instruments") holding the raw JSON of each, re-validated whenever read.

Baselines are per episode of care: the first scorable administration of an instrument within an episode.
Flags prompt the clinician; none of them grades risk (docs/clinical-sources.md).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from notesdesk.core.domain.care import MeasureAdministration, SafetyPlan
from notesdesk.core.domain.clients import Episode
from notesdesk.core.domain.common import by_client, today
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.domain.plans import Goal, Objective, PlanStatus, TreatmentPlan
from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.measures.alert_rules import alert_rules
from notesdesk.core.measures.alliance import AllianceCheck, alliance_check
from notesdesk.core.measures.change import ChangeLabel, ChangeResult, classify_change
from notesdesk.core.measures.fields import InstrumentInvalid
from notesdesk.core.measures.library import (
    builtin_instruments,
    decode_instrument_file,
    find_by_name,
    load_instrument_file,
)
from notesdesk.core.measures.model import Flag, FlagKind, Instrument, Kind
from notesdesk.core.measures.objectives import (
    ObjectiveSuggestion,
    parse_measure_rule,
    suggest_objective_status,
)
from notesdesk.core.measures.progress import (
    JointRecovery,
    deterioration,
    elevated_rule,
    ever_elevated,
    joint_recovery,
    no_reliable_improvement,
)
from notesdesk.core.measures.risk_loop import risk_loop_flags
from notesdesk.core.measures.scoring import ScoreResult, score
from notesdesk.core.measures.trajectory import review_due, trajectory
from notesdesk.core.measures.validate import parse_instrument
from notesdesk.core.services.plans import current_plan, read_plans
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.storage.vault import Vault

INSTRUMENTS_ID = "instruments"
RISK_PROMPT = ("Record a risk assessment and review the safety plan before the session ends. "
               "This flag does not classify risk.")


# -- practitioner instruments, sealed in the vault --------------------------------------------------


@dataclass(frozen=True)
class InstrumentFiles:
    """The practitioner's instruments as raw JSON, one instrument per string (validated on every read)."""

    files: tuple[str, ...] = ()
    id: str = INSTRUMENTS_ID


def _table(uow: UnitOfWork) -> SealedTable[InstrumentFiles]:
    return SealedTable(uow.ctx, "secret", InstrumentFiles, label="practitioner instruments")


def _keys(instrument: Instrument) -> set[str]:
    return {"".join(ch for ch in text.lower() if ch.isalnum()) for text in (instrument.id, instrument.name)}


def _clash(instruments: Iterable[Instrument]) -> list[str]:
    """Ids and names must stay unambiguous: a linked measure 'PHQ-9 < 10' names its instrument."""
    taken = {key for i in builtin_instruments() for key in _keys(i)}
    problems = []
    for instrument in instruments:
        if _keys(instrument) & taken:
            problems.append(f"id '{instrument.id}' or name '{instrument.name}' is already used by another "
                            "instrument")
        taken |= _keys(instrument)
    return problems


@lru_cache(maxsize=16)
def _parse_stored(files: tuple[str, ...]) -> tuple[Instrument, ...]:
    found = tuple(parse_instrument(json.loads(text), f"vault instrument {n}")
                  for n, text in enumerate(files, start=1))
    problems = _clash(found)
    if problems:
        raise InstrumentInvalid("vault instruments", problems)
    return found


def stored_instruments(uow: UnitOfWork) -> tuple[Instrument, ...]:
    """The practitioner's instruments, read through a unit of work the caller has already entered."""
    found = _table(uow).find(INSTRUMENTS_ID)
    return _parse_stored(found.files) if found else ()


def vault_instruments(vault: Vault) -> tuple[Instrument, ...]:
    with vault.unit_of_work() as uow:
        return stored_instruments(uow)


def import_instruments(vault: Vault, path: str | Path, *, replace_existing: bool = False
                       ) -> tuple[Instrument, ...]:
    """Validate a practitioner file (every problem named by field) and store its instruments sealed.

    Nothing is stored unless the whole file is valid. An id already in the vault is refused unless
    `replace_existing`, and even then the new version must keep the item count and every option score,
    so that stored answers still fit it.
    """
    path = Path(path)
    loaded = load_instrument_file(path)
    data = decode_instrument_file(path)
    raws = [json.dumps(entry, ensure_ascii=False) for entry in (data if isinstance(data, list) else [data])]
    if tuple(parse_instrument(json.loads(r), path.name) for r in raws) != loaded:
        raise InvalidInput(f"{path.name}: the file changed while it was being imported; try again")
    with vault.unit_of_work() as uow:
        table = _table(uow)
        stored = table.find(INSTRUMENTS_ID)
        old_files = stored.files if stored else ()
        current = {i.id: i for i in _parse_stored(old_files)}
        merged = dict(zip(current, old_files, strict=True))
        for instrument, raw in zip(loaded, raws, strict=True):
            old = current.get(instrument.id)
            if old is not None and not replace_existing:
                raise InvalidInput(f"{path.name}: id '{instrument.id}' is already in the vault; import it as "
                                   "a replacement or give the new version another id")
            if old is not None and (len(old.items) != len(instrument.items)
                                    or not old.option_scores <= instrument.option_scores):
                raise InvalidInput(f"{path.name}: the new '{instrument.id}' changes the items or option "
                                   "scores, so stored answers would not fit it; give it another id")
            merged[instrument.id], current[instrument.id] = raw, instrument
        problems = _clash(current.values())
        if problems:
            raise InstrumentInvalid(path.name, problems)
        files = InstrumentFiles(tuple(merged.values()))
        table.add(files) if stored is None else table.replace(files)
        uow.commit()
    return loaded


def resolve_instrument(ref: str, extra: Iterable[Instrument] = ()) -> Instrument | None:
    """An administration's instrument by id or name ('phq9', 'PHQ-9'), or None if unknown."""
    try:
        return find_by_name(ref, extra)
    except NotFound:
        return None


# -- recording ------------------------------------------------------------------------------------------


def _with_prompts(result: ScoreResult) -> ScoreResult:
    """A practitioner's critical item may word its message freely; the prompt to act is always there."""
    missing = [f.kind is FlagKind.RISK and "risk assessment" not in f.message.lower() for f in result.flags]
    return replace(result, flags=tuple(replace(f, message=f"{f.message} {RISK_PROMPT}") if add else f
                                       for f, add in zip(result.flags, missing, strict=True)))


def _episode_on(episodes: Iterable[Episode], on: date) -> str | None:
    ordered = sorted(episodes, key=lambda e: e.opened_on, reverse=True)
    covering = [e for e in ordered if e.opened_on <= on and (e.closed_on is None or on <= e.closed_on)]
    chosen = covering or [e for e in ordered if e.is_open]
    return chosen[0].id if chosen else None


def record_measure(uow: UnitOfWork, client_id: str, instrument_ref: str, answers: Sequence[int | None],
                   on: date | None = None, note_id: str | None = None, comment: str = "",
                   functional: int | None = None) -> tuple[MeasureAdministration, ScoreResult]:
    """Validate answers against the instrument (count, option values; errors name the item), score them
    and store the administration in the episode of care that covers its date."""
    on = on or today()
    if on > today():
        raise InvalidInput("A measure cannot be dated in the future.")
    answers = tuple(answers)
    if answers and all(a is None for a in answers):
        raise InvalidInput("No item was answered; nothing to record.")
    with uow:
        uow.clients.get(client_id)
        extra = stored_instruments(uow)
        instrument = find_by_name(instrument_ref, extra)
        result = _with_prompts(score(instrument, answers, functional))
        if note_id is not None and uow.notes.get(note_id).client_id != client_id:
            raise InvalidInput("That session note belongs to another client.")
        episode = _episode_on(uow.episodes.where(client_id=client_id), on)
        administration = MeasureAdministration(
            client_id, instrument.id, on, answers, episode_id=episode,
            note_id=note_id, comment=comment.strip(), functional=functional,
        )
        uow.measures.add(administration)
        uow.commit()
    return administration, result


# -- history --------------------------------------------------------------------------------------------


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
        episode = adm.episode_id or _episode_on(episodes, adm.administered_on)
        inst = resolve_instrument(adm.instrument, extra)
        if inst is None:
            rows.append(MeasureRow(adm, None, None, episode, note=f"unknown instrument '{adm.instrument}'"))
            continue
        try:
            result = _with_prompts(score(inst, adm.answers, adm.functional))
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


def measure_history(uow: UnitOfWork, client_id: str) -> list[MeasureRow]:
    """Every administration, oldest first; group with `by_instrument` for one series per instrument."""
    with uow:
        uow.clients.get(client_id)
        extra = stored_instruments(uow)
        episodes = uow.episodes.where(client_id=client_id)
        found = uow.measures.where(client_id=client_id)
    return history_rows(found, episodes, extra)


def by_instrument(rows: Iterable[MeasureRow]) -> dict[str, list[MeasureRow]]:
    grouped: dict[str, list[MeasureRow]] = defaultdict(list)
    for row in rows:
        grouped[row.instrument.id if row.instrument else row.administration.instrument].append(row)
    return dict(grouped)


def _totals(rows: Iterable[MeasureRow]) -> list[tuple[date, int]]:
    return [(r.administration.administered_on, r.score.total) for r in rows
            if r.score is not None and r.score.total is not None]


# -- flags for the client list and the overview -----------------------------------------------------------


def _current_episode(episodes: Sequence[Episode]) -> tuple[bool, str | None]:
    """(in care, episode id): a client whose episodes are all closed is out of care and gets no flags."""
    if not episodes:
        return True, None
    open_ = sorted((e for e in episodes if e.is_open), key=lambda e: e.opened_on)
    return (True, open_[-1].id) if open_ else (False, None)


def flags_for(rows: Sequence[MeasureRow], episodes: Sequence[Episode], plans: Sequence[TreatmentPlan],
              on: date, notes: Sequence[SessionNote] = (), safety_plans: Sequence[SafetyPlan] = ()
              ) -> list[Flag]:
    """Pure: one client's measure flags from the latest administrations of the current episode, and the
    risk loop's (risk recorded in signed notes, the safety plan it calls for: measures.risk_loop)."""
    in_care, current = _current_episode(episodes)
    if not in_care:
        return []
    flags: list[Flag] = _risk_loop(rows, current, notes, safety_plans) if notes or rows else []
    series = by_instrument(r for r in rows if r.episode_id == current and r.instrument is not None)
    baseline: date | None = None
    reviewed = [r.review_date for p in plans for r in p.reviews]
    for group in series.values():
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
        scores = _totals(group)
        if inst.kind is Kind.OUTCOME and scores:
            baseline = min(baseline or scores[0][0], scores[0][0])
            flags += _progress_flags(inst, scores, on, reviewed)
    if baseline is not None:
        active = [p for p in plans if p.status is PlanStatus.ACTIVE and p.review_due is not None]
        activated = [p.effective_date for p in plans if p.effective_date and p.status is not PlanStatus.DRAFT]
        status = review_due(baseline, on, [p.review_due for p in active if p.review_due],
                            [*reviewed, *activated])
        if status.flag is not None:
            flags.append(status.flag)
    return sorted(flags, key=lambda f: list(FlagKind).index(f.kind))


def _risk_loop(rows: Sequence[MeasureRow], current: str | None, notes: Sequence[SessionNote],
               safety_plans: Sequence[SafetyPlan]) -> list[Flag]:
    """The risk loop over the current episode (every note and administration when there are no episodes)."""
    mine = [n for n in notes if current is None or n.episode_id == current]
    items = [(r.administration.administered_on, r.instrument.name, f) for r in rows
             if r.episode_id == current and r.instrument is not None and r.score is not None
             for f in r.score.flags]
    return risk_loop_flags(mine, items, safety_plans)


def _progress_flags(inst: Instrument, scores: list[tuple[date, int]], on: date,
                    reviewed: Sequence[date]) -> list[Flag]:
    """Deterioration flags at once, whatever the questionnaire; 'not on track' and 'no reliable
    improvement by week 12' only for a questionnaire that was ever at caseness this episode."""
    try:
        worse = deterioration(inst, scores)
        track = trajectory(inst, scores).flag
        late = no_reliable_improvement(inst, scores, on, reviewed)
    except InvalidInput:  # no reliable-change rule, or a score outside the range: nothing to judge by
        return []
    if not ever_elevated(inst, scores):
        return [worse] if worse else []
    elevated = f" {elevated_rule(inst)}: {alert_rules().elevated_only.source}"
    # A reliable worsening already says more than 'not on track'; the week-12 flag asks for a decision.
    found = [worse] if worse else ([track] if track else [])
    found += [late] if late else []
    return [replace(f, source=f.source + elevated) if f.kind is not FlagKind.DETERIORATION else f
            for f in found]


def client_measure_flags(uow: UnitOfWork, client_ids: Iterable[str] | None = None,
                         on: date | None = None) -> dict[str, list[Flag]]:
    """Measure flags per client in one unit of work with one read per table. With `client_ids`, every
    id given gets an entry (possibly empty); without, every client with a measure does."""
    wanted = list(client_ids) if client_ids is not None else None
    with uow:
        extra = stored_instruments(uow)
        # One client (the overview): read only theirs. Several: one full read per table, grouped in memory.
        one = {"client_id": wanted[0]} if wanted is not None and len(wanted) == 1 else None
        measures = uow.measures.where(**one) if one else uow.measures.all()
        episodes = uow.episodes.where(**one) if one else uow.episodes.all()
        plans = read_plans(uow, wanted[0] if one and wanted else None)
        # Only signed notes can raise a risk flag: drafts are not even read (signed is a clear column).
        notes = uow.notes.where(signed=1, **(one or {}))
        safety = uow.safety_plans.where(**one) if one else uow.safety_plans.all()
    given, eps, pls = by_client(measures), by_client(episodes), by_client(plans)
    signed, safety_plans = by_client(notes), by_client(safety)
    ids, day = (wanted if wanted is not None else sorted({*given, *signed})), on or today()
    return {cid: flags_for(history_rows(given[cid], eps[cid], extra), eps[cid], pls[cid], day,
                           signed[cid], safety_plans[cid])
            if given.get(cid) or signed.get(cid) else [] for cid in ids}


def episode_recovery(rows: Sequence[MeasureRow], episodes: Sequence[Episode]) -> JointRecovery | None:
    """Pure: recovery across PHQ-9 and GAD-7 together (the rules file names them) in the current episode,
    or the latest one once discharged; None unless both were given at its start and since."""
    _, current = _current_episode(episodes)
    if current is None and episodes:
        current = max(episodes, key=lambda e: e.opened_on).id
    series = []
    for ident in alert_rules().joint_recovery.instruments:
        mine = [r for r in rows if r.episode_id == current and r.instrument is not None
                and r.instrument.id == ident]
        if not mine:
            return None
        assert mine[0].instrument is not None
        series.append((mine[0].instrument, _totals(mine)))
    return joint_recovery(series)


def client_recovery(uow: UnitOfWork, client_id: str) -> JointRecovery | None:
    """Recovery across PHQ-9 and GAD-7 for one client's current (or latest) episode."""
    with uow:
        uow.clients.get(client_id)
        extra = stored_instruments(uow)
        episodes = uow.episodes.where(client_id=client_id)
        found = uow.measures.where(client_id=client_id)
    return episode_recovery(history_rows(found, episodes, extra), episodes)


# -- objectives linked to a measure -------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveLink:
    goal: Goal
    objective: Objective
    suggestion: ObjectiveSuggestion | None  # None when the linked-measure rule cannot be read
    problem: str = ""

    @property
    def differs(self) -> bool:
        """True when the suggestion differs from the objective's recorded status."""
        s = self.suggestion
        return s is not None and s.status is not None and s.status != self.objective.status


def objective_suggestions(uow: UnitOfWork, client_id: str, plan: TreatmentPlan | None = None
                          ) -> list[ObjectiveLink]:
    """A status suggestion for each objective of the current plan (or of `plan`: a draft being edited)
    that names a linked measure, from this episode's scores. It only suggests; the clinician decides."""
    plan = plan if plan is not None else current_plan(uow, client_id)
    goals = plan.goals() if plan else []
    linked = [(g, o) for g in goals for o in g.objectives if o.linked_measure.strip()]
    if not linked:
        return []
    with uow:
        extra = stored_instruments(uow)
        episodes = uow.episodes.where(client_id=client_id)
        found = uow.measures.where(client_id=client_id)
    rows = history_rows(found, episodes, extra)
    _, current = _current_episode(episodes)
    if current is None and episodes:
        current = max(episodes, key=lambda e: e.opened_on).id
    out: list[ObjectiveLink] = []
    for goal, objective in linked:
        try:
            rule = parse_measure_rule(objective.linked_measure, extra)
        except InvalidInput as exc:
            out.append(ObjectiveLink(goal, objective, None, str(exc)))
            continue
        scores = _totals(r for r in rows if r.episode_id == current
                         and r.instrument is not None and r.instrument.id == rule.instrument)
        out.append(ObjectiveLink(goal, objective, suggest_objective_status(rule, scores, extra)))
    return out
