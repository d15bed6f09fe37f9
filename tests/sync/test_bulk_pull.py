"""A pulled push is taken in together (core/sync/arrivals.py): rows already here are left as they are,
a push cut off between its rows' insert and the audit head's write leaves nothing behind and comes in
whole next time, a row failing its check in the middle refuses the whole push, every received row still
has its own audit entry, and a sync talks to the server over one connection."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import msgspec
import pytest

from notesdesk.core.services import care, clients, practice, sync_conflicts, verify
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import access
from notesdesk.core.sync import state as st
from notesdesk.core.sync.pull import SyncTampered
from tests.conftest import PASSPHRASE
from tests.core import records
from tests.sync.helpers import add_client, assign, found_practice, join_practice, note_texts, signed_note
from tests.sync.pg_cluster import Cluster
from tests.sync.proxy import Proxy


def _shared_client(make_vault, admin_url: str):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client")
    assign(alice, client.id, joined.clinician_id)
    return alice, bob, client.id


def _received(vault: Vault) -> list[tuple[str, str]]:
    """(table, row id) of every row this vault's audit log says it received, in order."""
    uow = vault.unit_of_work()
    with uow:
        assert uow.session is not None
        return [(e.table, e.row_id) for e in vault.audit.entries(uow.session) if e.action == "receive"]


def _stored_notes(vault: Vault) -> list[str]:
    uow = vault.unit_of_work()
    with uow:
        return sorted(uow.notes.ids())


def test_a_push_holding_rows_already_here_adds_only_the_new_ones(make_vault, admin_url):
    alice, bob, client_id = _shared_client(make_vault, admin_url)
    signed_note(alice, client_id, "first")
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())
    signed_note(alice, client_id, "second")
    practice.sync(alice.unit_of_work())
    # Bob pulls the log again from its start (as a catch-up does): the client and the first note are
    # here already, the second note is new; all in one pull.
    uow = bob.unit_of_work()
    with uow:
        st.save(uow, replace(st.state(uow), pull_cursor=0, logs={}))
        uow.commit()
    before = _received(bob)

    report = practice.sync(bob.unit_of_work())

    assert report.received == 1
    assert note_texts(bob) == {"first", "second"}
    assert len(_stored_notes(bob)) == 2
    assert len(_received(bob)) == len(before) + 1
    assert verify.verify_vault(bob.unit_of_work()).ok


class Interrupted(Exception):
    """The process stopped (power cut, killed) at the chosen moment."""


def test_a_pull_cut_between_the_rows_insert_and_the_head_write_leaves_nothing_and_completes_next_time(
    make_vault, admin_url, monkeypatch, tmp_path: Path
):
    alice, bob, client_id = _shared_client(make_vault, admin_url)
    for n in range(5):
        signed_note(alice, client_id, f"session {n}")
    practice.sync(alice.unit_of_work())
    record_writes = bob.audit.record_writes
    heads = bob.audit.heads

    def cut_before_the_head(session, writes):
        def stop(*_args: object) -> None:
            raise Interrupted

        # The rows and their audit entries are inserted; the head is never written.
        heads.write = stop
        try:
            record_writes(session, writes)
        finally:
            del heads.write

    with monkeypatch.context() as patched, pytest.raises(Interrupted):
        patched.setattr(bob.audit, "record_writes", cut_before_the_head)
        practice.sync(bob.unit_of_work())

    assert _stored_notes(bob) == [] and clients.list_clients(bob.unit_of_work()) == []
    bob.close()
    with Vault.open(tmp_path / "bob.notesdesk", passphrase=PASSPHRASE) as reopened:  # the head holds
        assert _stored_notes(reopened) == []
        # The client, its intake episode, 5 notes and Alice's name.
        assert practice.sync(reopened.unit_of_work()).received == 8
        assert note_texts(reopened) == {f"session {n}" for n in range(5)}
        assert verify.verify_vault(reopened.unit_of_work()).ok


