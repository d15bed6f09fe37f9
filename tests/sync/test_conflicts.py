"""Plans, safety plans, milestones and client details sync; edits made offline on two devices from the
same version keep both versions, are listed on both, and a choice made on one converges both."""

from __future__ import annotations

from dataclasses import replace

import pytest

from notesdesk.core.domain.care import CheckinStatus, MilestoneStatus
from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import AgreementHow, PlanStatus, ReviewOutcome
from notesdesk.core.errors import Conflict, InvalidInput
from notesdesk.core.services import care, clients, plans, sync_conflicts, verify
from tests.core import records
from tests.sync.helpers import add_client, assign, found_practice, join_practice
from tests.sync.helpers import sync_in_turn as _sync


def _pair(make_vault, admin_url):
    """Alice and Bob share one client; both have synced."""
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client")
    assign(alice, client.id, joined.clinician_id)
    _sync(alice, bob)
    return alice, bob, client


def _open(vault):
    return sync_conflicts.list_conflicts(vault.unit_of_work())


def _milestone(vault, client_id):
    (found,) = care.list_milestones(vault.unit_of_work(), client_id)
    return found


def _active(vault, client_id):
    return [p for p in plans.plan_versions(vault.unit_of_work(), client_id) if p.status is PlanStatus.ACTIVE]


def _new_version(vault, client_id, source_id):
    draft = plans.revise_plan(vault.unit_of_work(), source_id)
    return plans.activate_plan(vault.unit_of_work(), draft.id)


def test_an_edit_made_from_the_version_held_elsewhere_applies_there(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url)
    milestone = care.add_milestone(alice.unit_of_work(), records.milestone(client.id, "m "))
    _sync(alice, bob)
    care.set_milestone_status(alice.unit_of_work(), milestone.id, MilestoneStatus.EMERGING)
    clients.update_client(alice.unit_of_work(), replace(client, phone="555-0100"))
    _sync(alice, bob)

    assert _milestone(bob, client.id).status is MilestoneStatus.EMERGING
    assert clients.get_client(bob.unit_of_work(), client.id).phone == "555-0100"
    assert _open(bob) == [] and _open(alice) == []
    # And back: Bob's edit of what he received applies in Alice's vault.
    care.set_milestone_status(bob.unit_of_work(), milestone.id, MilestoneStatus.ACHIEVED)
    _sync(bob, alice)
    assert _milestone(alice, client.id).status is MilestoneStatus.ACHIEVED
    assert _open(alice) == []


def test_conflicting_milestone_edits_are_both_kept_and_a_choice_converges_both(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url)
    milestone = care.add_milestone(alice.unit_of_work(), records.milestone(client.id, "m "))
    _sync(alice, bob)
    care.set_milestone_status(alice.unit_of_work(), milestone.id, MilestoneStatus.EMERGING, comment="A")
    care.set_milestone_status(bob.unit_of_work(), milestone.id, MilestoneStatus.ACHIEVED, comment="B")
    _sync(alice, bob, alice)

    # Nothing overwritten: each keeps its own, and lists the other's beside it.
    assert _milestone(alice, client.id).status is MilestoneStatus.EMERGING
    assert _milestone(bob, client.id).status is MilestoneStatus.ACHIEVED
    (on_alice,), (on_bob,) = _open(alice), _open(bob)
    assert (on_bob.mine["status"], on_bob.theirs["status"]) == ("achieved", "emerging")
    assert (on_alice.mine["status"], on_alice.theirs["status"]) == ("emerging", "achieved")
    assert "status" in on_bob.differing

    sync_conflicts.resolve(bob.unit_of_work(), on_bob.id, "theirs")
    _sync(bob, alice, bob)

    assert _milestone(bob, client.id) == _milestone(alice, client.id)
    assert _milestone(bob, client.id).status is MilestoneStatus.EMERGING
    assert _open(alice) == [] and _open(bob) == []
    # Both versions stay on record on both devices, with how each was closed.
    kept = {c.kept for c in sync_conflicts.list_conflicts(alice.unit_of_work(), include_resolved=True)}
    assert kept == {"elsewhere"}
    # Converged: syncing again sends the choice nowhere new and finds no conflict.
    _sync(alice, bob)
    assert _open(alice) == [] and _open(bob) == []


