"""Removing a clinician rotates the practice key, against a real PostgreSQL: the clinicians who remain
(and their second devices) follow to the new version at their next sync and keep reading old and new
records; the recovery key opens the new version; and what the removed clinician, acting as the server's
operator with SQL, certifies or signs under the old version is refused by every member."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest

from notesdesk.core.crypto import recovery, signing
from notesdesk.core.crypto.encoding import lp
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.services import practice, practice_access, practice_devices
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import access, crypto, roster, server, versions
from notesdesk.core.sync import state as st
from notesdesk.core.sync.access import KeyRefused
from notesdesk.core.sync.crypto import GENESIS, DeviceKeys, PushEntry, entries_digest
from notesdesk.core.sync.pull import SyncTampered
from notesdesk.core.sync.versions import KeyVersionRefused
from tests.sync.helpers import (
    add_client,
    assign,
    found_practice,
    join_practice,
    note_texts,
    notes_opened_with,
    readable_by,
    signed_note,
)
from tests.sync.helpers import sync_in_turn as _sync


def _ident(vault: Vault) -> st.SyncIdentity:
    uow = vault.unit_of_work()
    with uow:
        return st.required_identity(uow)


def _audit(vault: Vault) -> list[tuple[str, str]]:
    uow = vault.unit_of_work()
    with uow:
        assert uow.session is not None
        return [(e.action, e.detail) for e in uow.vault.audit.entries(uow.session)]


def _with_laptop(make_vault, admin_url):
    """Alice (desk and laptop) and Bob share Alice's client; returns the vaults, Bob's id, the client."""
    desk, laptop, bob = make_vault("desk"), make_vault("laptop"), make_vault("bob")
    founded = found_practice(desk, admin_url)
    bob_id = join_practice(desk, bob, admin_url, founded.practice_fingerprint).clinician_id
    practice_devices.join_device(laptop.unit_of_work(), admin_url, practice_devices.invite_device(
        desk.unit_of_work()).code)
    client = add_client(desk, "Synthetic Client")
    signed_note(desk, client.id, "desk before")
    assign(desk, client.id, bob_id)
    _sync(desk, bob, laptop, desk, bob, laptop)
    assert note_texts(bob) == note_texts(laptop) == {"desk before"}
    return (desk, laptop, bob), bob_id, client, founded


def test_removal_rotates_the_practice_key_and_every_remaining_member_follows(make_vault, admin_url):
    alice, bob, carol, laptop = (make_vault(n) for n in ("alice", "bob", "carol", "laptop"))
    founded = found_practice(alice, admin_url)
    fingerprint = founded.practice_fingerprint
    ids = {v: join_practice(alice, v, admin_url, fingerprint).clinician_id for v in (bob, carol)}
    practice_devices.join_device(laptop.unit_of_work(), admin_url, practice_devices.invite_device(
        alice.unit_of_work()).code)
    _sync(bob, carol)
    alices, carols = add_client(alice, "Synthetic Alice Client"), add_client(carol, "Synthetic Carol Client")
    signed_note(alice, alices.id, "alice before")
    signed_note(carol, carols.id, "carol before")
    assign(alice, alices.id, ids[bob], ids[carol])
    assign(carol, carols.id, ids[bob])
    _sync(alice, bob, carol, laptop, alice, bob, carol, laptop)
    old_key = _ident(bob).key

    removed = practice_access.remove_clinician(alice.unit_of_work(), ids[bob])
    assert removed.key_version == 2
    _sync(carol, laptop)
    for vault in (alice, carol, laptop):
        ident = _ident(vault)
        assert (ident.key_version, ident.key) == (2, _ident(alice).key)
        assert ident.key != old_key
    assert _ident(bob).key_version == 1  # never wrapped for him
    shown = {practice.status(v.unit_of_work()).key_fingerprint for v in (alice, carol, laptop)}
    assert len(shown) == 1 and shown != {founded.practice_fingerprint}
    assert practice.status(carol.unit_of_work()).key_version == 2

    signed_note(alice, alices.id, "alice after")
    signed_note(carol, carols.id, "carol after")
    signed_note(laptop, alices.id, "laptop after")
    _sync(alice, carol, laptop, alice, carol, laptop)
    assert note_texts(carol) == {"alice before", "carol before", "alice after", "carol after", "laptop after"}
    assert note_texts(laptop) == {"alice before", "alice after", "laptop after"}
    assert not any("after" in text for text in readable_by(bob, admin_url))
    with pytest.raises(NotesdeskError, match="removed from the practice"):
        practice.sync(bob.unit_of_work())
    # His own login cannot put a record in the next version's place (nor a certificate anywhere).
    for statement in (
        "INSERT INTO key_rotation (practice_id, version, previous, key_fingerprint, removed, device_id,"
        " signature) SELECT practice_id, 3, previous, key_fingerprint, '', %(device)s, signature"
        " FROM key_rotation WHERE version = 2",
        "INSERT INTO certificate SELECT practice_id, 3, 'device', %(device)s, 'x' FROM key_rotation",
    ):
        refused = pytest.raises(psycopg.errors.InsufficientPrivilege)
        with psycopg.connect(_ident(bob).server_url) as conn, refused:
            conn.execute(statement, {"device": _ident(bob).device_id})

    # A clinician added after the rotation takes the first version (checked against the fingerprint),
    # follows the record to the second, and reads what is shared with them, old and new.
    dave = make_vault("dave")
    dave_id = join_practice(alice, dave, admin_url, founded.practice_fingerprint).clinician_id
    practice.sync(dave.unit_of_work())
    assert (_ident(dave).key_version, _ident(dave).key) == (2, _ident(alice).key)
    assign(alice, alices.id, dave_id)
    _sync(dave, dave)
    assert note_texts(dave) == {"alice before", "alice after", "laptop after"}

    # Audited on every vault, with versions and counts, never a client's name or a note's words.
    assert any(a == "practice-key-rotated" and "version 2" in d for a, d in _audit(alice))
    for vault in (carol, laptop):
        assert any(a == "practice-key-version" and "version 2 accepted" in d for a, d in _audit(vault))
    for vault in (alice, carol, laptop):
        details = " ".join(d for _a, d in _audit(vault))
        assert "Synthetic" not in details and "after" not in details.replace("accepted", "")


def test_after_a_rotation_the_recovery_key_opens_everything_and_a_new_device_joins(make_vault, admin_url):
    (desk, laptop, bob), bob_id, client, founded = _with_laptop(make_vault, admin_url)
    practice_access.remove_clinician(desk.unit_of_work(), bob_id)
    signed_note(desk, client.id, "desk after")
    _sync(desk)
    private = crypto.x25519_private_from_secret(recovery.decode(founded.recovery_key))
    with psycopg.connect(admin_url) as conn:
        (wrapped,) = conn.execute(
            "SELECT wrapped FROM wrapped_key WHERE recipient = 'recovery' AND key_version = 2"
        ).fetchone()
        copies = conn.execute(
            "SELECT client_id, key_id, wrapped FROM client_key WHERE recipient = 'recovery'"
        ).fetchall()
    key = crypto.unwrap_with(private, bytes(wrapped), founded.practice_id, crypto.RECOVERY, 2)
    assert key == _ident(desk).key
    recovered = access.ClientKeys()
    for client_id, name, copy in copies:
        at = crypto.ClientKeyAddress(founded.practice_id, client_id, name, crypto.RECOVERY)
        opened = crypto.unwrap_client_key(private, bytes(copy), at)
        recovered.keys.setdefault(client_id, {})[name] = opened.hex()
    assert {n.split(".")[0] for n in recovered.keys[client.id]} == {"g1", "g2"}
    assert _readable_by_keys(recovered, _ident(desk), admin_url) == {"desk before", "desk after"}
    # The recovery copies still count under the new version (a member lists them as certified).
    with server.connected(server.engine_for(_ident(desk).server_url)) as connection:
        name = access.current(recovered, client.id)
        assert name is not None
        assert crypto.RECOVERY in access.holders(connection, _ident(desk), client.id, name)
        assert access.recovery_public(connection, _ident(desk)) is not None
    # A device of Alice's joining now takes the first version from the code, follows the record to the
    # second, is certified under it, and receives the old and the new records.
    tablet = make_vault("tablet")
    practice_devices.join_device(tablet.unit_of_work(), admin_url,
                                 practice_devices.invite_device(desk.unit_of_work()).code)
    assert (_ident(tablet).key_version, _ident(tablet).key) == (2, _ident(desk).key)
    _sync(tablet)
    assert note_texts(tablet) == {"desk before", "desk after"}
    signed_note(tablet, client.id, "tablet after")
    _sync(tablet, laptop)
    assert "tablet after" in note_texts(laptop)


def _readable_by_keys(keys: access.ClientKeys, ident: st.SyncIdentity, admin_url: str) -> set[str]:
    return {next(w for w in ("desk before", "desk after") if w.encode() in o)
            for o in notes_opened_with(keys, ident, admin_url)}


def _plant_device(admin_url: str, practice_id: str, key: bytes) -> tuple[DeviceKeys, bytes]:
    """A device of the operator's own, certified under `key` (the practice key version they hold), with
    one empty push signed by it: the way in for a removed clinician who also runs the server."""
    sign_private = signing.new_private_key_bytes()
    keys = DeviceKeys(str(uuid.uuid4()), str(uuid.uuid4()), signing.public_key_bytes(sign_private),
                      crypto.x25519_public(crypto.new_x25519_private()), os.urandom(32))
    entry = PushEntry(practice_id, keys.device_id, 1, 1, 0, GENESIS, entries_digest([]), lp(0, b""))
    with psycopg.connect(admin_url) as conn:
        conn.execute(
            "INSERT INTO device (id, practice_id, clinician_id, role_name, sign_public, x25519_public,"
            " note_public, certificate) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (keys.device_id, practice_id, keys.clinician_id, "planted_" + keys.device_id[:8],
             keys.sign_public, keys.x25519_public, keys.note_public, keys.certificate(key, practice_id)),
        )
        conn.execute(
            "INSERT INTO push (practice_id, device_id, push_seq, first_seq, last_seq, previous, digest,"
            " audit_head, signature) VALUES (%s, %s, 1, 1, 0, %s, %s, %s, %s)",
            (practice_id, keys.device_id, entry.previous, entry.digest, entry.audit_head,
             entry.sign(sign_private)),
        )
    return keys, sign_private


def test_a_device_certified_under_the_old_key_after_removal_is_refused_by_every_member(make_vault, admin_url):
    (desk, laptop, bob), bob_id, _client, founded = _with_laptop(make_vault, admin_url)
    old_key = _ident(bob).key
    practice_access.remove_clinician(desk.unit_of_work(), bob_id)

    planted, _private = _plant_device(admin_url, founded.practice_id, old_key)
    # Under the old version the certificate holds: that is what the rotation takes away.
    with server.connected(server.engine_for(admin_url)) as connection:
        assert planted.device_id in roster.certified(connection, founded.practice_id, old_key, 1)
    for vault in (desk, laptop):
        with pytest.raises(SyncTampered, match="no member of the practice has added"):
            practice.sync(vault.unit_of_work())
        assert _ident(vault).key_version == 2


@pytest.mark.parametrize("where", ["after its last push", "in its last push's place"])
def test_a_push_from_a_removed_device_made_after_its_removal_is_refused(make_vault, admin_url, where):
    (desk, laptop, bob), bob_id, client, founded = _with_laptop(make_vault, admin_url)
    signed_note(bob, client.id, "bob before")
    _sync(bob, desk)
    practice_access.remove_clinician(desk.unit_of_work(), bob_id)
    appended = where == "after its last push"
    if appended:
        _sync(laptop)
        assert "bob before" in note_texts(laptop)  # his pushes before the removal still count
    # Bob, running the server, writes to his removed device's log after the removal: a next push, or
    # another push under the number of his last (chained and signed with his own device key, which he
    # still has), which the laptop has not pulled yet.
    ident = _ident(bob)
    with psycopg.connect(admin_url) as conn:
        row = conn.execute(
            "SELECT push_seq, first_seq, last_seq, previous, digest, audit_head FROM push"
            " WHERE device_id = %s ORDER BY push_seq DESC LIMIT 1", (ident.device_id,)
        ).fetchone()
        assert row is not None
        push_seq, first, last_seq, previous, digest, head = row
        last = PushEntry(founded.practice_id, ident.device_id, push_seq, first, last_seq, bytes(previous),
                         bytes(digest), bytes(head))
        if appended:
            entry = PushEntry(founded.practice_id, ident.device_id, push_seq + 1, last_seq + 1, last_seq,
                              last.hash(), entries_digest([]), bytes(head))
        else:
            entry = PushEntry(founded.practice_id, ident.device_id, push_seq, first, first - 1,
                              bytes(previous), entries_digest([]), bytes(head))
            conn.execute("DELETE FROM push WHERE device_id = %s AND push_seq = %s",
                         (ident.device_id, push_seq))
        conn.execute(
            "INSERT INTO push (practice_id, device_id, push_seq, first_seq, last_seq, previous, digest,"
            " audit_head, signature) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (founded.practice_id, ident.device_id, entry.push_seq, entry.first_seq, entry.last_seq,
             entry.previous, entry.digest, entry.audit_head,
             entry.sign(bytes.fromhex(ident.device_sign_private))),
        )
    with pytest.raises(SyncTampered, match="made after that device was removed"):
        practice.sync(laptop.unit_of_work())


def test_a_client_key_copy_certified_under_the_old_key_after_rotation_is_refused(make_vault, admin_url):
    (desk, laptop, bob), bob_id, client, founded = _with_laptop(make_vault, admin_url)
    old_key = _ident(bob).key
    alice_id = _ident(desk).clinician_id
    practice_access.remove_clinician(desk.unit_of_work(), bob_id)
    # Bob, running the server, wraps a key of his own for Alice's client, certified under the old
    # version: a member who took it would write her new records under a key he knows.
    mine = os.urandom(32)
    at = crypto.ClientKeyAddress(founded.practice_id, client.id, "g9.0123456789ab", alice_id)
    wrapped = crypto.wrap_client_key(_x25519_public_of(admin_url, alice_id), mine, at)
    with psycopg.connect(admin_url) as conn:
        conn.execute(
            "INSERT INTO client_key (practice_id, client_id, key_id, recipient, role, wrapped, certificate)"
            " VALUES (%s, %s, %s, %s, 'clinician', %s, %s)",
            (founded.practice_id, client.id, at.key_id, alice_id, wrapped,
             crypto.client_key_certificate(old_key, at, wrapped)),
        )
    for vault in (desk, laptop):
        with pytest.raises(KeyRefused, match="no member wrapped"):
            practice.sync(vault.unit_of_work())
        uow = vault.unit_of_work()
        with uow:
            assert at.key_id not in access.load(uow).keys.get(client.id, {})


def _x25519_public_of(admin_url: str, clinician_id: str) -> bytes:
    with psycopg.connect(admin_url) as conn:
        row = conn.execute(
            "SELECT x25519_public FROM device WHERE clinician_id = %s LIMIT 1", (clinician_id,)
        ).fetchone()
    assert row is not None
    return bytes(row[0])


def _record(admin_url: str, version: int) -> versions.Rotation:
    with psycopg.connect(admin_url) as conn:
        row = conn.execute(
            "SELECT practice_id, previous, key_fingerprint, removed, device_id FROM key_rotation"
            " WHERE version = %s", (version,)
        ).fetchone()
    assert row is not None
    return versions.Rotation(row[0], version, bytes(row[1]), row[2], tuple(row[3].split()), row[4])


def test_a_rotation_record_altered_before_a_member_takes_it_is_refused(make_vault, admin_url):
    (desk, laptop, bob), bob_id, _client, _founded = _with_laptop(make_vault, admin_url)
    practice_access.remove_clinician(desk.unit_of_work(), bob_id)
    with psycopg.connect(admin_url) as conn:  # the operator names someone else as removed
        conn.execute("UPDATE key_rotation SET removed = %s", (_ident(desk).clinician_id,))
    with pytest.raises(KeyVersionRefused, match="not signed by a member"):
        practice.sync(laptop.unit_of_work())
    assert _ident(laptop).key_version == 1


def test_a_rotation_record_changed_after_a_member_accepted_it_is_refused(make_vault, admin_url):
    (desk, laptop, bob), bob_id, _client, _founded = _with_laptop(make_vault, admin_url)
    practice_access.remove_clinician(desk.unit_of_work(), bob_id)
    _sync(laptop)
    with psycopg.connect(admin_url) as conn:
        conn.execute("UPDATE key_rotation SET key_fingerprint = 'ABCD ABCD' WHERE version = 2")
    for vault in (desk, laptop):
        with pytest.raises(KeyVersionRefused, match="accepted was changed"):
            practice.sync(vault.unit_of_work())


def test_a_rotation_record_replayed_as_a_newer_version_is_refused(make_vault, admin_url):
    (desk, laptop, bob), bob_id, _client, _founded = _with_laptop(make_vault, admin_url)
    practice_access.remove_clinician(desk.unit_of_work(), bob_id)
    _sync(laptop)
    with psycopg.connect(admin_url) as conn:
        conn.execute(
            "INSERT INTO key_rotation (practice_id, version, previous, key_fingerprint, removed, device_id,"
            " signature) SELECT practice_id, 3, previous, key_fingerprint, removed, device_id, signature"
            " FROM key_rotation WHERE version = 2"
        )
        conn.execute(
            "INSERT INTO wrapped_key (practice_id, recipient, key_version, wrapped)"
            " SELECT practice_id, recipient, 3, wrapped FROM wrapped_key WHERE key_version = 2"
        )
    for vault in (desk, laptop):
        with pytest.raises(KeyVersionRefused, match="does not continue"):
            practice.sync(vault.unit_of_work())
        assert _ident(vault).key_version == 2


def test_a_rotation_signed_by_the_removed_clinician_is_refused(make_vault, admin_url):
    """Bob, removed and running the server, signs a version 3 of his own (chained correctly: the
    record's hash is public) removing Alice, with a key of his own wrapped for her devices."""
    (desk, laptop, bob), bob_id, _client, founded = _with_laptop(make_vault, admin_url)
    practice_access.remove_clinician(desk.unit_of_work(), bob_id)
    _sync(laptop)
    ident, alice_id = _ident(bob), _ident(desk).clinician_id
    his = crypto.new_practice_key()
    record = versions.Rotation(founded.practice_id, 3, _record(admin_url, 2).hash(),
                               crypto.practice_fingerprint(his, founded.practice_id), (), ident.device_id)
    wrapped = crypto.wrap_for(_x25519_public_of(admin_url, alice_id), his, founded.practice_id, alice_id, 3)
    with psycopg.connect(admin_url) as conn:
        conn.execute(
            "INSERT INTO key_rotation (practice_id, version, previous, key_fingerprint, removed, device_id,"
            " signature) VALUES (%s, 3, %s, %s, '', %s, %s)",
            (founded.practice_id, record.previous, record.key_fingerprint, ident.device_id,
             signing.sign(bytes.fromhex(ident.device_sign_private), record.message())),
        )
        conn.execute(
            "INSERT INTO wrapped_key (practice_id, recipient, key_version, wrapped) VALUES (%s, %s, 3, %s)",
            (founded.practice_id, alice_id, wrapped),
        )
    for vault in (desk, laptop):
        with pytest.raises(KeyVersionRefused, match="not signed by a member"):
            practice.sync(vault.unit_of_work())
        assert _ident(vault).key_version == 2