def test_a_note_failing_its_signature_in_the_middle_of_a_push_refuses_all_of_that_push(
    make_vault, admin_url, monkeypatch
):
    alice, bob, client_id = _shared_client(make_vault, admin_url)
    signed_note(alice, client_id, "before")
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())
    broken = [signed_note(alice, client_id, f"session {n}") for n in range(5)][2]
    seal = access.seal

    def alter_one(keys, ident, table, obj, at, payload):
        # Alice's device sends the third note with a changed word after it was signed: its seal, the
        # push's digest and the push's signature all hold; only the note's own signature fails.
        if at.row_id == broken.id:
            note = msgspec.json.decode(payload)
            note["sections"][0]["text"] = "altered after signing"
            payload = msgspec.json.encode(note)
        return seal(keys, ident, table, obj, at, payload)

    with monkeypatch.context() as patched:
        patched.setattr(access, "seal", alter_one)
        practice.sync(alice.unit_of_work())
    before = _received(bob)

    with pytest.raises(SyncTampered, match="signature fails"):
        practice.sync(bob.unit_of_work())

    assert note_texts(bob) == {"before"}  # the notes before the altered one in its push are not kept
    assert _received(bob) == before
    assert verify.verify_vault(bob.unit_of_work()).ok


def test_every_received_row_has_its_own_audit_entry(make_vault, admin_url):
    alice, bob, client_id = _shared_client(make_vault, admin_url)
    notes = [signed_note(alice, client_id, f"session {n}") for n in range(7)]
    practice.sync(alice.unit_of_work(), batch=3)

    practice.sync(bob.unit_of_work())

    received = _received(bob)
    [intake] = [row_id for table, row_id in received if table == "episode"]  # opened with the client
    expected = [("client", client_id), ("episode", intake)] + [("note", n.id) for n in notes]
    assert [r for r in received if r != ("secret", "member-names")] == expected
    assert received.count(("secret", "member-names")) == 1  # Alice's name, as a setting
    assert verify.verify_vault(bob.unit_of_work()).ok  # each row matches its last audited write


def test_a_sync_talks_to_the_server_over_one_connection(make_vault, database):
    cluster: Cluster = database[0]
    proxy = Proxy(cluster.port)
    try:
        through = database[2].replace(f":{cluster.port}/", f":{proxy.port}/")
        alice, bob, client_id = _shared_client(make_vault, through)
        practice.sync(alice.unit_of_work())
        practice.sync(bob.unit_of_work())  # takes its practice key (a connection of its own) and the client
        for n in range(4):
            signed_note(alice, client_id, f"session {n}")
        practice.sync(alice.unit_of_work(), batch=1)
        opened = proxy.accepted

        practice.sync(bob.unit_of_work(), batch=1)  # four pushes, pulled one at a time

        assert proxy.accepted == opened + 1
        assert note_texts(bob) == {f"session {n}" for n in range(4)}
    finally:
        proxy.close()


def test_versions_arriving_in_one_pull_follow_each_other_and_a_concurrent_one_is_still_kept_aside(
    make_vault, admin_url
):
    alice, bob, client_id = _shared_client(make_vault, admin_url)
    carol = make_vault("carol")
    founded_fp = practice.status(alice.unit_of_work()).practice_fingerprint
    joined = join_practice(alice, carol, admin_url, founded_fp)
    assign(alice, client_id, joined.clinician_id)
    care.save_safety_plan(alice.unit_of_work(), records.safety_plan(client_id, "first "))
    practice.sync(alice.unit_of_work())
    practice.sync(carol.unit_of_work())
    # Alice saves a second version from the first; Carol, offline, saves one from the first too. Bob has
    # pulled none of them: all three arrive in his one pull.
    care.save_safety_plan(alice.unit_of_work(), records.safety_plan(client_id, "alice "))
    care.save_safety_plan(carol.unit_of_work(), records.safety_plan(client_id, "carol "))
    practice.sync(alice.unit_of_work())
    practice.sync(carol.unit_of_work())

    practice.sync(bob.unit_of_work())

    versions = care.safety_plan_versions(bob.unit_of_work(), client_id)
    assert [v.reason_for_living for v in versions] == ["first reason", "alice reason"]
    (kept,) = sync_conflicts.list_conflicts(bob.unit_of_work())
    assert kept.theirs["reason_for_living"] == "carol reason"
    assert verify.verify_vault(bob.unit_of_work()).ok