def test_homework_and_its_check_ins_sync(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url)
    homework = care.add_homework(alice.unit_of_work(), records.homework(client.id, "hw "))
    _sync(alice, bob)
    care.check_in(bob.unit_of_work(), homework.id, CheckinStatus.DONE)
    _sync(bob, alice)

    (received,) = care.list_homework(alice.unit_of_work(), client.id)
    assert received.description == homework.description
    assert [c.status for c in received.checkins] == [CheckinStatus.DONE]
    assert _open(alice) == []


def test_conflicting_client_details_keep_mine(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url)
    clients.update_client(alice.unit_of_work(), replace(client, phone="555-0101"))
    clients.update_client(bob.unit_of_work(), replace(client, phone="555-0202"))
    _sync(alice, bob, alice)
    (on_alice,) = _open(alice)
    assert on_alice.what == "client details" and on_alice.differing == ["phone"]

    sync_conflicts.resolve(alice.unit_of_work(), on_alice.id, "mine")
    _sync(alice, bob)

    assert clients.get_client(bob.unit_of_work(), client.id).phone == "555-0101"
    assert clients.get_client(alice.unit_of_work(), client.id).phone == "555-0101"
    assert _open(bob) == []


def test_safety_plans_sync_and_offline_versions_on_two_devices_are_chosen_between(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url)
    care.save_safety_plan(alice.unit_of_work(), records.safety_plan(client.id, "first "))
    _sync(alice, bob)
    (received,) = care.safety_plan_versions(bob.unit_of_work(), client.id)
    assert received.reason_for_living == "first reason"

    care.save_safety_plan(alice.unit_of_work(), records.safety_plan(client.id, "alice "))
    care.save_safety_plan(bob.unit_of_work(), records.safety_plan(client.id, "bob "))
    _sync(alice, bob, alice)
    (on_alice,), (on_bob,) = _open(alice), _open(bob)
    assert on_alice.theirs["reason_for_living"] == "bob reason"
    assert on_bob.theirs["reason_for_living"] == "alice reason"
    # Each device's current plan is still its own: the other's waits in the list.
    assert care.safety_plan_versions(bob.unit_of_work(), client.id)[-1].reason_for_living == "bob reason"

    sync_conflicts.resolve(alice.unit_of_work(), on_alice.id, "mine")
    _sync(alice, bob)

    for vault in (alice, bob):
        newest = care.safety_plan_versions(vault.unit_of_work(), client.id)[-1]
        assert (newest.version, newest.reason_for_living) == (3, "alice reason")
        assert _open(vault) == []


def test_a_signed_plan_with_its_review_and_agreement_arrives_and_verifies(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url)
    plan = plans.activate_plan(
        alice.unit_of_work(), plans.save_plan(alice.unit_of_work(), records.plan(client.id, "p ")).id
    )
    plans.record_review(alice.unit_of_work(), client.id, today(), ReviewOutcome.CONTINUE, "on track")
    plans.agree_plan(alice.unit_of_work(), client.id, today(), AgreementHow.PAPER)
    plans.save_plan(alice.unit_of_work(), records.plan(client.id, "draft "))  # stays with Alice
    _sync(alice, bob)

    (received,) = plans.plan_versions(bob.unit_of_work(), client.id)
    assert received.id == plan.id and received.signature == plan.signature
    assert [r.summary for r in received.reviews] == ["on track"]
    assert plans.agreement_of(bob.unit_of_work(), received) is not None
    # Bob's vault checks Alice's signatures under her key, as it does her notes.
    verify.verify_vault(bob.unit_of_work())


def test_plan_versions_activated_offline_on_two_devices_are_both_kept_and_one_chosen(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url)
    first = plans.activate_plan(
        alice.unit_of_work(), plans.save_plan(alice.unit_of_work(), records.plan(client.id, "p ")).id
    )
    _sync(alice, bob)
    mine = _new_version(alice, client.id, first.id)
    theirs = _new_version(bob, client.id, first.id)
    _sync(alice, bob, alice)

    (on_alice,), (on_bob,) = _open(alice), _open(bob)
    assert on_alice.what == "treatment plan version" and on_alice.theirs["id"] == theirs.id
    # Each device's own version stays the active one; the other's is kept, signed, set aside.
    assert [p.id for p in _active(alice, client.id)] == [mine.id]
    assert [p.id for p in _active(bob, client.id)] == [theirs.id]
    # A review Bob records on his version meanwhile still reaches Alice (its version is there).
    plans.record_review(bob.unit_of_work(), client.id, today(), ReviewOutcome.CONTINUE, "bob's review")
    _sync(bob, alice)
    versions = plans.plan_versions(alice.unit_of_work(), client.id)
    reviewed = {p.id: [r.summary for r in p.reviews] for p in versions}
    assert reviewed[theirs.id] == ["bob's review"]

    sync_conflicts.resolve(bob.unit_of_work(), on_bob.id, "theirs")
    _sync(bob, alice)

    for vault in (alice, bob):
        versions = plans.plan_versions(vault.unit_of_work(), client.id)
        assert {p.id for p in versions} == {first.id, mine.id, theirs.id}
        assert [p.id for p in _active(vault, client.id)] == [mine.id]
        assert _open(vault) == []
        verify.verify_vault(vault.unit_of_work())


