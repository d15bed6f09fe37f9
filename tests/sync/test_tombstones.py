"""Removals travel between devices and colleagues as tombstones (issue 18, docs/design-notes.md §9):
a diagnosis, payment or consent removed and a next session cleared on one vault are gone on the other,
its flags and audit log saying so; a removal of a row edited meanwhile elsewhere loses to the edit on
both; a removal is idempotent; one from a supervisor, or sealed under the practice key, is not taken;
a removal reveals nothing on the server beyond an id."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from notesdesk.core.domain.billing import PaymentMethod
from notesdesk.core.domain.clients import Client, ClientStatus
from notesdesk.core.domain.common import today
from notesdesk.core.domain.paperwork import Consent, ConsentKind
from notesdesk.core.errors import SupervisedOnly
from notesdesk.core.services import (
    audit_log,
    clients,
    consent,
    diagnoses,
    notes,
    payments,
    practice,
    practice_access,
    profile,
    retention,
    sync_conflicts,
    verify,
    visits,
)
from notesdesk.core.sync import access, crypto
from notesdesk.core.sync.pull import SyncTampered
from tests.core import billing, records
from tests.sync.helpers import assign, before_supervision_was_read_only, found_practice, join_practice
from tests.sync.helpers import sync_in_turn as _sync

DAY = today() - timedelta(days=10)
MISSING = "informed_consent_missing"


def _pair(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    for vault in (alice, bob):  # a country: the currency payments are in
        profile.save_profile(vault.unit_of_work(), replace(vault.profile(), locale="US"))
    client = clients.add_client(alice.unit_of_work(), Client(name="Synthetic Client",
                                                             intake_date=DAY - timedelta(days=30)))
    assign(alice, client.id, joined.clinician_id)
    _sync(alice, bob)
    return alice, bob, client, joined.clinician_id


def _fingerprint(vault):
    return practice.status(vault.unit_of_work()).practice_fingerprint


def _record(vault, client_id):
    """A diagnosis, a consent, a payment for a signed session and a next session."""
    billing.fee(vault, 12000)
    note_id = billing.session(vault, client_id, DAY, mark="session ")
    diagnoses.add_diagnosis(vault.unit_of_work(), client_id, "F32.1")
    consent.add_consent(vault.unit_of_work(), Consent(client_id, ConsentKind.INFORMED, agreed_on=DAY))
    payments.record_payment(vault.unit_of_work(), client_id, 12000, PaymentMethod.CARD, DAY, (note_id,))
    visits.set_next_session(vault.unit_of_work(), client_id, today() + timedelta(days=7))


def _held(vault, client_id):
    uow = vault.unit_of_work
    return {
        "diagnoses": [d.id for d in diagnoses.list_diagnoses(uow(), client_id)],
        "consents": [c.id for c in consent.list_consents(uow(), client_id)],
        "payments": [p.id for p in payments.list_payments(uow(), client_id)],
        "next": getattr(visits.next_session(uow(), client_id), "id", None),
    }


def _received_removals(vault):
    return {(e.table, e.row_id) for e in audit_log.audit_entries(vault.unit_of_work())
            if e.action == "receive-delete"}


def test_removals_made_on_one_vault_are_gone_on_the_other(make_vault, admin_url):
    alice, bob, client, _bob_id = _pair(make_vault, admin_url)
    _record(alice, client.id)
    _sync(alice, bob)
    before = _held(bob, client.id)
    assert before == _held(alice, client.id) and all(before.values())
    assert MISSING not in {f.key for f in consent.client_paperwork_flags(bob.unit_of_work(), client.id)}

    (diagnosis,) = before["diagnoses"]
    (agreed,) = before["consents"]
    (paid,) = before["payments"]
    diagnoses.remove_diagnosis(alice.unit_of_work(), diagnosis)
    consent.remove_consent(alice.unit_of_work(), agreed)
    payments.remove_payment(alice.unit_of_work(), paid)
    visits.clear_next_session(alice.unit_of_work(), client.id)
    _sync(alice, bob)

    assert _held(bob, client.id) == {"diagnoses": [], "consents": [], "payments": [], "next": None}
    # The client's flags on Bob's computer follow: the agreement is missing there now too.
    on_bob = consent.client_paperwork_flags(bob.unit_of_work(), client.id)
    assert on_bob == consent.client_paperwork_flags(alice.unit_of_work(), client.id)
    assert MISSING in {f.key for f in on_bob}, "the removed consent still counts on the receiving vault"
    assert _received_removals(bob) == {("diagnosis", diagnosis), ("consent", agreed), ("payment", paid),
                                       ("next_session", before["next"])}
    # Received removals never go back: Alice's log has none, and Bob's next push sends nothing.
    assert _received_removals(alice) == set()
    assert practice.sync(bob.unit_of_work()).pushed == 0
    for vault in (alice, bob):
        verify.verify_vault(vault.unit_of_work())


def test_a_removal_of_a_row_never_held_or_removed_already_changes_nothing(make_vault, admin_url):
    alice, bob, client, _bob_id = _pair(make_vault, admin_url)
    # Bob records and removes a diagnosis before ever sending it: Alice never had it.
    never = diagnoses.add_diagnosis(bob.unit_of_work(), client.id, "F41.1")
    diagnoses.remove_diagnosis(bob.unit_of_work(), never.id)
    # Both remove the same payment, neither having heard of the other's removal.
    paid = payments.record_payment(alice.unit_of_work(), client.id, 5000, PaymentMethod.CASH, DAY, ())
    _sync(alice, bob)
    payments.remove_payment(alice.unit_of_work(), paid.id)
    payments.remove_payment(bob.unit_of_work(), paid.id)
    _sync(bob, alice, bob)

    for vault in (alice, bob):
        assert _held(vault, client.id)["diagnoses"] == [] and _held(vault, client.id)["payments"] == []
        assert _received_removals(vault) == set()
        verify.verify_vault(vault.unit_of_work())


def test_a_new_vault_pulling_the_whole_log_ends_without_the_removed_rows(make_vault, admin_url):
    alice, bob, client, _bob_id = _pair(make_vault, admin_url)
    _record(alice, client.id)
    _sync(alice)
    kept = diagnoses.add_diagnosis(alice.unit_of_work(), client.id, "F41.1")
    for diagnosis_id in _held(alice, client.id)["diagnoses"]:
        if diagnosis_id != kept.id:
            diagnoses.remove_diagnosis(alice.unit_of_work(), diagnosis_id)
    consent.remove_consent(alice.unit_of_work(), _held(alice, client.id)["consents"][0])
    _sync(alice)
    carol = make_vault("carol")
    joined = join_practice(alice, carol, admin_url, _fingerprint(alice))
    assign(alice, client.id, joined.clinician_id)
    _sync(alice, carol)
    assert _held(carol, client.id) == _held(alice, client.id)
    assert _held(carol, client.id)["diagnoses"] == [kept.id]
    verify.verify_vault(carol.unit_of_work())


def test_a_removal_loses_to_an_edit_made_meanwhile_on_the_other_vault(make_vault, admin_url):
    """Consent withdrawn on Bob's computer, removed on Alice's, neither having heard of the other: the
    withdrawal wins on both (nothing is lost), and Bob's vault counts the removal as held."""
    alice, bob, client, _bob_id = _pair(make_vault, admin_url)
    agreed = consent.add_consent(alice.unit_of_work(),
                                 Consent(client.id, ConsentKind.INFORMED, agreed_on=DAY))
    visits.set_next_session(alice.unit_of_work(), client.id, today() + timedelta(days=7))
    _sync(alice, bob)

    consent.withdraw_consent(bob.unit_of_work(), agreed.id, today())
    visits.set_next_session(bob.unit_of_work(), client.id, today() + timedelta(days=9))
    consent.remove_consent(alice.unit_of_work(), agreed.id)
    visits.clear_next_session(alice.unit_of_work(), client.id)
    held_before = practice.status(bob.unit_of_work()).held
    _sync(alice, bob, alice)

    for vault in (alice, bob):
        (kept,) = consent.list_consents(vault.unit_of_work(), client.id)
        assert kept.withdrawn_on == today()
        assert visits.next_session(vault.unit_of_work(), client.id).next_on == today() + timedelta(days=9)
        verify.verify_vault(vault.unit_of_work())
    assert practice.status(bob.unit_of_work()).held == held_before + 2
    assert _received_removals(bob) == set()
    assert sync_conflicts.list_conflicts(bob.unit_of_work()) == []


