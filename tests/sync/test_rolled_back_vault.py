"""A vault restored from a backup older than its last push: sync says what happened and what to do,
without blaming the server, and sends nothing."""

from __future__ import annotations

import psycopg
import pytest

from notesdesk.core.backup import service as backups
from notesdesk.core.services import practice, practice_devices
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import push, rollback, server
from notesdesk.core.sync import state as st
from tests.conftest import PASSPHRASE
from tests.sync.helpers import add_client, assign, found_practice, note_texts, signed_note


def test_a_vault_restored_behind_its_last_push_is_told_so(make_vault, admin_url, tmp_path):
    desk = make_vault("desk")
    found_practice(desk, admin_url)
    client = add_client(desk, "Synthetic Client")
    signed_note(desk, client.id, "Before the backup")
    practice.sync(desk.unit_of_work())
    backup = backups.make_backup(desk, tmp_path / "backups")
    signed_note(desk, client.id, "After the backup")
    practice.sync(desk.unit_of_work())
    path = desk.path
    desk.close()
    backups.restore(backup, path, passphrase=PASSPHRASE)
    with Vault.open(path, passphrase=PASSPHRASE) as restored:
        signed_note(restored, client.id, "Written after the restore")
        with pytest.raises(rollback.VaultBehindServer) as refused:
            practice.sync(restored.unit_of_work())
        message = str(refused.value)
        assert "restored from a backup" in message and "newest backup" in message
        assert "server" not in message.split("practice")[0]  # the first clause does not blame the server
        assert "\n" not in message
        # Nothing was sent, and asking again says the same.
        with pytest.raises(rollback.VaultBehindServer):
            practice.sync(restored.unit_of_work())
        with psycopg.connect(admin_url) as conn:
            # The client, its episode of care, two notes and the clinician's name and profile.
            assert conn.execute("SELECT count(*) FROM change").fetchone() == (6,)

        # The way out it names: a new device of the same clinician receives all this device had sent.
        code = practice_devices.invite_device(restored.unit_of_work()).code
    fresh = Vault.create(tmp_path / "fresh.notesdesk", PASSPHRASE)[0]
    try:
        practice_devices.join_device(fresh.unit_of_work(), admin_url, code)
        practice.sync(fresh.unit_of_work())
        assert note_texts(fresh) == {"Before the backup", "After the backup"}
    finally:
        fresh.close()


def test_an_interrupted_push_is_not_mistaken_for_a_rollback(make_vault, admin_url):
    """The batch reached the server but its acknowledgement did not reach the vault: sent once."""
    desk, other = make_vault("desk"), make_vault("other")
    founded = found_practice(desk, admin_url)
    client = add_client(desk, "Synthetic Client")
    signed_note(desk, client.id, "Sent once")
    with desk.unit_of_work() as uow:
        me = st.required_identity(uow)
    prepared = push.prepare(desk.unit_of_work(), me, 200)
    assert prepared.outbox is not None
    push.send(server.engine_for(me.server_url), me, prepared.outbox)  # no acknowledge: cut off here

    # The client, its episode, the note, the name and the profile.
    assert practice.sync(desk.unit_of_work()).pushed == 5
    joined = practice.join(other.unit_of_work(), admin_url, founded.practice_fingerprint)
    practice.add_clinician(desk.unit_of_work(), joined.clinician_id, joined.fingerprint)
    assign(desk, client.id, joined.clinician_id)  # clients are shared one by one
    assert practice.sync(other.unit_of_work()).received == 4  # and the desk clinician's name
