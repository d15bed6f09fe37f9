"""File ▸ Practice… says how many versions of practice settings were kept aside after two computers
changed them offline, lists them (which setting, where from, when) and uses or discards one (issue 18),
against the real PostgreSQL cluster of tests/sync."""

from __future__ import annotations

import pytest

from notesdesk.core.domain.paperwork import ConsentKind
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.services import consent
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.dialogs.settings_aside_dialog import NONE_LEFT, SetAsideModel, count_line
from tests.signer import ready_to_sign
from tests.sync.conftest import admin_url, cluster, database  # noqa: F401  (the sync tests' server)
from tests.sync.helpers import found_practice, join_practice
from tests.sync.helpers import sync_in_turn as _sync

from .conftest import PASSPHRASE

TELEHEALTH = ("Alice's telehealth terms, {client}.", "Bob's telehealth terms, {client}.")
FEES = ("Alice's fees, {client}.", "Bob's fees, {client}.")


@pytest.fixture
def bob(tmp_path):
    vault = Vault.create(tmp_path / "bob.notesdesk", PASSPHRASE)[0]
    ready_to_sign(vault, PractitionerProfile(name="Dr Bob Ng", credentials="LCSW"))
    yield vault
    vault.close()


def _text(vault: Vault, kind: ConsentKind) -> str:
    return consent.template_text(vault.unit_of_work(), kind)


def test_the_count_line_reads_as_a_sentence():
    assert count_line(0) == ""
    assert count_line(1).startswith("1 version of practice settings") and " was kept aside" in count_line(1)
    assert count_line(2).startswith("2 versions of practice settings") and " were kept aside" in count_line(2)


def test_versions_kept_aside_are_shown_used_and_discarded_in_the_practice_dialog(
    make_window, ctx, bob, admin_url, qtbot  # noqa: F811
):
    alice = ctx.vault
    founded = found_practice(alice, admin_url)
    join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    _sync(alice, bob)
    for vault, n in ((alice, 0), (bob, 1)):
        consent.save_template_text(vault.unit_of_work(), ConsentKind.TELEHEALTH, TELEHEALTH[n])
        consent.save_template_text(vault.unit_of_work(), ConsentKind.FEES, FEES[n])
    _sync(alice, bob, alice)
    alice_stands = _text(alice, ConsentKind.FEES) == FEES[0]
    window = make_window()
    qtbot.waitUntil(lambda: window.practice_sync.member and not window.practice_sync.running, timeout=60_000)

    assert window.practice_sync.label.text().endswith("· 2 setting versions kept aside")
    window.practice.practice.trigger()
    dialog = window.practice.dialog
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert dialog.aside_line.isVisibleTo(dialog) and dialog.aside_line.text() == count_line(2)
    dialog.aside_button.click()
    aside = dialog.aside_dialog
    model = aside.versions
    shown = {(model.data(model.index(r, SetAsideModel.COL_ITEM)),
              model.data(model.index(r, SetAsideModel.COL_FROM))) for r in range(model.rowCount())}
    # The version that did not stand here is Bob's (from his computer, named) or this computer's own.
    where = "Dr Bob Ng, LCSW" if alice_stands else "this computer"
    assert shown == {("telehealth", where), ("fees", where)}
    other = {n for n in (0, 1) if n != (0 if alice_stands else 1)}.pop()

    # Use the telehealth version: it is the one in use here, and the line counts one.
    aside.table.selectRow(next(r for r in range(model.rowCount()) if model.row_at(r).item == "telehealth"))
    assert aside.value.toPlainText() == TELEHEALTH[other]
    aside.use.click()
    assert aside.status.text().startswith("Now in use here: the paperwork template telehealth")
    assert _text(alice, ConsentKind.TELEHEALTH) == TELEHEALTH[other]
    assert dialog.aside_line.text() == count_line(1)
    assert window.practice_sync.label.text().endswith("· 1 setting version kept aside")  # now, not next sync

    # Discard asks first; cancelled, nothing changes; confirmed, the version is gone, the one in use stays.
    asked: list[str] = []
    aside.confirm = lambda _parent, _title, text: (asked.append(text), False)[1]
    aside.table.selectRow(0)
    aside.discard.click()
    assert asked and model.rowCount() == 1
    aside.confirm = lambda _parent, _title, _text: True
    aside.discard.click()
    assert model.rowCount() == 0 and aside.status.text().startswith("Discarded")
    assert not aside.use.isEnabled() and _text(alice, ConsentKind.FEES) == FEES[1 - other]
    assert not dialog.aside_line.isVisibleTo(dialog)
    assert "kept aside" not in window.practice_sync.label.text()
    aside.load()
    assert aside.status.text() == NONE_LEFT