def _supervised(make_vault, admin_url):
    alice, bob, client, _bob_id = _pair(make_vault, admin_url)
    carol = make_vault("carol")
    joined = join_practice(alice, carol, admin_url, _fingerprint(alice))
    practice_access.assign(alice.unit_of_work(), client.id, joined.clinician_id, supervisor=True)
    diagnosis = diagnoses.add_diagnosis(alice.unit_of_work(), client.id, "F32.1")
    _sync(alice, bob, carol)
    return alice, bob, carol, client, diagnosis


def test_a_supervisors_removal_stays_in_their_vault(make_vault, admin_url, monkeypatch):
    alice, bob, carol, client, diagnosis = _supervised(make_vault, admin_url)
    with pytest.raises(SupervisedOnly):  # refused now (tests/sync/test_supervised_read_only.py)
        diagnoses.remove_diagnosis(carol.unit_of_work(), diagnosis.id)
    with before_supervision_was_read_only(monkeypatch):
        diagnoses.remove_diagnosis(carol.unit_of_work(), diagnosis.id)
    assert practice.sync(carol.unit_of_work()).pushed == 0
    _sync(alice, bob)
    assert _held(alice, client.id)["diagnoses"] == [diagnosis.id]
    assert _held(bob, client.id)["diagnoses"] == [diagnosis.id]


