"""Measures on stored records: record, history per episode, flags, objectives, vault instruments."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from notesdesk.core.domain.clients import Client, ClientStatus
from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import ObjectiveStatus, ReviewOutcome
from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.measures import ChangeLabel, FlagKind, InstrumentInvalid
from notesdesk.core.services import care, clients, measures, notes, plans
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records
from tests.instruments import sleep_check

T = today()
PHQ_20 = [3, 3, 2, 2, 2, 2, 2, 2, 2]  # 20, item 9 endorsed
PHQ_12 = [2, 2, 2, 2, 1, 1, 1, 1, 0]  # 12
PHQ_4 = [1, 1, 1, 1, 0, 0, 0, 0, 0]  # 4


def ago(days: int) -> date:
    return T - timedelta(days=days)


def new_client(vault: Vault, name: str = "Ann", intake_days_ago: int = 400) -> str:
    client = Client(name=name, intake_date=ago(intake_days_ago))
    return clients.add_client(vault.unit_of_work(), client).id


def rec(vault: Vault, cid: str, inst: str, answers: Sequence[int | None], days_ago: int) -> Any:
    return measures.record_measure(vault.unit_of_work(), cid, inst, answers, on=ago(days_ago))


def flags_of(vault: Vault, cid: str) -> list[Any]:
    return measures.client_measure_flags(vault.unit_of_work(), [cid])[cid]


# -- recording --------------------------------------------------------------------------------------


def test_record_scores_and_stores_in_the_episode(vault: Vault) -> None:
    cid = new_client(vault)
    administration, result = rec(vault, cid, "PHQ-9", [1, 2, None, 0, 3, 1, 1, 0, 0], 3)
    assert (result.total, result.band, result.prorated) == (9, "mild", True)
    (stored,) = care.list_measures(vault.unit_of_work(), cid)
    assert stored == administration
    assert stored.instrument == "phq9" and stored.answers[2] is None
    episode = clients.open_episode(vault.unit_of_work(), cid)
    assert episode is not None and stored.episode_id == episode.id


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([0] * 8, "expects 9 answers"),
        ([0, 0, 0, 4, 0, 0, 0, 0, 0], "item 4 must be one of 0, 1, 2, 3"),
        ([None] * 9, "No item was answered"),
    ],
)
def test_bad_answers_are_refused_naming_the_problem(
    vault: Vault, answers: list[int | None], message: str
) -> None:
    cid = new_client(vault)
    with pytest.raises(InvalidInput, match=message):
        rec(vault, cid, "PHQ-9", answers, 1)
    assert care.list_measures(vault.unit_of_work(), cid) == []


def test_record_refuses_unknown_instrument_future_date_and_foreign_note(vault: Vault) -> None:
    cid, other = new_client(vault), new_client(vault, "Bo")
    with pytest.raises(NotFound):
        rec(vault, cid, "ORS", [1, 2, 3, 4], 1)
    with pytest.raises(InvalidInput, match="future"):
        rec(vault, cid, "PHQ-9", PHQ_4, -1)
    note = notes.create_note(vault.unit_of_work(), records.note(other, "n "))
    with pytest.raises(InvalidInput, match="another client"):
        measures.record_measure(vault.unit_of_work(), cid, "PHQ-9", PHQ_4, note_id=note.id)


def test_item_9_with_a_low_total_prompts_assessment_without_classifying_risk(vault: Vault) -> None:
    cid = new_client(vault)
    _, result = rec(vault, cid, "PHQ-9", [0, 0, 0, 0, 0, 0, 0, 0, 1], 0)
    assert result.total == 1 and result.band == "minimal"
    (flag,) = result.flags
    assert flag.kind is FlagKind.RISK and flag.item == 9
    assert "risk assessment" in flag.message and "safety plan" in flag.message
    assert "does not classify risk" in flag.message
    listed, plan = flags_of(vault, cid)
    assert listed.kind is FlagKind.RISK and listed.message.startswith(f"PHQ-9 on {T.isoformat()}: ")
    assert plan.kind is FlagKind.NO_SAFETY_PLAN  # the risk loop (tests/core/test_risk_loop.py)


def test_unanswered_item_9_is_unknown_risk(vault: Vault) -> None:
    cid = new_client(vault)
    rec(vault, cid, "PHQ-9", [0, 0, 0, 0, 0, 0, 0, 0, None], 0)
    assert [f.kind for f in flags_of(vault, cid)] == [FlagKind.UNKNOWN_RISK]


def test_only_the_latest_administration_raises_risk(vault: Vault) -> None:
    cid = new_client(vault)
    rec(vault, cid, "PHQ-9", [0, 0, 0, 0, 0, 0, 0, 0, 2], 7)
    rec(vault, cid, "PHQ-9", [0, 0, 0, 0, 0, 0, 0, 0, 0], 0)
    # The item flag goes; the call for a safety plan stays until one is reviewed (the risk loop).
    assert [f.kind for f in flags_of(vault, cid)] == [FlagKind.NO_SAFETY_PLAN]


# -- history ------------------------------------------------------------------------------------------


def test_history_labels_against_the_baseline_of_the_same_episode(vault: Vault) -> None:
    cid = new_client(vault, intake_days_ago=200)
    rec(vault, cid, "PHQ-9", PHQ_20, 180)
    rec(vault, cid, "PHQ-9", PHQ_12, 160)
    rec(vault, cid, "PHQ-9", PHQ_4, 140)
    clients.set_status(vault.unit_of_work(), cid, ClientStatus.DISCHARGED, on=ago(130))
    clients.set_status(vault.unit_of_work(), cid, ClientStatus.ACTIVE, on=ago(60))
    rec(vault, cid, "PHQ-9", PHQ_12, 50)
    rec(vault, cid, "PHQ-9", PHQ_20, 40)

    rows = measures.measure_history(vault.unit_of_work(), cid)
    assert [r.score.total for r in rows if r.score] == [20, 12, 4, 12, 20]
    first, improved, recovered, new_baseline, worse = rows
    assert first.is_baseline and first.change is None
    assert improved.label is ChangeLabel.RELIABLY_IMPROVED and improved.baseline == first.administration
    assert improved.change is not None and "6 points" in improved.change.rule and improved.change.source
    assert recovered.label is ChangeLabel.RECOVERED
    assert recovered.change is not None
    assert recovered.change.response.met is True and recovered.change.remission.met is True
    # A new episode of care starts a new baseline: 12 is not compared with the old 20.
    assert new_baseline.is_baseline and new_baseline.episode_id != first.episode_id
    assert worse.label is ChangeLabel.RELIABLY_DETERIORATED and worse.baseline == new_baseline.administration
    assert list(measures.by_instrument(rows)) == ["phq9"]


def test_history_keeps_rows_it_cannot_score(vault: Vault) -> None:
    cid = new_client(vault)
    care.add_measure(vault.unit_of_work(), replace(records.measure(cid, "x "), instrument="ORS"))
    care.add_measure(vault.unit_of_work(), replace(records.measure(cid, "x "), answers=(1, 2)))
    rows = measures.measure_history(vault.unit_of_work(), cid)
    assert {r.note.split(" ")[0] for r in rows} == {"unknown", "cannot"}
    assert all(r.score is None for r in rows)


# -- flags --------------------------------------------------------------------------------------------


def test_not_on_track_after_four_weeks_without_improvement(vault: Vault) -> None:
    cid = new_client(vault)
    rec(vault, cid, "GAD-7", [2, 2, 2, 2, 2, 1, 1], 40)  # 12
    rec(vault, cid, "GAD-7", [2, 2, 2, 2, 2, 2, 1], 5)  # 13, five weeks on
    kinds = [f.kind for f in flags_of(vault, cid)]
    assert kinds == [FlagKind.NOT_ON_TRACK]


def test_alliance_drop_is_flagged(vault: Vault) -> None:
    cid = new_client(vault)
    rec(vault, cid, "alliance", [10, 10, 10], 14)
    rec(vault, cid, "alliance", [10, 8, 10], 7)
    (flag,) = flags_of(vault, cid)
    assert flag.kind is FlagKind.ALLIANCE_DROP and flag.item == 2 and "fell from 10 to 8" in flag.message
    rec(vault, cid, "alliance", [10, 7, 10], 0)  # a further fall of 1: no drop, but below 8
    assert [f.kind for f in flags_of(vault, cid)] == [FlagKind.ALLIANCE_LOW]


def test_review_due_at_12_weeks_and_at_the_plan_review_date_until_reviewed(vault: Vault) -> None:
    cid = new_client(vault)
    rec(vault, cid, "PHQ-9", PHQ_12, 100)
    rec(vault, cid, "PHQ-9", PHQ_4, 10)
    (flag,) = flags_of(vault, cid)
    assert flag.kind is FlagKind.REVIEW_DUE and "12 weeks after baseline" in flag.message

    plan = plans.save_plan(vault.unit_of_work(), replace(records.plan(cid, "p "), review_due=ago(3)))
    plans.activate_plan(vault.unit_of_work(), plan.id, effective=ago(100))
    (flag,) = flags_of(vault, cid)
    assert "12 weeks after baseline" in flag.message and "plan review date" in flag.message

    plans.record_review(vault.unit_of_work(), cid, ago(1), ReviewOutcome.CONTINUE, "on track")
    assert flags_of(vault, cid) == []


def test_flags_for_many_clients_read_once(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    at_risk, calm, unmeasured = new_client(vault, "A"), new_client(vault, "B"), new_client(vault, "C")
    discharged = new_client(vault, "D")
    rec(vault, at_risk, "PHQ-9", [0, 0, 0, 0, 0, 0, 0, 0, 3], 1)
    rec(vault, calm, "PHQ-9", PHQ_4, 1)
    rec(vault, discharged, "PHQ-9", [0, 0, 0, 0, 0, 0, 0, 0, 3], 5)
    clients.set_status(vault.unit_of_work(), discharged, ClientStatus.DISCHARGED, on=ago(1))
    entered: list[object] = []
    original = UnitOfWork.__enter__

    def counting(self: UnitOfWork) -> UnitOfWork:
        entered.append(self)
        return original(self)

    monkeypatch.setattr(UnitOfWork, "__enter__", counting)
    everyone = [at_risk, calm, unmeasured, discharged]
    found = measures.client_measure_flags(vault.unit_of_work(), everyone)
    assert len(entered) == 1
    assert set(found) == set(everyone)
    assert [f.kind for f in found[at_risk]] == [FlagKind.RISK, FlagKind.NO_SAFETY_PLAN]
    assert found[calm] == found[unmeasured] == found[discharged] == []
    assert set(measures.client_measure_flags(vault.unit_of_work())) == {at_risk, calm, discharged}


# -- objectives ---------------------------------------------------------------------------------------


def test_objective_linked_to_phq9_gets_a_suggestion(vault: Vault) -> None:
    cid = new_client(vault)
    plan = records.plan(cid, "p ")  # its objective is linked to 'PHQ-9 < 10'
    unreadable = replace(plan.problems[0].goals[0].objectives[0], id="bad", linked_measure="mood good")
    goal = replace(plan.problems[0].goals[0], objectives=(*plan.problems[0].goals[0].objectives, unreadable))
    active = plans.activate_plan(vault.unit_of_work(), plans.save_plan(vault.unit_of_work(), plan).id)
    # An unreadable rule can no longer be activated; a vault from before that check may hold one.
    with vault.unit_of_work() as uow:
        uow.plans.replace(replace(active, problems=(replace(plan.problems[0], goals=(goal,)),)))
        uow.commit()
    rec(vault, cid, "PHQ-9", PHQ_12, 30)
    before, broken = measures.objective_suggestions(vault.unit_of_work(), cid)
    assert before.suggestion is not None and before.suggestion.status is ObjectiveStatus.IN_PROGRESS
    assert broken.suggestion is None and "must read" in broken.problem
    rec(vault, cid, "PHQ-9", PHQ_4, 2)
    after, _ = measures.objective_suggestions(vault.unit_of_work(), cid)
    assert after.suggestion is not None and after.suggestion.met is True
    assert after.suggestion.status is ObjectiveStatus.ACHIEVED and after.differs
    assert "PHQ-9 < 10" in after.suggestion.reason


def test_suggestions_for_the_draft_being_edited_read_its_own_links(vault: Vault) -> None:
    cid = new_client(vault)
    active = plans.save_plan(vault.unit_of_work(), records.plan(cid, "p "))
    active = plans.activate_plan(vault.unit_of_work(), active.id)
    rec(vault, cid, "PHQ-9", PHQ_4, 2)
    objective = active.problems[0].goals[0].objectives[0]
    relinked = replace(objective, linked_measure="GAD-7 < 5")  # edited in the draft, not saved yet
    goal = replace(active.problems[0].goals[0], objectives=(relinked,))
    draft = replace(active, problems=(replace(active.problems[0], goals=(goal,)),))
    [stored] = measures.objective_suggestions(vault.unit_of_work(), cid)
    [edited] = measures.objective_suggestions(vault.unit_of_work(), cid, draft)
    assert stored.suggestion is not None and stored.suggestion.status is ObjectiveStatus.ACHIEVED
    assert edited.objective.id == objective.id and edited.suggestion is not None
    assert edited.suggestion.status is None and "no GAD-7 score yet" in edited.suggestion.reason


# -- practitioner instruments -------------------------------------------------------------------------


def write(tmp_path: Path, content: Any, name: str = "mine.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def test_malformed_practitioner_file_is_rejected_naming_the_field_and_nothing_stored(
    vault: Vault, tmp_path: Path
) -> None:
    bad = write(tmp_path, sleep_check(range={"min": 0, "max": 20}))
    with pytest.raises(InstrumentInvalid, match=r"mine\.json: range\.max must be 16"):
        measures.import_instruments(vault, bad)
    assert measures.vault_instruments(vault) == ()
    with vault.unit_of_work() as uow:
        assert measures._table(uow).find(measures.INSTRUMENTS_ID) is None


def test_practitioner_instrument_is_stored_sealed_and_survives_reopen(
    vault_path: Path, tmp_path: Path
) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    (sleep,) = measures.import_instruments(vault, write(tmp_path, sleep_check()))
    assert sleep.id == "sleep4" and measures.vault_instruments(vault) == (sleep,)
    vault.close()
    on_disk = b"".join(p.read_bytes() for p in vault_path.parent.glob(vault_path.name + "*"))
    assert b"Sleep check" not in on_disk and b"Thoughts of not waking" not in on_disk

    reopened = Vault.open(vault_path, PASSPHRASE)
    try:
        assert measures.vault_instruments(reopened) == (sleep,)
        cid = new_client(reopened)
        rec(reopened, cid, "Sleep check", [4, 4, 3, 0], 30)  # 11
        _, result = rec(reopened, cid, "sleep4", [2, 2, 2, 1], 1)  # 7
        (flag,) = result.flags  # the practitioner's own wording gains the prompt to act
        assert flag.message.startswith("Item 4 endorsed.") and "review the safety plan" in flag.message
        last = measures.measure_history(reopened.unit_of_work(), cid)[-1]
        assert last.label is ChangeLabel.RELIABLY_IMPROVED
        assert last.change is not None and "|RCI| > 1.96" in last.change.rule
    finally:
        reopened.close()


def test_an_id_or_name_already_taken_is_refused(vault: Vault, tmp_path: Path) -> None:
    measures.import_instruments(vault, write(tmp_path, sleep_check()))
    with pytest.raises(InvalidInput, match="already in the vault"):
        measures.import_instruments(vault, write(tmp_path, sleep_check(), "again.json"))
    with pytest.raises(InvalidInput, match="already used by another instrument"):
        measures.import_instruments(vault, write(tmp_path, sleep_check(id="mine2", name="PHQ-9"), "b.json"))
    renamed = sleep_check(title="Sleep check, revised")
    (revised,) = measures.import_instruments(vault, write(tmp_path, renamed, "c.json"), replace_existing=True)
    assert measures.vault_instruments(vault) == (revised,)
    fewer = sleep_check(items=["a", "b", "c"], range={"min": 0, "max": 12},
                        bands=[{"min": 0, "max": 12, "label": "all"}], critical_items=[])
    with pytest.raises(InvalidInput, match="stored answers would not fit"):
        measures.import_instruments(vault, write(tmp_path, fewer, "d.json"), replace_existing=True)
    assert measures.vault_instruments(vault) == (revised,)
