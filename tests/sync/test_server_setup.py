"""README's "Setting up the practice server": the administrator's login is used once and never kept,
a device's own role cannot do what the administrator can, and a server backed up with pg_dump and
restored carries on: every device keeps syncing and every record still verifies."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.engine import make_url

from notesdesk.core.services import practice, verify
from notesdesk.core.sync import state as st
from tests.sync.helpers import add_client, assign, found_practice, join_practice, note_texts, signed_note
from tests.sync.pg_cluster import find_bin


def _device_url(vault) -> str:
    with vault.unit_of_work() as uow:
        return st.required_identity(uow).server_url


def test_the_administrators_login_is_used_once_and_not_kept(make_vault, database):
    cluster, _name, admin_url = database
    alice = make_vault("alice")
    found_practice(alice, admin_url)
    own = make_url(_device_url(alice))
    assert own.username != cluster.superuser and own.password != cluster.password
    assert cluster.password.encode() not in alice.path.read_bytes()
    # The device's own role may not create roles nor change the schema: only the administrator can.
    own_url = own.render_as_string(hide_password=False)
    with psycopg.connect(own_url, autocommit=True) as conn:
        for statement in ("CREATE ROLE nd_intruder LOGIN", "CREATE TABLE extra (id int)",
                          "DELETE FROM change", "UPDATE push SET signature = ''"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_a_server_restored_from_pg_dump_carries_on(make_vault, database):
    cluster, name, admin_url = database
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client")
    assign(alice, client.id, joined.clinician_id)
    signed_note(alice, client.id, "Before the backup")
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())

    dump = cluster.folder / f"{name}.sql"
    dump.write_text(cluster.dump(name))
    dump.chmod(0o644)
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}"')  # the server is lost ...
        conn.execute(f'CREATE DATABASE "{name}"')  # ... and a new one restored from the dump
    cluster.run(
        find_bin("psql"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", cluster.superuser,
        "-d", name, "-v", "ON_ERROR_STOP=1", "-q", "-f", str(dump), env=cluster.psql_env(),
    )

    signed_note(alice, client.id, "After the restore")
    assert practice.sync(alice.unit_of_work()).pushed == 1
    assert practice.sync(bob.unit_of_work()).received == 1
    assert note_texts(bob) == {"Before the backup", "After the restore"}
    assert verify.verify_vault(bob.unit_of_work()).signed_notes == 2
