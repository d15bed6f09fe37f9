"""Homework edits and the links between notes and homework, measures and milestones: a link follows the
note's "homework assigned" ticks, and deleting a draft leaves nothing pointing at it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from notesdesk.core.domain.care import CheckinStatus, MilestoneStatus, Recurrence
from notesdesk.core.errors import Conflict, InvalidInput
from notesdesk.core.exports import fhir, record
from notesdesk.core.services import care, clients, measures, notes, summary, verify
from notesdesk.core.storage.vault import Vault
from tests.core import records


def audited(vault: Vault) -> list[tuple[str, str, str]]:
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        return [(e.action, e.table, e.row_id) for e in vault.audit.entries(uow.session)]


def setup(vault: Vault) -> tuple[str, str]:
    """A client with one homework assigned earlier, outside any note."""
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    homework = care.add_homework(vault.unit_of_work(), records.homework(client.id, "h-"))
    return client.id, homework.id


def homework_of(vault: Vault, client_id: str, homework_id: str):
    return next(h for h in care.list_homework(vault.unit_of_work(), client_id) if h.id == homework_id)


def draft(vault: Vault, client_id: str, mark: str = "x", **fields: Any):
    return notes.create_note(vault.unit_of_work(), replace(records.note(client_id, mark), **fields))


# -- editing homework -------------------------------------------------------------------------------


def test_update_homework_changes_what_it_asks_and_keeps_its_checkins(vault: Vault) -> None:
    client_id, homework_id = setup(vault)
    before = homework_of(vault, client_id, homework_id)
    care.check_in(vault.unit_of_work(), homework_id, CheckinStatus.DONE, date(2026, 10, 8), "went well")
    edited = replace(before, description="  Ride two stops  ", rationale="Builds on last week",
                     due_date=date(2026, 11, 1), recurrence=Recurrence.ONCE, active=False,
                     checkins=(), assigned_on=date(2000, 1, 1))
    care.update_homework(vault.unit_of_work(), edited)

    stored = homework_of(vault, client_id, homework_id)
    assert (stored.description, stored.rationale) == ("Ride two stops", "Builds on last week")
    assert (stored.due_date, stored.recurrence, stored.active) == (date(2026, 11, 1), Recurrence.ONCE, False)
    assert [c.client_report for c in stored.checkins] == ["went well"]  # the stale copy did not win
    assert stored.assigned_on == before.assigned_on
    assert audited(vault)[-1] == ("edit", "homework", homework_id)
    with pytest.raises(InvalidInput, match="description"):
        care.update_homework(vault.unit_of_work(), replace(stored, description="  "))


def test_link_homework_to_a_draft_ticks_it_there_and_signed_notes_stay_as_signed(vault: Vault) -> None:
    client_id, homework_id = setup(vault)
    note = draft(vault, client_id)
    care.link_homework(vault.unit_of_work(), homework_id, note.id)
    assert homework_of(vault, client_id, homework_id).assigned_in_note == note.id
    assert notes.get_note(vault.unit_of_work(), note.id)[0].homework_assigned == (homework_id,)

    notes.sign_note(vault.unit_of_work(), note.id)
    with pytest.raises(Conflict, match="signed note"):
        care.link_homework(vault.unit_of_work(), homework_id, None)
    later = draft(vault, client_id, "y")
    signed_without_it = notes.sign_note(vault.unit_of_work(), later.id)
    with pytest.raises(Conflict, match="signed and locked"):
        care.link_homework(vault.unit_of_work(), homework_id, signed_without_it.id)
    other = clients.add_client(vault.unit_of_work(), records.client("B"))
    elsewhere = draft(vault, other.id)
    with pytest.raises(InvalidInput, match="another client"):
        care.link_homework(vault.unit_of_work(), homework_id, elsewhere.id)
    assert homework_of(vault, client_id, homework_id).assigned_in_note == note.id


# -- ticks in a draft ------------------------------------------------------------------------------


def test_ticking_existing_homework_in_a_draft_links_it_and_unticking_gives_it_back(vault: Vault) -> None:
    client_id, homework_id = setup(vault)
    first = draft(vault, client_id, "first-", homework_assigned=(homework_id,))  # assigned then...
    notes.sign_note(vault.unit_of_work(), first.id)
    assert homework_of(vault, client_id, homework_id).assigned_in_note == first.id

    week_later = draft(vault, client_id, "second-", session_date=date(2026, 10, 13))
    notes.save_draft(vault.unit_of_work(), replace(week_later, homework_assigned=(homework_id,)))
    assert homework_of(vault, client_id, homework_id).assigned_in_note == week_later.id  # ...re-assigned
    assert ("edit", "homework", homework_id) in audited(vault)[-2:]  # with the note, in one transaction

    notes.save_draft(vault.unit_of_work(), replace(week_later, homework_assigned=()))
    assert homework_of(vault, client_id, homework_id).assigned_in_note == first.id


def test_two_drafts_ticking_the_same_homework_do_not_take_it_from_each_other(vault: Vault) -> None:
    client_id, homework_id = setup(vault)
    one = draft(vault, client_id, "one-", homework_assigned=(homework_id,))
    two = draft(vault, client_id, "two-", homework_assigned=(homework_id,))
    assert homework_of(vault, client_id, homework_id).assigned_in_note == two.id
    notes.save_draft(vault.unit_of_work(), replace(one, risk_noted="autosaved again"))
    assert homework_of(vault, client_id, homework_id).assigned_in_note == two.id


# -- deleting a draft ------------------------------------------------------------------------------


def test_deleting_a_draft_unlinks_homework_assigned_in_it(vault: Vault) -> None:
    client_id, homework_id = setup(vault)
    assigned = draft(vault, client_id, homework_assigned=(homework_id,))
    earlier = notes.sign_note(vault.unit_of_work(), assigned.id)
    fresh = care.add_homework(vault.unit_of_work(), records.homework(client_id, "new-"))
    later = draft(vault, client_id, "y", session_date=date(2026, 10, 13),
                  homework_assigned=(homework_id, fresh.id))
    notes.delete_draft(vault.unit_of_work(), later.id)

    assert homework_of(vault, client_id, homework_id).assigned_in_note == earlier.id
    assert homework_of(vault, client_id, fresh.id).assigned_in_note is None
    tail = audited(vault)[-3:]
    assert ("edit", "homework", fresh.id) in tail and tail[-1] == ("delete", "note", later.id)


def test_deleting_a_draft_unlinks_check_ins_recorded_in_it(vault: Vault) -> None:
    client_id, homework_id = setup(vault)
    note = draft(vault, client_id)
    care.check_in(vault.unit_of_work(), homework_id, CheckinStatus.PARTIAL, client_report="half",
                  note_id=note.id)
    notes.delete_draft(vault.unit_of_work(), note.id)
    [checkin] = homework_of(vault, client_id, homework_id).checkins
    assert checkin.note_id is None and checkin.client_report == "half"


def test_deleting_a_draft_unlinks_measures_given_in_it(vault: Vault) -> None:
    client_id, _ = setup(vault)
    note = draft(vault, client_id)
    given, _ = measures.record_measure(vault.unit_of_work(), client_id, "PHQ-9", (1,) * 9, note_id=note.id)
    notes.delete_draft(vault.unit_of_work(), note.id)
    [kept] = care.list_measures(vault.unit_of_work(), client_id)
    assert kept.id == given.id and kept.note_id is None and kept.answers == (1,) * 9
    assert ("edit", "measure", given.id) in audited(vault)[-2:]


def test_deleting_a_draft_removes_it_from_milestone_evidence(vault: Vault) -> None:
    client_id, _ = setup(vault)
    signed = notes.sign_note(vault.unit_of_work(), draft(vault, client_id, "s-").id)
    deleted = draft(vault, client_id, "d-")
    milestone = care.add_milestone(vault.unit_of_work(), records.milestone(client_id, "m-"))
    care.set_milestone_status(vault.unit_of_work(), milestone.id, MilestoneStatus.EMERGING,
                              evidence_note_id=signed.id)
    care.set_milestone_status(vault.unit_of_work(), milestone.id, MilestoneStatus.ACHIEVED,
                              evidence_note_id=deleted.id)
    notes.delete_draft(vault.unit_of_work(), deleted.id)
    [kept] = care.list_milestones(vault.unit_of_work(), client_id)
    assert kept.evidence_note_ids == (signed.id,)
    assert [c.status for c in kept.history][-1] == MilestoneStatus.ACHIEVED  # the history stays
    assert verify.verify_vault(vault.unit_of_work()).ok  # every changed row matches its audited write


def test_dangling_note_references_from_an_older_vault_do_not_break_reading(vault: Vault) -> None:
    """Vaults written before deleting a draft cleared its links may still point at a removed note."""
    client_id, _ = setup(vault)
    gone = "0" * 32
    care.add_homework(vault.unit_of_work(), replace(records.homework(client_id, "d-"), assigned_in_note=gone))
    care.add_measure(vault.unit_of_work(), replace(records.measure(client_id, "d-"), note_id=gone))
    milestone = replace(records.milestone(client_id, "d-"), evidence_note_ids=(gone,))
    care.add_milestone(vault.unit_of_work(), milestone)
    kept = draft(vault, client_id, homework_assigned=())
    notes.save_draft(vault.unit_of_work(), kept)

    assert len(summary.client_summary(vault.unit_of_work(), client_id).homework) == 2
    assert summary.homework_sheet(vault.unit_of_work(), client_id, week_of=date(2026, 10, 7)).tasks
    assert summary.access_record(vault.unit_of_work(), client_id, include_drafts=True).notes
    assert json.loads(record.client_record_json(vault.unit_of_work(), client_id))["homework"]
    assert fhir.client_bundle(vault.unit_of_work(), client_id)["entry"]
    assert measures.measure_history(vault.unit_of_work(), client_id)
    notes.delete_draft(vault.unit_of_work(), kept.id)  # a later delete leaves the old dangling ones alone
    assert len(care.list_homework(vault.unit_of_work(), client_id)) == 2