@pytest.mark.parametrize(("alice_keeps", "bob_keeps"), [("mine", "mine"), ("theirs", "theirs")])
def test_choices_made_on_both_devices_before_either_synced_still_converge(
    make_vault, admin_url, alice_keeps, bob_keeps
):
    alice, bob, client = _pair(make_vault, admin_url)
    milestone = care.add_milestone(alice.unit_of_work(), records.milestone(client.id, "m "))
    _sync(alice, bob)
    care.set_milestone_status(alice.unit_of_work(), milestone.id, MilestoneStatus.EMERGING)
    care.set_milestone_status(bob.unit_of_work(), milestone.id, MilestoneStatus.ACHIEVED)
    _sync(alice, bob, alice)
    sync_conflicts.resolve(alice.unit_of_work(), _open(alice)[0].id, alice_keeps)
    sync_conflicts.resolve(bob.unit_of_work(), _open(bob)[0].id, bob_keeps)

    _sync(alice, bob, alice, bob)

    assert _milestone(alice, client.id).status == _milestone(bob, client.id).status
    assert _open(alice) == [] and _open(bob) == []


def test_a_merge_keeps_mine_with_the_fields_taken_from_theirs_on_both_devices(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url)
    clients.update_client(alice.unit_of_work(), replace(client, phone="555-0101", email="a@example.org"))
    clients.update_client(bob.unit_of_work(), replace(client, phone="555-0202", email="b@example.org"))
    _sync(alice, bob, alice)
    (on_bob,) = _open(bob)
    assert on_bob.differing == ["phone", "email"]

    with pytest.raises(InvalidInput, match="differ only in: phone, email"):
        sync_conflicts.resolve(bob.unit_of_work(), on_bob.id, "mine", ("name",))
    merged = sync_conflicts.resolve(bob.unit_of_work(), on_bob.id, "mine", ("phone",))
    _sync(bob, alice)

    assert merged.kept == "merged"
    for vault in (alice, bob):
        found = clients.get_client(vault.unit_of_work(), client.id)
        assert (found.phone, found.email) == ("555-0101", "b@example.org")
        assert _open(vault) == []


def test_a_conflict_is_resolved_once(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url)
    clients.update_client(alice.unit_of_work(), replace(client, phone="555-0101"))
    clients.update_client(bob.unit_of_work(), replace(client, phone="555-0202"))
    _sync(alice, bob)
    (on_bob,) = _open(bob)
    sync_conflicts.resolve(bob.unit_of_work(), on_bob.id, "mine")

    with pytest.raises(Conflict, match="already resolved"):
        sync_conflicts.resolve(bob.unit_of_work(), on_bob.id, "theirs")
    assert clients.get_client(bob.unit_of_work(), client.id).phone == "555-0202"


def test_a_practice_export_carries_a_colleagues_signed_plan_and_the_conflicts_but_not_the_sync_bases(
    make_vault, admin_url
):
    from notesdesk.core.exports import practice as practice_export
    from notesdesk.core.sync import shared

    alice, bob, client = _pair(make_vault, admin_url)
    draft = plans.save_plan(alice.unit_of_work(), records.plan(client.id, "p "))
    plans.activate_plan(alice.unit_of_work(), draft.id)
    clients.update_client(alice.unit_of_work(), replace(client, phone="555-0101"))
    clients.update_client(bob.unit_of_work(), replace(client, phone="555-0202"))
    _sync(alice, bob)
    assert len(_open(bob)) == 1
    data = practice_export.export_practice(bob, "export passphrase 4 tests")

    copy = make_vault("copy")
    practice_export.import_practice(copy, data, "export passphrase 4 tests")

    verify.verify_vault(copy.unit_of_work())  # Alice's signed plan checks under her key there too
    assert len(plans.plan_versions(copy.unit_of_work(), client.id)) == 1
    assert len(_open(copy)) == 1
    with copy.unit_of_work() as uow:
        assert shared.load_bases(uow) == {}
