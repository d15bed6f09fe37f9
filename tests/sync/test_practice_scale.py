"""Five clinicians editing offline on every side; what the server holds (a pg_dump) never shows a
client's name or a word of a note; the practice recovery key opens the practice key."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.engine import make_url

from notesdesk.core.crypto import recovery
from notesdesk.core.services import clients, practice, verify
from notesdesk.core.sync import access, crypto
from notesdesk.core.sync import state as st
from notesdesk.core.sync.pull import SyncTampered
from tests.sync.helpers import (
    add_client,
    addendum,
    assign,
    clinician_of,
    found_practice,
    join_practice,
    note_texts,
    signed_note,
)

CANARY = "CANARY-7f3a-zebra"


def test_five_clinicians_offline_edits_all_arrive(make_vault, admin_url):
    vaults = [make_vault(f"clinician{n}") for n in range(5)]
    founded = found_practice(vaults[0], admin_url)
    for vault in vaults[1:]:
        join_practice(vaults[0], vault, admin_url, founded.practice_fingerprint)
    # Each writes while offline: a client and a signed note of their own.
    notes = {
        n: signed_note(v, add_client(v, f"Synthetic Client {n}").id, f"note by {n}")
        for n, v in enumerate(vaults)
    }
    for vault in vaults:  # first round: each sends theirs; the others' are not shared with them yet
        practice.sync(vault.unit_of_work(), batch=2)
    assert all(note_texts(v) == {f"note by {n}"} for n, v in enumerate(vaults))
    everyone = [clinician_of(v) for v in vaults]
    for n, vault in enumerate(vaults):  # each shares their client with the other four
        assign(vault, notes[n].client_id, *(c for c in everyone if c != everyone[n]))
    for vault in vaults:  # second round: each receives the earlier records of the clients shared
        practice.sync(vault.unit_of_work(), batch=2)
    # Offline again, on two sides: an addendum to a colleague's note each.
    addendum(vaults[4], notes[0].id, "addendum by 4")
    addendum(vaults[3], notes[1].id, "addendum by 3")
    for _round in range(2):
        for vault in vaults:
            practice.sync(vault.unit_of_work(), batch=2)

    expected = {f"note by {n}" for n in range(5)} | {"addendum by 4", "addendum by 3"}
    for vault in vaults:
        assert note_texts(vault) == expected
        assert len(clients.list_clients(vault.unit_of_work())) == 5
        assert verify.verify_vault(vault.unit_of_work()).signed_notes == 5


def test_the_server_never_holds_plaintext(make_vault, database):
    cluster, name, admin_url = database
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, f"Client {CANARY}-name")
    assign(alice, client.id, joined.clinician_id)
    note = signed_note(alice, client.id, f"session text {CANARY}-note")
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())
    addendum(bob, note.id, f"{CANARY}-addendum")
    practice.sync(bob.unit_of_work())
    practice.sync(alice.unit_of_work())
    assert f"{CANARY}-addendum" in note_texts(alice)  # it did travel

    dump = cluster.dump(name)
    assert "COPY public.change" in dump and "COPY public.push" in dump
    device_passwords = []
    for vault in (alice, bob):
        uow = vault.unit_of_work()
        with uow:
            device_passwords.append(make_url(st.required_identity(uow).server_url).password)
    for secret in (CANARY, CANARY.encode().hex(), "Synthetic", cluster.password, *device_passwords):
        assert secret and secret not in dump
    # What travels is sealed under the client's own key (which Alice holds), not under either
    # vault's own key.
    uow = alice.unit_of_work()
    with uow:
        ident = st.required_identity(uow)
        keys = access.load(uow)
    with psycopg.connect(admin_url) as conn:
        rows = conn.execute(
            "SELECT device_id, device_seq, table_name, row_id, rev, sealed, client_id, key_id FROM change"
        ).fetchall()
    opened = [
        access.open_sealed(keys, ident, crypto.RowAddress(t, r, v, d, s, c, k), bytes(sealed))
        for d, s, t, r, v, sealed, c, k in rows
    ]
    assert any(CANARY.encode() in payload for payload in opened)


def test_the_practice_recovery_key_opens_the_practice_key(make_vault, admin_url):
    alice = make_vault("alice")
    founded = found_practice(alice, admin_url)
    with psycopg.connect(admin_url) as conn:
        wrapped = conn.execute("SELECT wrapped FROM wrapped_key WHERE recipient = 'recovery'").fetchone()
    assert wrapped is not None
    secret = recovery.decode(founded.recovery_key)
    key = crypto.unwrap_with(
        crypto.x25519_private_from_secret(secret), bytes(wrapped[0]), founded.practice_id, crypto.RECOVERY
    )
    assert crypto.practice_fingerprint(key, founded.practice_id) == founded.practice_fingerprint
    assert practice.status(alice.unit_of_work()).practice_fingerprint == founded.practice_fingerprint


def test_a_key_offered_by_the_server_that_does_not_match_the_fingerprint_is_refused(make_vault, admin_url):
    alice, mallory_target = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    other = crypto.practice_fingerprint(crypto.new_practice_key(), founded.practice_id)
    joined = practice.join(mallory_target.unit_of_work(), admin_url, other)
    practice.add_clinician(alice.unit_of_work(), joined.clinician_id, joined.fingerprint)
    signed_note(mallory_target, add_client(mallory_target, "Synthetic Client").id, "private to bob")

    with pytest.raises(SyncTampered, match="does not match the practice fingerprint"):
        practice.sync(mallory_target.unit_of_work())
    with psycopg.connect(admin_url) as conn:
        assert conn.execute("SELECT count(*) FROM change").fetchone() == (0,)