def test_a_removal_pushed_by_a_supervisor_anyway_is_not_taken(make_vault, admin_url, monkeypatch):
    """A supervisor's vault altered to send its removal: every member's vault leaves it out."""
    alice, bob, carol, client, diagnosis = _supervised(make_vault, admin_url)
    with before_supervision_was_read_only(monkeypatch):
        diagnoses.remove_diagnosis(carol.unit_of_work(), diagnosis.id)
    with monkeypatch.context() as altered:
        altered.setattr(access, "may_push", lambda *_args: True)
        assert practice.sync(carol.unit_of_work()).pushed == 1
    _sync(alice, bob)
    assert _held(alice, client.id)["diagnoses"] == [diagnosis.id]
    assert _held(bob, client.id)["diagnoses"] == [diagnosis.id]
    assert _received_removals(alice) == set()


def test_a_removal_sealed_under_the_practice_key_is_refused(make_vault, admin_url, monkeypatch):
    """Every member holds the practice key, clients shared with them or not: a removal sealed under it
    (by a member who cannot read the client) is refused, and nothing of its batch applied."""
    alice, bob, client, _bob_id = _pair(make_vault, admin_url)
    diagnosis = diagnoses.add_diagnosis(alice.unit_of_work(), client.id, "F32.1")
    _sync(alice, bob)
    diagnoses.remove_diagnosis(bob.unit_of_work(), diagnosis.id)

    def practice_sealed(_keys, ident, _table, _obj, at, payload):
        return at, crypto.seal_row(ident.key, ident.practice_id, at, payload, ident.key_version)

    with monkeypatch.context() as altered:
        altered.setattr(access, "seal", practice_sealed)
        practice.sync(bob.unit_of_work())
    with pytest.raises(SyncTampered, match="another client"):
        practice.sync(alice.unit_of_work())
    assert _held(alice, client.id)["diagnoses"] == [diagnosis.id]


def test_a_record_deleted_here_at_the_end_of_retention_is_not_started_again(
    make_vault, admin_url, monkeypatch
):
    """Deleting a whole record does not travel (each clinician's retention duty is their own); what a
    colleague sends of it afterwards is left out and counted, never a partial record."""
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    entered = datetime(2011, 9, 1, 12, tzinfo=UTC)
    old = replace(records.client("Old "), intake_date=date(2011, 9, 1), created_at=entered)
    old = clients.add_client(alice.unit_of_work(), old)
    note = replace(records.note(old.id, "n"), session_date=date(2012, 1, 9))
    note = notes.create_note(alice.unit_of_work(), note)
    notes.sign_note(alice.unit_of_work(), note.id)
    diagnosis = diagnoses.add_diagnosis(alice.unit_of_work(), old.id, "F41.1")
    with monkeypatch.context() as then:
        then.setattr(clients, "today", lambda: date(2012, 6, 2))
        clients.set_status(alice.unit_of_work(), old.id, ClientStatus.DISCHARGED, date(2012, 6, 1))
    assign(alice, old.id, joined.clinician_id)
    _sync(alice, bob)

    retention.delete_client_record(alice.unit_of_work(), old.id, confirmed=True)
    assert practice.sync(alice.unit_of_work()).pushed == 0  # the deletion does not travel
    diagnoses.remove_diagnosis(bob.unit_of_work(), diagnosis.id)
    diagnoses.add_diagnosis(bob.unit_of_work(), old.id, "F32.1")
    clients.update_client(bob.unit_of_work(), replace(clients.get_client(bob.unit_of_work(), old.id),
                                                      preferred_name="Ola"))
    _sync(bob)
    report = practice.sync(alice.unit_of_work())

    assert report.held == 3
    assert [c.id for c in clients.list_clients(alice.unit_of_work())] == []
    with alice.unit_of_work() as uow:
        assert uow.diagnoses.all() == []
    assert [n.id for n in notes.list_notes(bob.unit_of_work(), old.id)] == [note.id]
    verify.verify_vault(alice.unit_of_work())


