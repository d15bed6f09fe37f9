"""Taking access away against a real PostgreSQL: a clinician removed from a client, or from the
practice, can no longer read records written afterwards; what they received before stays in their
vault; a removed device's pushes are refused."""

from __future__ import annotations

import psycopg
import pytest

from notesdesk.core.errors import NotesdeskError
from notesdesk.core.services import practice, practice_access
from notesdesk.core.sync import push
from notesdesk.core.sync import state as st
from notesdesk.core.sync.server import engine_for
from tests.sync.helpers import (
    add_client,
    assign,
    found_practice,
    join_practice,
    note_texts,
    readable_by,
    signed_note,
)


def _three(make_vault, admin_url):
    alice, bob, carol = make_vault("alice"), make_vault("bob"), make_vault("carol")
    founded = found_practice(alice, admin_url)
    ids = {
        "alice": founded.clinician_id,
        "bob": join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id,
        "carol": join_practice(alice, carol, admin_url, founded.practice_fingerprint).clinician_id,
    }
    for vault in (bob, carol):
        practice.sync(vault.unit_of_work())
    return (alice, bob, carol), ids


def test_a_clinician_removed_from_a_client_cannot_read_its_new_records(make_vault, admin_url):
    (alice, bob, carol), ids = _three(make_vault, admin_url)
    client = add_client(alice, "Synthetic Client")
    signed_note(alice, client.id, "before removal")
    assign(alice, client.id, ids["bob"], ids["carol"])
    for vault in (alice, bob, carol):
        practice.sync(vault.unit_of_work())

    done = practice_access.unassign(alice.unit_of_work(), client.id, ids["bob"])
    assert done.key_id.startswith("g2.")
    signed_note(alice, client.id, "after removal")
    for vault in (alice, bob, carol):
        practice.sync(vault.unit_of_work())

    assert note_texts(carol) == {"before removal", "after removal"}
    assert note_texts(bob) == {"before removal"}  # what he received stays in his vault
    assert not any("after removal" in text for text in readable_by(bob, admin_url))
    with pytest.raises(NotesdeskError, match="not assigned to that client"):
        practice_access.unassign(alice.unit_of_work(), client.id, ids["bob"])


def test_a_removed_clinician_reads_no_new_records_and_cannot_push(make_vault, admin_url):
    (alice, bob, carol), ids = _three(make_vault, admin_url)
    alices = add_client(alice, "Synthetic Alice Client")
    carols = add_client(carol, "Synthetic Carol Client")
    signed_note(alice, alices.id, "alice before")
    signed_note(carol, carols.id, "carol before")
    assign(alice, alices.id, ids["bob"], ids["carol"])
    assign(carol, carols.id, ids["bob"])
    for _round in range(2):
        for vault in (alice, bob, carol):
            practice.sync(vault.unit_of_work())
    assert note_texts(bob) == {"alice before", "carol before"}
    signed_note(bob, alices.id, "bob's last note, not yet sent")

    removed = practice_access.remove_clinician(alice.unit_of_work(), ids["bob"])
    assert removed.clients_rotated == 1
    # Carol learns of the removal at her next sync, before she writes again; her client gets a new key.
    practice.sync(carol.unit_of_work())
    signed_note(alice, alices.id, "alice after")
    signed_note(carol, carols.id, "carol after")
    for vault in (alice, carol, alice):
        practice.sync(vault.unit_of_work())

    assert "alice after" in note_texts(carol)  # Carol is still assigned to Alice's client
    assert any("carol after" in text for text in readable_by(carol, admin_url))
    assert not any("after" in text for text in readable_by(bob, admin_url))
    with pytest.raises(NotesdeskError, match="removed from the practice"):
        practice.sync(bob.unit_of_work())
    assert note_texts(bob) == {"alice before", "carol before", "bob's last note, not yet sent"}
    # Past the vault's own refusal, the server refuses the removed device's push.
    uow = bob.unit_of_work()
    with uow:
        ident = st.required_identity(uow)
    box = push.prepare(bob.unit_of_work(), ident, 10).outbox
    assert box is not None
    with pytest.raises(NotesdeskError, match="refused this device's change"):
        push.send(engine_for(ident.server_url), ident, box)
    # Nor can the removed device undo its removal.
    with psycopg.connect(ident.server_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE device SET removed_at = NULL WHERE removed_at IS NOT NULL")
