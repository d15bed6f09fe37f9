"""The rest of the clinical record syncs (issue 18): episodes of care, phase entries, questionnaire
administrations, diagnoses and the next session of a shared client reach the colleague's vault as they
were recorded; the colleague's client list shows the measure's alert; editable ones edited on two
devices from the same version keep both versions until a person chooses."""

from __future__ import annotations

from datetime import timedelta

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.services import (
    care,
    clients,
    diagnoses,
    measures,
    overview,
    practice,
    sync_conflicts,
    visits,
)
from notesdesk.core.sync import push, state
from tests.core import records
from tests.sync.helpers import add_client, assign, found_practice, join_practice, signed_note
from tests.sync.helpers import sync_in_turn as _sync

PHQ_14 = [2, 2, 2, 2, 2, 2, 1, 1, 0]  # PHQ-9 14, then 21: a reliable deterioration (change >= 6)
PHQ_21 = [3, 3, 3, 3, 3, 2, 2, 2, 0]


def _pair(make_vault, admin_url, intake_days_ago: int = 0):
    """Alice and Bob share one of Alice's clients; both have synced."""
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = clients.add_client(
        alice.unit_of_work(),
        Client(name="Synthetic Client", intake_date=today() - timedelta(days=intake_days_ago)),
    )
    assign(alice, client.id, joined.clinician_id)
    _sync(alice, bob)
    return alice, bob, client


def _open(vault):
    return sync_conflicts.list_conflicts(vault.unit_of_work())


def _record(vault, client_id):
    """What a clinician sees of the client's episodes, phases, measures, diagnoses and next session."""
    uow = vault.unit_of_work
    return {
        "episodes": clients.episodes(uow(), client_id),
        "phases": care.phase_history(uow(), client_id),
        "measures": care.list_measures(uow(), client_id),
        "diagnoses": diagnoses.list_diagnoses(uow(), client_id),
        "next": visits.next_session(uow(), client_id),
    }


def test_episodes_phases_measures_diagnoses_and_the_next_session_reach_the_colleague(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url, intake_days_ago=30)
    care.set_phase(alice.unit_of_work(), records.phase(client.id, "p "))
    measures.record_measure(alice.unit_of_work(), client.id, "PHQ-9", PHQ_14, on=today() - timedelta(days=7))
    # Two diagnoses recorded the same day (within one second): the first is the principal one.
    diagnoses.add_diagnosis(alice.unit_of_work(), client.id, "F41.1", text="principal")
    diagnoses.add_diagnosis(alice.unit_of_work(), client.id, "F32.1", text="secondary")
    visits.set_next_session(alice.unit_of_work(), client.id, today() + timedelta(days=3), every_days=7)
    assert _record(bob, client.id)["diagnoses"] == []

    _sync(alice, bob)

    on_alice, on_bob = _record(alice, client.id), _record(bob, client.id)
    assert on_bob == on_alice
    assert [d.code for d in on_bob["diagnoses"]] == ["F41.1", "F32.1"]
    assert len(on_bob["episodes"]) == 1 and on_bob["episodes"][0].opened_on == today() - timedelta(days=30)
    assert [m.answers for m in on_bob["measures"]] == [tuple(PHQ_14)]
    assert on_bob["next"] is not None and on_bob["next"].every_days == 7
    assert _open(bob) == [] and _open(alice) == []
    # And back: Bob's phase entry and questionnaire reach Alice.
    care.set_phase(bob.unit_of_work(), records.phase(client.id, "bob "))
    measures.record_measure(bob.unit_of_work(), client.id, "GAD-7", [1, 1, 1, 1, 1, 1, 1])
    _sync(bob, alice)
    assert _record(alice, client.id) == _record(bob, client.id)
    assert len(_record(alice, client.id)["measures"]) == 2


def test_the_colleagues_list_shows_the_alert_of_a_measure_recorded_elsewhere(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url, intake_days_ago=400)
    measures.record_measure(alice.unit_of_work(), client.id, "PHQ-9", PHQ_14, on=today() - timedelta(days=14))
    _sync(alice, bob)
    assert "deteriorating" not in overview.client_flags(bob.unit_of_work(), [client.id])[client.id].labels()

    measures.record_measure(alice.unit_of_work(), client.id, "PHQ-9", PHQ_21)  # 14 -> 21 today
    _sync(alice, bob)

    on_bob = overview.client_flags(bob.unit_of_work(), [client.id])[client.id]
    assert "deteriorating" in on_bob.labels()
    # The list read from the stored summaries says what the full records say.
    assert on_bob == overview.flags_from_records(bob.unit_of_work(), [client.id])[client.id]
    assert on_bob == overview.client_flags(alice.unit_of_work(), [client.id])[client.id]


