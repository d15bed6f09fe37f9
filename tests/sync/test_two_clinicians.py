"""Two clinicians of one practice, each with their own vault, share clients through a real PostgreSQL."""

from __future__ import annotations

from notesdesk.core.services import clients, practice, verify
from tests.sync.helpers import add_client, addendum, found_practice, join_practice, note_texts, signed_note


def test_a_note_signed_on_one_vault_appears_verified_on_the_other(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client One")
    note = signed_note(alice, client.id, "Alice's first session")
    draft_client = add_client(alice, "Synthetic Client Two")

    assert practice.sync(alice.unit_of_work()).pushed == 3
    report = practice.sync(bob.unit_of_work())

    assert report.received == 3
    assert {c.name for c in clients.list_clients(bob.unit_of_work())} == {client.name, draft_client.name}
    assert note_texts(bob) == {"Alice's first session"}
    # Bob adds an addendum to Alice's note; it travels back and verifies in Alice's vault.
    addendum(bob, note.id, "Bob's clarification")
    practice.sync(bob.unit_of_work())
    practice.sync(alice.unit_of_work())
    assert note_texts(alice) == {"Alice's first session", "Bob's clarification"}
    # Both vaults still pass the full check, received records included.
    assert verify.verify_vault(alice.unit_of_work()).signed_notes == 1
    assert verify.verify_vault(bob.unit_of_work()).signed_notes == 1


def test_syncing_again_changes_nothing(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    signed_note(alice, add_client(alice, "Synthetic Client").id, "once")
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())

    assert practice.sync(alice.unit_of_work()) == practice.SyncReport(0, 0, 0)
    assert practice.sync(bob.unit_of_work()) == practice.SyncReport(0, 0, 0)
    assert note_texts(bob) == {"once"}
