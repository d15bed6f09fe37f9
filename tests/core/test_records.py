"""Every kind of record goes in and comes back out exactly, across a lock and unlock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from notesdesk.core.domain.care import (
    Checkin,
    CheckinStatus,
    Homework,
    MilestoneStatus,
    Recurrence,
)
from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.notes import AddendumKind, NoteFormat
from notesdesk.core.domain.plans import PlanStatus, ReviewOutcome, missing_required_fields
from notesdesk.core.errors import Conflict, InvalidInput
from notesdesk.core.services import care, clients, notes, plans
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records


def reopen(vault: Vault) -> Vault:
    path = vault.path
    vault.close()
    return Vault.open(path, passphrase=PASSPHRASE)


def test_client_round_trip_with_accents_and_leap_day(vault: Vault) -> None:
    added = clients.add_client(vault.unit_of_work(), records.client("Zoë-"))
    vault = reopen(vault)
    try:
        assert clients.get_client(vault.unit_of_work(), added.id) == added
        assert clients.open_episode(vault.unit_of_work(), added.id) is not None
    finally:
        vault.close()


@pytest.mark.parametrize("fmt", list(NoteFormat)[:-1])
def test_note_round_trip_in_every_format(vault: Vault, fmt: NoteFormat) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    note = notes.create_note(vault.unit_of_work(), records.note(client.id, "mark-", fmt))
    stored, _ = notes.get_note(vault.unit_of_work(), note.id)
    assert stored == note
    assert stored.episode_id is not None
    assert all(section.text.startswith("mark-") for section in stored.sections)


def test_unknown_section_key_names_the_valid_ones(vault: Vault) -> None:
    with pytest.raises(InvalidInput, match="subjective, objective, assessment, plan"):
        notes.build_sections(NoteFormat.SOAP, {"feelings": "x"})


def test_signing_locks_the_note_and_addenda_chain(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    note = notes.create_note(vault.unit_of_work(), records.note(client.id, "x"))
    signed = notes.sign_note(vault.unit_of_work(), note.id)
    first = notes.add_addendum(vault.unit_of_work(), note.id, AddendumKind.CORRECTION, "Date was Tuesday")
    second = notes.add_addendum(vault.unit_of_work(), note.id, AddendumKind.LATE_ENTRY, "Called GP")
    assert signed.signature is not None and first.signature is not None
    assert first.addendum_of == signed.signature.content_hash
    assert second.addendum_of == first.signature.content_hash
    vault = reopen(vault)
    try:
        stored, addenda = notes.get_note(vault.unit_of_work(), note.id)
        assert [a.text for a in addenda] == ["Date was Tuesday", "Called GP"]
        assert notes.verify_note(vault.unit_of_work(), stored, addenda)
        edited = replace(stored, sections=notes.build_sections(NoteFormat.SOAP, {"plan": "changed"}))
        with pytest.raises(Conflict):
            notes.save_draft(vault.unit_of_work(), edited)
        with pytest.raises(Conflict):
            notes.delete_draft(vault.unit_of_work(), note.id)
        # Even straight through the repository the trigger refuses.
        with vault.unit_of_work() as uow, pytest.raises(Conflict):
            uow.notes.replace(edited)
        assert not notes.verify_note(vault.unit_of_work(), edited, addenda)
        assert notes.get_note(vault.unit_of_work(), note.id)[0] == stored
    finally:
        vault.close()


def test_addenda_only_on_signed_notes_and_empty_notes_cannot_be_signed(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    draft = notes.create_note(vault.unit_of_work(), records.note(client.id, "x"))
    with pytest.raises(Conflict):
        notes.add_addendum(vault.unit_of_work(), draft.id, AddendumKind.AMENDMENT, "text")
    empty = notes.create_note(
        vault.unit_of_work(), replace(draft, id="e" * 8, sections=notes.build_sections(NoteFormat.SOAP, {}))
    )
    with pytest.raises(InvalidInput):
        notes.sign_note(vault.unit_of_work(), empty.id)


def test_private_notes_are_kept_apart_from_session_notes(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    notes.create_note(vault.unit_of_work(), records.note(client.id, "session-"))
    private = notes.add_private_note(vault.unit_of_work(), records.private_note(client.id, "process-"))
    listed = notes.list_notes(vault.unit_of_work(), client.id)
    assert all("process-" not in n.text for n in listed)
    assert notes.list_private_notes(vault.unit_of_work(), client.id) == [private]


def test_copy_forward_carries_the_structure_and_the_plan_only(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    diary = Homework(client_id=client.id, description="Diary", assigned_on=date(2026, 10, 6))
    homework = care.add_homework(vault.unit_of_work(), diary)
    last = replace(records.note(client.id, "carry-"), objectives_addressed=("obj-1",),
                   homework_assigned=(homework.id,))
    last = notes.create_note(vault.unit_of_work(), last)
    notes.sign_note(vault.unit_of_work(), last.id)
    copy, made = notes.copy_forward(vault.unit_of_work(), client.id, date(2026, 10, 13))
    assert made and copy.id != last.id and not copy.is_signed and copy.session_date == date(2026, 10, 13)
    # The structure comes along: format, session type, plan links; last time's homework is to review.
    assert (copy.format, copy.session_type) == (last.format, last.session_type)
    assert copy.objectives_addressed == ("obj-1",) and copy.interventions == last.interventions
    assert copy.homework_reviewed == (homework.id,) and copy.homework_assigned == ()
    # Only the Plan's text is carried; what happened in this session is still to be written.
    assert [s.key for s in copy.sections] == [s.key for s in last.sections]
    assert {s.key: s.text for s in copy.sections} == {
        "subjective": "", "objective": "", "assessment": "", "plan": "carry-plan"
    }
    assert copy.risk_noted == "" and copy.start_time is None
    assert notes.get_note(vault.unit_of_work(), copy.id)[0] == copy  # stored as returned


def test_copy_forward_twice_on_one_day_opens_the_same_draft(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    notes.sign_note(vault.unit_of_work(), notes.create_note(vault.unit_of_work(),
                                                            records.note(client.id, "x-")).id)
    first, made = notes.copy_forward(vault.unit_of_work(), client.id, date(2026, 10, 13))
    again, made_again = notes.copy_forward(vault.unit_of_work(), client.id, date(2026, 10, 13))
    assert made and not made_again and again.id == first.id
    assert len(notes.list_notes(vault.unit_of_work(), client.id)) == 2
    with pytest.raises(InvalidInput):
        other = clients.add_client(vault.unit_of_work(), records.client("B"))
        notes.copy_forward(vault.unit_of_work(), other.id, date(2026, 10, 13))


def test_plan_versions_activation_and_review(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    draft = plans.save_plan(vault.unit_of_work(), records.plan(client.id, "p-"))
    assert missing_required_fields(draft) == []
    active = plans.activate_plan(vault.unit_of_work(), draft.id, effective=date(2026, 10, 1))
    assert active.review_due == date(2026, 12, 30)
    # The active plan is signed: revising it makes version 2 as a draft; version 1 stays as it was.
    revised = plans.revise_plan(vault.unit_of_work(), active.id)
    second = plans.save_plan(vault.unit_of_work(), replace(revised, strengths="new strengths"))
    assert second.version == 2 and second.status == PlanStatus.DRAFT and second.id != active.id
    plans.activate_plan(vault.unit_of_work(), second.id, effective=date(2026, 11, 1))
    versions = plans.plan_versions(vault.unit_of_work(), client.id)
    assert [(p.version, p.status) for p in versions] == [(1, PlanStatus.SUPERSEDED), (2, PlanStatus.ACTIVE)]
    assert versions[0].strengths == "p-strengths"
    reviewed = plans.record_review(
        vault.unit_of_work(), client.id, date(2026, 12, 1), ReviewOutcome.CONTINUE, "Goals still fit"
    )
    assert reviewed.review_due == date(2027, 3, 1)
    assert reviewed.reviews[-1].summary == "Goals still fit"


def test_missing_medicare_fields_are_listed() -> None:
    bare = replace(records.plan("c", "x"), service_type="", diagnoses=(), frequency="")
    missing = missing_required_fields(bare)
    assert any("type of service" in m for m in missing)
    assert "diagnoses" in missing and "frequency" in missing


def test_homework_checkins_and_adherence(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    hw = care.add_homework(vault.unit_of_work(), records.homework(client.id, "h-"))
    for day, status in [(7, CheckinStatus.DONE), (8, CheckinStatus.NOT_DONE), (9, CheckinStatus.DONE)]:
        hw = care.check_in(vault.unit_of_work(), hw.id, status, date(2026, 10, day), "report")
    stored = care.list_homework(vault.unit_of_work(), client.id)
    assert stored == [hw]
    assert care.adherence(stored, end=date(2026, 10, 10)) == pytest.approx(2 / 3)
    assert care.adherence(stored, end=date(2027, 1, 1)) is None
    assert care.overdue(stored, on=date(2026, 10, 20)) == []
    assert care.overdue(stored, on=date(2026, 10, 24)) == stored  # daily practice, silent 2 weeks


def test_one_off_homework_is_overdue_after_its_due_date_without_a_checkin() -> None:
    hw = replace(records.homework("c", "h"), recurrence=Recurrence.ONCE)
    assert care.overdue([hw], on=date(2026, 10, 14)) == [hw]
    assert care.overdue([hw], on=date(2026, 10, 13)) == []
    done = replace(hw, checkins=(Checkin(date(2026, 10, 12), CheckinStatus.DONE),))
    assert care.overdue([done], on=date(2026, 10, 14)) == []


def test_milestones_move_forward_and_back_with_history(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    note = notes.create_note(vault.unit_of_work(), records.note(client.id, "ev"))
    m = care.add_milestone(vault.unit_of_work(), records.milestone(client.id, "m-"))
    m = care.set_milestone_status(vault.unit_of_work(), m.id, MilestoneStatus.ACHIEVED, date(2026, 10, 1))
    m = care.set_milestone_status(
        vault.unit_of_work(), m.id, MilestoneStatus.EMERGING, date(2026, 10, 20), "setback", note.id
    )
    stored = care.list_milestones(vault.unit_of_work(), client.id)[0]
    assert [c.status for c in stored.history] == [
        MilestoneStatus.PLANNED,
        MilestoneStatus.ACHIEVED,
        MilestoneStatus.EMERGING,
    ]
    assert stored.achieved_on == date(2026, 10, 1)
    assert stored.evidence_note_ids == (note.id,)


def test_milestone_dimension_must_fit_its_kind(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    with pytest.raises(InvalidInput, match="physical, emotional, social, relational"):
        care.add_milestone(
            vault.unit_of_work(), replace(records.milestone(client.id, "m"), dimension="cognitive")
        )


def test_phase_history_and_safety_plan_versions(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    care.set_phase(vault.unit_of_work(), records.phase(client.id, "one-"))
    later = replace(records.phase(client.id, "two-"), id="p2", started_on=date(2026, 11, 1))
    care.set_phase(vault.unit_of_work(), later)
    assert [p.phase for p in care.phase_history(vault.unit_of_work(), client.id)] == [
        "one-phase",
        "two-phase",
    ]
    first = care.save_safety_plan(vault.unit_of_work(), records.safety_plan(client.id, "s-"))
    second = care.save_safety_plan(vault.unit_of_work(), replace(first, reason_for_living="my dog"))
    versions = care.safety_plan_versions(vault.unit_of_work(), client.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].reason_for_living == "s-reason" and second.reason_for_living == "my dog"


def test_measure_answers_keep_missing_items_missing(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    care.add_measure(vault.unit_of_work(), records.measure(client.id, "q"))
    stored = care.list_measures(vault.unit_of_work(), client.id)[0]
    assert stored.answers[2] is None and stored.episode_id is not None


def test_discharge_closes_the_episode_and_return_opens_a_new_one(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    clients.set_status(vault.unit_of_work(), client.id, ClientStatus.DISCHARGED, date(2026, 11, 1))
    assert clients.open_episode(vault.unit_of_work(), client.id) is None
    clients.set_status(vault.unit_of_work(), client.id, ClientStatus.ACTIVE, date(2026, 12, 1))
    eps = clients.episodes(vault.unit_of_work(), client.id)
    assert [(e.opened_on, e.closed_on) for e in eps] == [
        (date(2026, 9, 1), date(2026, 11, 1)),
        (date(2026, 12, 1), None),
    ]


def test_retention_date_follows_the_later_of_the_two_rules(vault: Vault) -> None:
    profile = vault.profile()
    adult = replace(
        records.client("A"),
        status=ClientStatus.DISCHARGED,
        discharge_date=date(2026, 11, 1),
        created_at=datetime(2026, 9, 1, 12, tzinfo=UTC),
    )
    assert clients.retain_until(adult, None, profile) == date(2033, 11, 1)
    minor = replace(adult, date_of_birth=date(2015, 5, 5))
    assert clients.retain_until(minor, None, profile) == date(2036, 5, 5)
    with pytest.raises(Conflict, match="kept until 2033-11-01"):
        clients.ensure_deletable(adult, None, profile)
    assert clients.retain_until(records.client("B"), None, profile) is None


def test_every_change_is_audited_in_order(vault: Vault, vault_path: Path) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    clients.get_client(vault.unit_of_work(), client.id)
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        actions = [(e.action, e.table) for e in vault.audit.entries(uow.session)]
    assert ("create vault", "") in actions[:3]
    assert ("create", "client") in actions and ("create", "episode") in actions
    assert actions[-1] == ("view", "client")


def test_a_record_is_destroyed_only_after_retention_and_with_confirmation(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notesdesk.core.services import retention

    keep = clients.add_client(vault.unit_of_work(), records.client("Keep "))
    entered = datetime(2011, 9, 1, 12, tzinfo=UTC)  # entered then: retention cannot start later
    old = replace(records.client("Old "), intake_date=date(2011, 9, 1), created_at=entered)
    old = clients.add_client(vault.unit_of_work(), old)
    note = notes.create_note(
        vault.unit_of_work(), replace(records.note(old.id, "n"), session_date=date(2012, 1, 9))
    )
    notes.sign_note(vault.unit_of_work(), note.id)
    notes.add_addendum(vault.unit_of_work(), note.id, AddendumKind.CLARIFICATION, "added")
    care.add_homework(vault.unit_of_work(), records.homework(old.id, "h"))
    recent = notes.create_note(vault.unit_of_work(), records.note(keep.id, "k"))
    with pytest.raises(Conflict, match="discharged"):
        retention.delete_client_record(vault.unit_of_work(), old.id, confirmed=True)
    clients.set_status(vault.unit_of_work(), keep.id, ClientStatus.DISCHARGED, date(2026, 11, 1))
    with pytest.raises(Conflict, match="kept until 203"):
        retention.delete_client_record(vault.unit_of_work(), keep.id, confirmed=True)
    with monkeypatch.context() as then:  # discharged and recorded in 2012
        then.setattr(clients, "today", lambda: date(2012, 6, 2))
        clients.set_status(vault.unit_of_work(), old.id, ClientStatus.DISCHARGED, date(2012, 6, 1))
    assert retention.retention_status(vault.unit_of_work(), old.id).retain_until == date(2019, 6, 2)
    with pytest.raises(Conflict, match="confirm"):
        retention.delete_client_record(vault.unit_of_work(), old.id, confirmed=False)
    removed = retention.delete_client_record(vault.unit_of_work(), old.id, confirmed=True)
    assert removed == 5  # client, episode, note, addendum, homework: every row of the record
    path = vault.path
    vault.close()
    with Vault.open(path, passphrase=PASSPHRASE) as reopened:  # the audit cross-check still holds
        assert [c.id for c in clients.list_clients(reopened.unit_of_work())] == [keep.id]
        assert notes.get_note(reopened.unit_of_work(), recent.id)[0] == recent
        with reopened.unit_of_work() as uow:
            assert uow.session is not None
            actions = [e.action for e in reopened.audit.entries(uow.session)]
        assert "delete client record" in actions


def test_names_are_found_without_accents_or_special_letters(vault: Vault) -> None:
    from notesdesk.core.services.lookup import resolve_client

    for name in ("Łukasz Wiśniewski", "Søren Ødegård", "Đặng Thu", "Zoë Æsir"):
        clients.add_client(vault.unit_of_work(), replace(records.client("x"), name=name))
    uow = vault.unit_of_work()
    assert resolve_client(uow, "lukasz").name == "Łukasz Wiśniewski"
    assert resolve_client(uow, "odeg").name == "Søren Ødegård"
    assert resolve_client(uow, "dang").name == "Đặng Thu"
    assert resolve_client(uow, "aesir").name == "Zoë Æsir"


def test_a_read_only_vault_can_still_show_records(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    note = notes.create_note(vault.unit_of_work(), records.note(client.id, "x"))
    private = notes.add_private_note(vault.unit_of_work(), records.private_note(client.id, "p"))
    path = vault.path
    vault.close()
    with Vault.open(path, passphrase=PASSPHRASE, read_only=True) as ro:
        assert clients.get_client(ro.unit_of_work(), client.id).id == client.id
        assert notes.get_note(ro.unit_of_work(), note.id)[0] == note
        assert notes.get_private_note(ro.unit_of_work(), private.id) == private


def test_addenda_follow_their_hash_chain_not_their_timestamps(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    note = notes.create_note(vault.unit_of_work(), records.note(client.id, "x"))
    signed = notes.sign_note(vault.unit_of_work(), note.id)
    texts = [f"addendum {i}" for i in range(4)]  # all within one second: equal timestamps
    made = [notes.add_addendum(vault.unit_of_work(), note.id, AddendumKind.LATE_ENTRY, t) for t in texts]
    shuffled = [made[2], made[0], made[3], made[1]]
    assert [a.text for a in notes.chain_order(signed, shuffled)] == texts
    assert notes.verify_note(vault.unit_of_work(), signed, notes.chain_order(signed, shuffled))
    assert not notes.verify_note(vault.unit_of_work(), signed, shuffled)


def test_a_new_plan_version_is_not_back_dated(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    first = plans.save_plan(vault.unit_of_work(), records.plan(client.id, "p"))
    active = plans.activate_plan(vault.unit_of_work(), first.id, effective=date(2026, 1, 5))
    revised = plans.revise_plan(vault.unit_of_work(), active.id)
    second = plans.save_plan(vault.unit_of_work(), replace(revised, strengths="more"))
    assert second.effective_date is None and second.review_due is None
    activated = plans.activate_plan(vault.unit_of_work(), second.id, effective=date(2026, 6, 1))
    assert activated.effective_date == date(2026, 6, 1) and activated.review_due == date(2026, 8, 30)


def test_editing_an_old_unsigned_active_plan_still_makes_a_new_undated_version(vault: Vault) -> None:
    """A plan activated before plans were signed is not locked: editing it makes a new draft, as it did."""
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    first = plans.save_plan(vault.unit_of_work(), records.plan(client.id, "p"))
    old = replace(first, status=PlanStatus.ACTIVE, effective_date=date(2026, 1, 5),
                  review_due=date(2026, 4, 5))
    with vault.unit_of_work() as uow:
        uow.plans.replace(old)
        uow.commit()
    second = plans.save_plan(vault.unit_of_work(), replace(old, strengths="more"))
    assert second.id != old.id and second.version == 2 and second.status == PlanStatus.DRAFT
    assert second.effective_date is None and second.review_due is None