def test_the_server_learns_only_that_a_row_was_removed(make_vault, database):
    cluster, name, admin_url = database
    alice, bob, client, _bob_id = _pair(make_vault, admin_url)
    canary = "zq" + secrets.token_hex(6)
    diagnosis = diagnoses.add_diagnosis(alice.unit_of_work(), client.id, "F32.1", text=canary)
    _sync(alice)
    diagnoses.remove_diagnosis(alice.unit_of_work(), diagnosis.id)
    _sync(alice, bob)
    with psycopg.connect(admin_url) as conn:
        rows = conn.execute("SELECT table_name, row_id, client_id FROM change"
                            " WHERE table_name = 'tombstone'").fetchall()
    assert rows == [("tombstone", diagnosis.id, client.id)]
    dump = cluster.dump(name)
    assert "COPY public.change" in dump and diagnosis.id in dump
    for secret in (canary, canary.encode().hex(), "F32.1", "Synthetic"):
        assert secret not in dump


TAMPERING = {
    "dropped": ("DELETE FROM change WHERE table_name = 'tombstone'", "rows missing"),
    "altered": ("UPDATE change SET sealed = set_byte(sealed, 19, get_byte(sealed, 19) # 255)"
                " WHERE table_name = 'tombstone'", "altered"),
    "moved to another row": ("UPDATE change SET row_id = {other} WHERE table_name = 'tombstone'", "altered"),
}


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_a_removal_the_server_drops_alters_or_moves_is_refused(make_vault, admin_url, how):
    alice, bob, client, _bob_id = _pair(make_vault, admin_url)
    removed = diagnoses.add_diagnosis(alice.unit_of_work(), client.id, "F32.1")
    other = diagnoses.add_diagnosis(alice.unit_of_work(), client.id, "F41.1")
    _sync(alice, bob)
    diagnoses.remove_diagnosis(alice.unit_of_work(), removed.id)
    _sync(alice)
    statement, words = TAMPERING[how]
    with psycopg.connect(admin_url) as conn:
        conn.execute(statement.replace("{other}", "%s"), (other.id,) if "{other}" in statement else ())

    with pytest.raises(SyncTampered, match=words) as refused:
        practice.sync(bob.unit_of_work())
    assert refused.value.exit_code == 4
    assert sorted(_held(bob, client.id)["diagnoses"]) == sorted([removed.id, other.id])


@pytest.mark.parametrize("keep", ["mine", "theirs"])
def test_a_conflict_over_a_row_removed_since_can_still_be_resolved(make_vault, admin_url, keep):
    """The next session moved on both computers (a conflict on Bob's), then cleared on Bob's before he
    chose: choosing must still close the conflict (it would otherwise wait in the status bar for ever),
    "mine" keeping the removal and "theirs" bringing Alice's date back on both computers."""
    alice, bob, client, _bob_id = _pair(make_vault, admin_url)
    visits.set_next_session(alice.unit_of_work(), client.id, today() + timedelta(days=7))
    _sync(alice, bob)
    visits.set_next_session(alice.unit_of_work(), client.id, today() + timedelta(days=8))
    visits.set_next_session(bob.unit_of_work(), client.id, today() + timedelta(days=9))
    _sync(alice, bob)
    (waiting,) = sync_conflicts.list_conflicts(bob.unit_of_work())
    visits.clear_next_session(bob.unit_of_work(), client.id)

    sync_conflicts.resolve(bob.unit_of_work(), waiting.id, keep)
    _sync(bob, alice, bob)

    assert sync_conflicts.open_count(bob.unit_of_work()) == 0
    expected = None if keep == "mine" else today() + timedelta(days=8)
    for vault in (alice, bob):
        found = visits.next_session(vault.unit_of_work(), client.id)
        assert getattr(found, "next_on", None) == expected
        assert verify.verify_vault(vault.unit_of_work()).ok
