"""Client ▸ Share with colleague… → Change role…, against the real PostgreSQL cluster of tests/sync: a
supervisor made clinician (and back) from the dialog, after a confirmation that says a new key is
drawn; the colleague's vault follows at its next sync (docs/design-notes.md §9, *Roles are per key*)."""

from __future__ import annotations

import pytest

from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import SupervisedOnly
from notesdesk.core.storage.vault import Vault
from tests.signer import ready_to_sign
from tests.sync.conftest import admin_url, cluster, database  # noqa: F401  (the sync tests' server)
from tests.sync.helpers import add_client, found_practice, join_practice, signed_note, sync_in_turn

from .conftest import PASSPHRASE


@pytest.fixture
def sam(tmp_path):
    vault = Vault.create(tmp_path / "sam.notesdesk", PASSPHRASE)[0]
    ready_to_sign(vault, PractitionerProfile(name="Dr Sam", credentials="LCSW"))
    yield vault
    vault.close()


def test_a_supervisor_is_made_clinician_and_back_from_the_dialog(
    make_window, ctx, sam, admin_url, qtbot  # noqa: F811
):
    founded = found_practice(ctx.vault, admin_url)
    s = join_practice(ctx.vault, sam, admin_url, founded.practice_fingerprint).clinician_id
    sync_in_turn(sam)  # the app's sync at unlock brings Sam's name
    client = add_client(ctx.vault, "Synthetic Supervised Client")
    window = make_window()
    qtbot.waitUntil(lambda: window.practice_sync.member and not window.practice_sync.running, timeout=60_000)
    window.panel.select_client(client.id)
    window.practice.share.trigger()
    dialog = window.practice.dialog
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    dialog.as_supervisor.setChecked(True)
    dialog.share.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.readers.rowCount() == 2, timeout=60_000)
    sync_in_turn(ctx.vault, sam)
    with pytest.raises(SupervisedOnly):
        signed_note(sam, client.id, "not yet")

    def theirs():
        (found,) = [r for r in dialog.readers.rows() if not r.you]
        return found

    assert not dialog.change_role.isEnabled()  # nobody selected
    dialog.table.selectRow(next(i for i, r in enumerate(dialog.readers.rows()) if not r.you))
    assert dialog.change_role.isEnabled()
    questions: list[str] = []
    dialog.confirm = lambda _parent, _title, text: questions.append(text) or False
    dialog.change_role.click()  # declined: nothing changes
    assert questions[0].startswith("Make Dr Sam, LCSW clinician of this client? A new key is drawn")
    assert theirs().supervisor and not dialog.busy
    dialog.confirm = lambda _parent, _title, text: questions.append(text) or True
    dialog.change_role.click()
    qtbot.waitUntil(lambda: not dialog.busy and not theirs().supervisor, timeout=60_000)
    assert dialog.status.text() == "Dr Sam, LCSW is now clinician of this client, from their next sync."
    assert ctx.errors.last_message is None
    sync_in_turn(ctx.vault, sam)
    signed_note(sam, client.id, "sam writes as clinician")  # no longer refused

    dialog.table.selectRow(next(i for i, r in enumerate(dialog.readers.rows()) if not r.you))
    dialog.change_role.click()
    assert questions[-1].startswith("Make Dr Sam, LCSW supervisor (reads signed notes, co-signs) of")
    qtbot.waitUntil(lambda: not dialog.busy and theirs().supervisor, timeout=60_000)
    assert theirs().clinician_id == s
    sync_in_turn(ctx.vault, sam)
    with pytest.raises(SupervisedOnly):
        signed_note(sam, client.id, "read-only again")
