"""Issue 18, Client ▸ Share with colleague… for a client this vault only supervises, against the real
PostgreSQL cluster of tests/sync: the dialog still shows who holds the client, but offers no write (the
core refuses them: practice_access.assign, unassign) and says why in one line. A client of one's own
keeps them."""

from __future__ import annotations

import pytest

from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.services import practice
from notesdesk.core.services.practice_access import SUPERVISOR_CANNOT_SHARE
from notesdesk.core.storage.vault import Vault
from tests.signer import ready_to_sign
from tests.sync.conftest import admin_url, cluster, database  # noqa: F401  (the sync tests' server)
from tests.sync.helpers import add_client, join_practice, supervised_client

from .conftest import PASSPHRASE


@pytest.fixture
def colleague(tmp_path):
    opened: list[Vault] = []

    def make(name: str) -> Vault:
        vault = Vault.create(tmp_path / f"{name}.notesdesk", PASSPHRASE)[0]
        ready_to_sign(vault, PractitionerProfile(name=f"Dr {name.title()}", credentials="LCSW"))
        opened.append(vault)
        return vault

    yield make
    for vault in opened:
        vault.close()


def _open_share(window, client_id, qtbot):
    window.panel.select_client(client_id)
    window.practice.share.trigger()
    dialog = window.practice.dialog
    qtbot.waitUntil(lambda: not dialog.busy and dialog.readers.rowCount() > 0, timeout=60_000)
    return dialog


def test_a_supervisor_sees_who_holds_the_client_but_cannot_share_it(
    make_window, ctx, colleague, admin_url, qtbot  # noqa: F811
):
    alice = colleague("alice")
    _sam, client_id, _note = supervised_client(alice, ctx.vault, admin_url)
    fingerprint = practice.status(alice.unit_of_work()).practice_fingerprint
    join_practice(alice, colleague("carol"), admin_url, fingerprint)  # someone it could go to
    own = add_client(ctx.vault, "Synthetic Own Client")
    window = make_window()
    qtbot.waitUntil(lambda: window.practice_sync.member and not window.practice_sync.running, timeout=60_000)

    window.panel.select_client(client_id)
    window.practice.enable_share()
    assert window.practice.share.isEnabled()  # to show who holds the client
    dialog = _open_share(window, client_id, qtbot)
    assert dialog.readers.rowCount() == 2  # its clinician and this vault
    assert dialog.colleague.count() == 1  # Carol, who could be offered…
    assert dialog.status.text() == SUPERVISOR_CANNOT_SHARE
    dialog.table.selectRow(next(i for i, r in enumerate(dialog.readers.rows()) if not r.you))
    for control in (dialog.share, dialog.colleague, dialog.as_supervisor, dialog.stop, dialog.change_role):
        assert not control.isEnabled(), control.accessibleName() or control.text()  # …but is not
    assert ctx.errors.last_message is None
    dialog.reject()

    dialog = _open_share(window, own.id, qtbot)  # one's own client: shared from here
    assert dialog.colleague.count() == 2 and dialog.share.isEnabled()
    assert dialog.status.text() != SUPERVISOR_CANNOT_SHARE
    dialog.reject()