def test_an_episode_closed_on_two_devices_keeps_both_and_a_choice_converges(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url, intake_days_ago=60)
    clients.discharge(alice.unit_of_work(), client.id, today() - timedelta(days=2), "moved away")
    clients.discharge(bob.unit_of_work(), client.id, today() - timedelta(days=1), "goals met")
    _sync(alice, bob, alice)

    (on_alice,) = [c for c in _open(alice) if c.table == "episode"]
    (on_bob,) = [c for c in _open(bob) if c.table == "episode"]
    assert on_bob.what == "episode of care"
    assert (on_bob.mine["reason"], on_bob.theirs["reason"]) == ("goals met", "moved away")
    assert (on_alice.mine["reason"], on_alice.theirs["reason"]) == ("moved away", "goals met")
    # Nothing overwritten: each still has its own.
    assert clients.episodes(bob.unit_of_work(), client.id)[0].reason == "goals met"
    assert clients.episodes(alice.unit_of_work(), client.id)[0].reason == "moved away"

    for conflict in _open(bob):  # the client's details (its discharge date) conflict too
        sync_conflicts.resolve(bob.unit_of_work(), conflict.id, "theirs")
    _sync(bob, alice, bob)

    on_alice = clients.episodes(alice.unit_of_work(), client.id)
    assert on_alice == clients.episodes(bob.unit_of_work(), client.id)
    assert on_alice[0].reason == "moved away"
    assert _open(alice) == [] and _open(bob) == []


def test_a_next_session_moved_on_two_devices_keeps_both(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url)
    visits.set_next_session(alice.unit_of_work(), client.id, today() + timedelta(days=7))
    _sync(alice, bob)
    visits.set_next_session(alice.unit_of_work(), client.id, today() + timedelta(days=8))
    visits.set_next_session(bob.unit_of_work(), client.id, today() + timedelta(days=9))
    _sync(alice, bob, alice)

    (on_bob,) = _open(bob)
    assert on_bob.what == "next session" and on_bob.differing[0] == "next_on"
    assert visits.next_session(bob.unit_of_work(), client.id).next_on == today() + timedelta(days=9)
    sync_conflicts.resolve(bob.unit_of_work(), on_bob.id, "theirs")
    _sync(bob, alice)
    for vault in (alice, bob):
        assert visits.next_session(vault.unit_of_work(), client.id).next_on == today() + timedelta(days=8)
    assert _open(alice) == []


def test_the_same_diagnosis_recorded_on_two_devices_is_not_listed_twice(make_vault, admin_url):
    alice, bob, client = _pair(make_vault, admin_url)
    diagnoses.add_diagnosis(alice.unit_of_work(), client.id, "F41.1", text="alice's words")
    diagnoses.add_diagnosis(bob.unit_of_work(), client.id, "F41.1", text="bob's words")
    diagnoses.add_diagnosis(bob.unit_of_work(), client.id, "F32.1")
    _sync(alice, bob, alice)

    assert [(d.code, d.text) for d in diagnoses.list_diagnoses(alice.unit_of_work(), client.id)] == [
        ("F41.1", "alice's words"), ("F32.1", "")]
    assert [(d.code, d.text) for d in diagnoses.list_diagnoses(bob.unit_of_work(), client.id)] == [
        ("F41.1", "bob's words"), ("F32.1", "")]


def test_a_client_not_shared_brings_none_of_its_record(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Unshared Client")
    diagnoses.add_diagnosis(alice.unit_of_work(), client.id, "F41.1")
    measures.record_measure(alice.unit_of_work(), client.id, "PHQ-9", PHQ_14)
    care.set_phase(alice.unit_of_work(), records.phase(client.id, "p "))
    _sync(alice, bob)

    uow = bob.unit_of_work()
    with uow:
        held = {table: len(getattr(uow, table).all())
                for table in ("clients", "episodes", "phases", "measures", "diagnoses")}
    assert held == dict.fromkeys(held, 0)
    assert practice.status(bob.unit_of_work()).clients_not_shared == 1


def test_a_device_that_synced_before_these_records_did_sends_its_earlier_ones_once(
    make_vault, admin_url, monkeypatch
):
    """A practice that upgrades: what was written before this version synced these kinds is sent at
    the first sync after the upgrade, and nothing sent before is sent again."""
    with monkeypatch.context() as older:  # the version before: the first nine kinds only
        older.setattr(push, "SYNCED_TABLES", state.FIRST_TABLES)
        alice, bob, client = _pair(make_vault, admin_url)
        diagnoses.add_diagnosis(alice.unit_of_work(), client.id, "F41.1")
        measures.record_measure(alice.unit_of_work(), client.id, "PHQ-9", PHQ_14)
        signed_note(alice, client.id, "written before the upgrade")
        assert practice.sync(alice.unit_of_work()).pushed == 1
        practice.sync(bob.unit_of_work())
    assert diagnoses.list_diagnoses(bob.unit_of_work(), client.id) == []

    # The client's episode of care (from before the upgrade too), the diagnosis, the measure and
    # Alice's name and profile (settings too, new since).
    assert practice.sync(alice.unit_of_work()).pushed == 5
    assert practice.sync(bob.unit_of_work()).received == 4
    assert _record(bob, client.id) == _record(alice, client.id)
    assert practice.sync(alice.unit_of_work()).pushed == 0
