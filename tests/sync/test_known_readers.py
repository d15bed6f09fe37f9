"""Who can read each client, kept in the vault by every sync (core/sync/known_readers.py), against a real
PostgreSQL: the overview's "Shared with" line is known with the server out of reach, follows a share
and a stop made here at once and one made on another device at the next sync, says when a sync has
failed since, and is sealed like the rest of the sync state."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.engine import make_url

from notesdesk.core.exports import practice as practice_export
from notesdesk.core.services import practice, practice_access, practice_view
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import known_readers
from notesdesk.core.sync import state as st
from notesdesk.core.sync.server import ServerUnavailable
from tests.sync.helpers import add_client, clinician_of, found_practice, join_practice, sync_in_turn


def _out_of_reach(vault: Vault) -> None:
    """The server moved away: nothing listens on port 1."""
    with vault.unit_of_work() as uow:
        ident = st.required_identity(uow)
        port = make_url(ident.server_url).port
        st.save(uow, replace(ident, server_url=ident.server_url.replace(f":{port}/", ":1/")))
        uow.commit()


def _line(vault: Vault, client_id: str) -> str:
    found = practice_view.known_readers(vault.unit_of_work(), client_id)
    assert found is not None
    return practice_view.shared_with(found.readers)


def test_after_both_sync_the_colleague_is_named_with_the_server_out_of_reach(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    b = join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(alice, "Synthetic Shared Client")
    sync_in_turn(alice, bob)
    practice_access.assign(alice.unit_of_work(), client.id, b)
    sync_in_turn(alice, bob)

    _out_of_reach(alice)
    found = practice_view.known_readers(alice.unit_of_work(), client.id)
    assert found is not None and not found.outdated and found.filled_at is not None
    # Bob's profile name synced: he is named by it, from the vault alone.
    assert practice_view.shared_with(found.readers) == "Shared with: Dr Bob, LCSW"
    assert [r.label for r in found.readers] == ["Dr Alice, LCSW (you)", "Dr Bob, LCSW"]

    # A sync that fails leaves the copy as it was, marked as of the sync before.
    with pytest.raises(ServerUnavailable):
        practice.sync(alice.unit_of_work())
    after = practice_view.known_readers(alice.unit_of_work(), client.id)
    assert after is not None and after.outdated and after.filled_at == found.filled_at
    assert after.readers == found.readers


def test_a_share_and_a_stop_made_here_show_at_once(make_vault, admin_url):
    alice, bob, sam = make_vault("alice"), make_vault("bob"), make_vault("sam")
    founded = found_practice(alice, admin_url)
    b = join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id
    s = join_practice(alice, sam, admin_url, founded.practice_fingerprint).clinician_id
    sync_in_turn(alice)
    client = add_client(alice, "Synthetic Shared Client")
    assert _line(alice, client.id) == ""  # made here since the last sync: only Alice holds its key

    practice_access.assign(alice.unit_of_work(), client.id, b)
    practice_access.assign(alice.unit_of_work(), client.id, s, supervisor=True)
    assert _line(alice, client.id) == f"Shared with: clinician {b[:8]}; clinician {s[:8]} (supervisor)"

    practice_access.unassign(alice.unit_of_work(), client.id, b)
    _out_of_reach(alice)  # no server asked: the stop is known from the vault
    assert _line(alice, client.id) == f"Shared with: clinician {s[:8]} (supervisor)"


def test_a_share_made_on_another_device_shows_after_the_next_sync(make_vault, admin_url):
    alice, bob, carol = make_vault("alice"), make_vault("bob"), make_vault("carol")
    founded = found_practice(alice, admin_url)
    b = join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id
    c = join_practice(alice, carol, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(alice, "Synthetic Shared Client")
    sync_in_turn(alice, bob, carol)
    practice_access.assign(alice.unit_of_work(), client.id, b)
    sync_in_turn(alice, bob, carol)

    practice_access.assign(bob.unit_of_work(), client.id, c, supervisor=True)  # on Bob's computer
    assert _line(alice, client.id) == "Shared with: Dr Bob, LCSW"
    practice.sync(alice.unit_of_work())
    assert _line(alice, client.id) == "Shared with: Dr Bob, LCSW; Dr Carol, LCSW (supervisor)"

    practice_access.unassign(bob.unit_of_work(), client.id, c)
    practice.sync(alice.unit_of_work())
    assert _line(alice, client.id) == "Shared with: Dr Bob, LCSW"
    # Bob's own copy names Alice, the client's first clinician, and himself.
    bobs = practice_view.known_readers(bob.unit_of_work(), client.id)
    assert bobs is not None and [r.label for r in bobs.readers] == ["Dr Bob, LCSW (you)", "Dr Alice, LCSW"]


def test_the_copy_is_sealed_in_the_vault(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    b = join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(alice, "Synthetic Shared Client")
    sync_in_turn(alice, bob)
    practice_access.assign(alice.unit_of_work(), client.id, b)
    sync_in_turn(alice, bob, alice)

    with alice.unit_of_work() as uow:
        held = known_readers.load(uow)
    assert held.readers[client.id] == {clinician_of(alice): "clinician", b: "clinician"}
    stored = alice.path.read_bytes()  # every commit is in the file (the vault keeps no write-ahead log)
    for canary in (b, b.replace("-", ""), "Dr Bob"):
        assert canary.encode() not in stored


def test_a_vault_outside_a_practice_knows_no_readers(make_vault):
    solo = make_vault("solo")
    client = add_client(solo, "Synthetic Solo Client")
    assert practice_view.known_readers(solo.unit_of_work(), client.id) is None


def test_a_clinician_removed_here_is_no_longer_named(make_vault, admin_url):
    alice, bob, carol = make_vault("alice"), make_vault("bob"), make_vault("carol")
    founded = found_practice(alice, admin_url)
    b = join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id
    c = join_practice(alice, carol, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(alice, "Synthetic Shared Client")
    sync_in_turn(alice, bob, carol)
    for who in (b, c):
        practice_access.assign(alice.unit_of_work(), client.id, who)
    sync_in_turn(alice, bob, carol)
    assert _line(alice, client.id) == "Shared with: Dr Bob, LCSW; Dr Carol, LCSW"

    practice_access.remove_clinician(alice.unit_of_work(), b)
    _out_of_reach(alice)
    assert _line(alice, client.id) == "Shared with: Dr Carol, LCSW"


def test_a_practice_export_leaves_the_copy_behind(make_vault, admin_url):
    alice = make_vault("alice")
    found_practice(alice, admin_url)
    add_client(alice, "Synthetic Own Client")
    sync_in_turn(alice)
    with alice.unit_of_work() as uow:
        assert known_readers.load(uow).filled_at is not None
    made = practice_export.export_practice(alice, "export pass 1")
    export = practice_export.read_export(made, "export pass 1")
    # This vault's view of the practice as of its last sync: another vault fills its own at its sync.
    assert known_readers.KNOWN_READERS_ID not in export.settings


def test_a_removal_made_elsewhere_shows_after_the_sync_that_draws_the_new_key(make_vault, admin_url):
    alice, bob, sam, carol = (make_vault(n) for n in ("alice", "bob", "sam", "carol"))
    founded = found_practice(alice, admin_url)
    b, s = (join_practice(alice, v, admin_url, founded.practice_fingerprint).clinician_id for v in (bob, sam))
    join_practice(alice, carol, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Shared Client")
    sync_in_turn(alice, bob, sam, carol)
    for who in (b, s):
        practice_access.assign(alice.unit_of_work(), client.id, who)
    sync_in_turn(alice, bob, sam)

    practice_access.remove_clinician(carol.unit_of_work(), b)  # by Carol, who does not hold the client
    assert _line(alice, client.id) == "Shared with: Dr Bob, LCSW; Dr Sam, LCSW"
    # Alice's next sync draws the client's new key itself, for Sam and herself, and reads who holds it.
    practice.sync(alice.unit_of_work())
    assert _line(alice, client.id) == "Shared with: Dr Sam, LCSW"
