"""Sync's edge cases against a real PostgreSQL (docs/design-notes.md §9): a server one migration
behind, a removed clinician's device, two members rotating the practice key at once. Each says what
happened in one clear line, not "server unreachable" and not a traceback, and changes nothing."""

from __future__ import annotations

import io

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.pool import Pool

from notesdesk.cli.main import main
from notesdesk.core.errors import NotesdeskError, ReadOnlyVault
from notesdesk.core.services import practice, practice_access, practice_devices
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import push, server
from notesdesk.core.sync import state as st
from notesdesk.core.sync.pull import SyncTampered
from notesdesk.core.sync.server import ServerUnavailable
from tests.conftest import PASSPHRASE
from tests.sync.helpers import add_client, found_practice, join_practice, note_texts, signed_note


def _server_at(admin_url: str, revision: str) -> None:
    with server.connected(server.engine_for(admin_url)) as connection:
        config = Config()
        config.set_main_option("script_location", str(server.MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _key_version_on_server(admin_url: str) -> int:
    with psycopg.connect(admin_url) as conn:
        found = conn.execute("SELECT max(version) FROM key_rotation").fetchone()
    return int(found[0] or 1) if found else 1


def test_a_server_migrated_only_to_s0004_says_so_then_upgrades_and_syncs(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    bob_id = join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(alice, "Synthetic Client")
    practice_access.assign(alice.unit_of_work(), client.id, bob_id)
    _server_at(admin_url, "s0004")  # before the practice key's versions (s0005)
    signed_note(alice, client.id, "waiting for the upgrade")

    with pytest.raises(NotesdeskError, match="schema is older than this version") as refused:
        practice.sync(alice.unit_of_work())
    assert not isinstance(refused.value, ServerUnavailable)
    assert practice.status(alice.unit_of_work()).last_sync is None  # nothing sent meanwhile
    practice_access.upgrade_server(admin_url)

    # The client, its episode, the note, her name and her profile.
    assert practice.sync(alice.unit_of_work()).pushed == 5
    practice.sync(bob.unit_of_work())
    assert note_texts(bob) == {"waiting for the upgrade"}


def _two_members_and_two_others(make_vault, admin_url):
    vaults = {name: make_vault(name) for name in ("alice", "carol", "bob", "dave")}
    founded = found_practice(vaults["alice"], admin_url)
    ids = {"alice": founded.clinician_id}
    for name in ("carol", "bob", "dave"):
        joined = join_practice(vaults["alice"], vaults[name], admin_url, founded.practice_fingerprint)
        ids[name] = joined.clinician_id
        practice.sync(vaults[name].unit_of_work())
    return vaults, ids


def test_a_rotation_clashing_with_a_colleagues_on_the_server_says_so_and_changes_nothing(
    make_vault, admin_url, monkeypatch
):
    vaults, ids = _two_members_and_two_others(make_vault, admin_url)
    alice = vaults["alice"]
    with alice.unit_of_work() as uow:
        role = server.make_url(st.required_identity(uow).server_url).username
    with psycopg.connect(admin_url, autocommit=True) as conn:
        # A server whose administrator chose repeatable read: a transaction sees the server as it was at
        # its first statement, so a colleague's rotation committed meanwhile is not seen before writing.
        conn.execute(f"ALTER ROLE {role} SET default_transaction_isolation = 'repeatable read'")
    locked = push.lock_log

    def carol_removes_dave_meanwhile(connection, practice_id):
        monkeypatch.setattr(push, "lock_log", locked)
        connection.execute(text("SELECT 1"))  # Alice's transaction has begun
        practice_access.remove_clinician(vaults["carol"].unit_of_work(), ids["dave"])
        locked(connection, practice_id)

    monkeypatch.setattr(push, "lock_log", carol_removes_dave_meanwhile)
    with pytest.raises(NotesdeskError, match="Another member rotated the practice key") as clash:
        practice_access.remove_clinician(alice.unit_of_work(), ids["bob"])
    assert not isinstance(clash.value, ServerUnavailable) and clash.value.exit_code == 1

    assert _key_version_on_server(admin_url) == 2  # Carol's rotation only; Bob is still a member
    assert practice.status(alice.unit_of_work()).key_version == 1
    # Run again after the colleague's rotation, it works.
    assert practice_access.remove_clinician(alice.unit_of_work(), ids["bob"]).key_version == 3


def test_a_removed_clinicians_device_is_told_so_by_the_command_line(make_vault, admin_url, tmp_path):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    bob_id = join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id
    practice.sync(bob.unit_of_work())
    signed_note(bob, add_client(bob, "Synthetic Client").id, "kept in Bob's vault")
    practice_access.remove_clinician(alice.unit_of_work(), bob_id)
    bob.close()  # the command line opens it as its own process would

    err = io.StringIO()
    code = main(["--vault", str(tmp_path / "bob.notesdesk"), "--passphrase-stdin", "practice", "sync"],
                stdin=io.StringIO(PASSPHRASE + "\n"), stdout=io.StringIO(), stderr=err)

    assert code == 1
    assert err.getvalue().count("\n") == 1 and "removed from the practice" in err.getvalue()
    assert "reached" not in err.getvalue() and "Traceback" not in err.getvalue()
    with Vault.open(tmp_path / "bob.notesdesk", passphrase=PASSPHRASE) as reopened:
        assert note_texts(reopened) == {"kept in Bob's vault"}


def _device_roles(admin_url: str) -> int:
    with psycopg.connect(admin_url) as conn:
        found = conn.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'nd\\_device\\_%'").fetchone()
    assert found is not None
    return int(found[0])


def test_a_device_join_failing_after_the_code_opened_leaves_no_role_behind(make_vault, admin_url):
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    code = practice_devices.invite_device(desk.unit_of_work()).code
    roles_before = _device_roles(admin_url)
    with psycopg.connect(admin_url) as conn:  # the server offers a practice key that does not open
        conn.execute(
            "UPDATE wrapped_key SET wrapped = wrapped || '\\x00'::bytea WHERE recipient <> 'recovery'"
        )

    with pytest.raises(SyncTampered, match="no practice key this clinician can open"):
        practice_devices.join_device(laptop.unit_of_work(), admin_url, code)

    assert _device_roles(admin_url) == roles_before  # no login role left on the server
    with laptop.unit_of_work() as uow:
        assert st.identity(uow) is None
    with psycopg.connect(admin_url) as conn:  # put right by the operator: the same code still works
        conn.execute("UPDATE wrapped_key SET wrapped = substring(wrapped from 1 for length(wrapped) - 1)"
                     " WHERE recipient <> 'recovery'")
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    assert _device_roles(admin_url) == roles_before + 1
    assert practice.status(laptop.unit_of_work()).member


def test_a_newly_added_clinicians_first_sync_logs_in_to_the_server_once(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    logins: list[object] = []

    def logged_in(connection: object, _record: object) -> None:
        logins.append(connection)

    event.listen(Pool, "connect", logged_in)
    try:
        practice.sync(bob.unit_of_work())  # takes the key it was given, then pushes and pulls
    finally:
        event.remove(Pool, "connect", logged_in)

    assert practice.status(bob.unit_of_work()).member
    assert len(logins) == 1  # one login (over TLS, to a distant server, each costs round trips)


def _devices_listed(admin_url: str) -> int:
    with psycopg.connect(admin_url) as conn:
        found = conn.execute("SELECT count(*) FROM device").fetchone()
    assert found is not None
    return int(found[0])


def test_a_join_or_init_whose_vault_cannot_be_written_leaves_nothing_on_the_server(
    make_vault, admin_url, tmp_path
):
    alice = make_vault("alice")
    make_vault("bob").close()
    with Vault.open(tmp_path / "bob.notesdesk", passphrase=PASSPHRASE, read_only=True) as looking:
        roles_before = _device_roles(admin_url)
        with pytest.raises(ReadOnlyVault):
            practice.init(looking.unit_of_work(), admin_url)
        assert _device_roles(admin_url) == roles_before
        with psycopg.connect(admin_url) as conn:
            assert conn.execute("SELECT count(*) FROM practice").fetchone() == (0,)

        founded = found_practice(alice, admin_url)
        roles_before, devices_before = _device_roles(admin_url), _devices_listed(admin_url)
        with pytest.raises(ReadOnlyVault):
            practice.join(looking.unit_of_work(), admin_url, founded.practice_fingerprint)
        assert (_device_roles(admin_url), _devices_listed(admin_url)) == (roles_before, devices_before)
    with Vault.open(tmp_path / "bob.notesdesk", passphrase=PASSPHRASE) as bob:  # writable: it joins
        practice.join(bob.unit_of_work(), admin_url, founded.practice_fingerprint)
        joined = (_device_roles(admin_url), _devices_listed(admin_url))
    assert joined == (roles_before + 1, devices_before + 1)
