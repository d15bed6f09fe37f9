"""Measurement-based care on stored records: record, history, flags, objective suggestions, instruments.

Scoring rules live in `core.measures` (pure); this module reads and writes the vault. Every function that
scores uses the built-in instruments plus the practitioner's own, which are kept sealed in the vault's
`secret` table as one row ("instruments") holding the raw JSON of each, re-validated whenever read.

Baselines are per episode of care: the first scorable administration of an instrument within an episode.
Flags prompt the clinician; none of them grades risk (docs/clinical-sources.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from notesdesk.core.domain.care import MeasureAdministration
from notesdesk.core.domain.clients import Episode
from notesdesk.core.domain.common import by_client, today
from notesdesk.core.domain.plans import Goal, Objective, TreatmentPlan
from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures.alert_rules import alert_rules
from notesdesk.core.measures.fields import InstrumentInvalid

# `X as X`: re-exported, the history's rows and flags are read through this module (UI, CLI, demo).
from notesdesk.core.measures.history import RISK_PROMPT as RISK_PROMPT
from notesdesk.core.measures.history import MeasureRow as MeasureRow
from notesdesk.core.measures.history import by_instrument as by_instrument
from notesdesk.core.measures.history import current_episode as _current_episode
from notesdesk.core.measures.history import episode_on as _episode_on
from notesdesk.core.measures.history import flags_for as flags_for
from notesdesk.core.measures.history import history_rows as history_rows
from notesdesk.core.measures.history import resolve_instrument as resolve_instrument
from notesdesk.core.measures.history import totals as _totals
from notesdesk.core.measures.history import with_prompts as _with_prompts
from notesdesk.core.measures.library import (
    decode_instrument_file,
    find_by_name,
    load_instrument_file,
)
from notesdesk.core.measures.model import Flag, Instrument
from notesdesk.core.measures.objectives import (
    ObjectiveSuggestion,
    parse_measure_rule,
    suggest_objective_status,
)
from notesdesk.core.measures.progress import (
    JointRecovery,
    joint_recovery,
)
from notesdesk.core.measures.scoring import ScoreResult, score
from notesdesk.core.measures.validate import parse_instrument
from notesdesk.core.services.plans import current_plan, read_plans
from notesdesk.core.storage import summaries
from notesdesk.core.storage.instruments import INSTRUMENTS_ID as INSTRUMENTS_ID
from notesdesk.core.storage.instruments import InstrumentFiles, clash, instruments_table, parse_stored
from notesdesk.core.storage.instruments import stored_instruments as stored_instruments
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.storage.vault import Vault

# -- practitioner instruments, sealed in the vault --------------------------------------------------


def _table(uow: UnitOfWork) -> SealedTable[InstrumentFiles]:
    return instruments_table(uow)


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
        current = {i.id: i for i in parse_stored(old_files)}
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
        problems = clash(current.values())
        if problems:
            raise InstrumentInvalid(path.name, problems)
        files = InstrumentFiles(tuple(merged.values()))
        table.add(files) if stored is None else table.replace(files)
        assert uow.session is not None
        if summaries.ready(uow.session):  # the list's standings are scored with these instruments
            summaries.rescore_all(uow)
        uow.commit()
    return loaded


# -- recording ------------------------------------------------------------------------------------------


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


def measure_history(uow: UnitOfWork, client_id: str) -> list[MeasureRow]:
    """Every administration, oldest first; group with `by_instrument` for one series per instrument."""
    with uow:
        uow.clients.get(client_id)
        extra = stored_instruments(uow)
        episodes = uow.episodes.where(client_id=client_id)
        found = uow.measures.where(client_id=client_id)
    return history_rows(found, episodes, extra)


# -- flags for the client list and the overview -----------------------------------------------------------


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
