"""A server operator who edits, drops, reorders, replays or forges a device's batches, or plants a
device of their own, is caught at the next pull: the batch is refused with one line and nothing of it
reaches the vault."""

from __future__ import annotations

import psycopg
import pytest

from notesdesk.core.services import clients, practice
from notesdesk.core.sync.pull import SyncTampered
from tests.sync.helpers import add_client, assign, found_practice, join_practice, note_texts, signed_note


def _two_pushes(make_vault, admin_url):
    """Alice pushes two batches (her client and a note; then another note); Bob has pulled nothing."""
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client")
    assign(alice, client.id, joined.clinician_id)
    signed_note(alice, client.id, "first")
    practice.sync(alice.unit_of_work())
    signed_note(alice, client.id, "second")
    practice.sync(alice.unit_of_work())
    return alice, bob


def _sql(admin_url: str, *statements: str) -> None:
    with psycopg.connect(admin_url) as conn:
        for statement in statements:
            conn.execute(statement)


TAMPERING = {
    "an edited row": (
        "UPDATE change SET sealed = set_byte(sealed, 19, get_byte(sealed, 19) # 255) "
        "WHERE server_seq = (SELECT max(server_seq) FROM change)",
        "altered",
    ),
    "a dropped batch": (
        "DELETE FROM change WHERE device_seq <= 2; DELETE FROM push WHERE push_seq = 1",
        "missing, replayed or out of order",
    ),
    "a dropped row": (
        "DELETE FROM change WHERE server_seq = (SELECT max(server_seq) FROM change)",
        "rows missing",
    ),
    "reordered batches": (
        "UPDATE push SET server_seq = -server_seq; "
        "UPDATE push SET server_seq = CASE push_seq WHEN 1 THEN 2 ELSE 1 END",
        "missing, replayed or out of order",
    ),
    "a forged signature": (
        "UPDATE push SET signature = overlay(signature placing '\\x01'::bytea from 1 for 1)"
        " WHERE push_seq = 1",
        "signature fails",
    ),
}


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_tampering_is_refused_and_nothing_of_it_applied(make_vault, admin_url, how):
    _alice, bob = _two_pushes(make_vault, admin_url)
    statement, words = TAMPERING[how]
    _sql(admin_url, *statement.split("; "))

    with pytest.raises(SyncTampered, match=words) as refused:
        practice.sync(bob.unit_of_work())

    assert refused.value.exit_code == 4
    assert "second" not in note_texts(bob)


def test_a_replayed_batch_is_refused(make_vault, admin_url):
    alice, bob = _two_pushes(make_vault, admin_url)
    practice.sync(bob.unit_of_work())
    # The operator puts Alice's first batch back at the end of the log as if it were new.
    _sql(
        admin_url,
        "UPDATE push SET server_seq = (SELECT max(server_seq) + 1 FROM push), push_seq = 3 "
        "WHERE push_seq = 1 AND server_seq = (SELECT min(server_seq) FROM push)",  # not Bob's (his name)
    )
    with pytest.raises(SyncTampered, match="missing, replayed or out of order"):
        practice.sync(bob.unit_of_work())
    assert note_texts(bob) == {"first", "second"}


def test_a_device_planted_by_the_server_is_not_trusted(make_vault, admin_url):
    alice, bob = _two_pushes(make_vault, admin_url)
    practice.sync(bob.unit_of_work())
    # The operator lists a device of its own (with a member's public keys copied) and replays a
    # member's signed batch under it; no member certified that device.
    _sql(
        admin_url,
        "INSERT INTO device (id, practice_id, clinician_id, role_name, sign_public, x25519_public,"
        " note_public) SELECT 'planted', practice_id, 'x', 'planted_role', sign_public, x25519_public,"
        " note_public FROM device LIMIT 1",
        "INSERT INTO push (practice_id, device_id, push_seq, first_seq, last_seq, previous, digest,"
        " audit_head, signature) SELECT practice_id, 'planted', 1, 1, 1, previous, digest, audit_head,"
        " signature"
        " FROM push WHERE push_seq = 1 LIMIT 1",
    )
    with pytest.raises(SyncTampered, match="no member of the practice has added"):
        practice.sync(alice.unit_of_work())
    assert len(clients.list_clients(bob.unit_of_work())) == 1


def test_a_device_cannot_write_into_another_devices_log(make_vault, admin_url):
    alice, bob = _two_pushes(make_vault, admin_url)
    uow = bob.unit_of_work()
    with uow:
        from notesdesk.core.sync import state as st

        bob_url = st.required_identity(uow).server_url
    with psycopg.connect(bob_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(
            "INSERT INTO push (practice_id, device_id, push_seq, first_seq, last_seq, previous, digest,"
            " audit_head, signature) SELECT practice_id, device_id, 9, 9, 9, previous, digest,"
            " audit_head, signature FROM push LIMIT 1"
        )
    with psycopg.connect(bob_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM change")
