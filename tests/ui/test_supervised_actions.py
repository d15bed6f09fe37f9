"""Issue 18 in the main window, against the real PostgreSQL cluster of tests/sync: for a client this vault
only supervises, the window offers none of the client actions the core would refuse (Put on hold,
Discharge…, Reactivate, the client panel's buttons with them, Billing's write buttons); Edit client…
shows the details read-only with Save off and says why in one line. Filter boxes that write nothing
stay usable in the workspace, while every field that would be saved stays read-only. A sync conflict
over such a client offers only the clinician's version. A client of one's own keeps every action."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.errors import SUPERVISED_ONLY
from notesdesk.core.services import clients, practice
from notesdesk.ui.dialogs.conflicts_dialog import ConflictsDialog
from notesdesk.ui.lifecycle.os_lock import SystemLockWatcher
from notesdesk.ui.main_window import MainWindow
from tests.sync.conftest import admin_url, cluster, database  # noqa: F401  (the sync tests' server)
from tests.sync.helpers import (
    add_client,
    supervised_client,
    supervised_conflict,
)


@pytest.fixture
def window(qtbot, ctx, relaunch):
    made: list[MainWindow] = []

    def make() -> MainWindow:
        # The real workspace: it is where the app learns that a client is supervised-only.
        shown = MainWindow(ctx, relaunch=relaunch, system_lock=SystemLockWatcher(bus_signals=()))
        qtbot.addWidget(shown)
        shown.show()
        qtbot.waitUntil(lambda: shown.panel.model.rowCount() == 2)
        made.append(shown)
        return shown

    yield make
    for shown in made:
        shown.shutdown()


def _named(parent: QWidget, name: str) -> QWidget:
    (found,) = [w for w in parent.findChildren(QWidget) if w.accessibleName() == name]
    return found


def _panel_button(window: MainWindow, name: str) -> QWidget:
    (found,) = [b for b in window.panel.buttons if b.accessibleName() == name]
    return found


def test_a_supervised_client_is_offered_no_action_the_core_refuses(ctx, alice, admin_url, window, qtbot):  # noqa: F811
    _sam, client_id, _note = supervised_client(alice, ctx.vault, admin_url)
    own = add_client(ctx.vault, "Synthetic Own Client")
    shown = window()
    actions = shown.actions_by_name

    shown.panel.select_client(client_id)
    assert shown.host.client_id == client_id
    for name in ("hold", "discharge", "reactivate"):
        assert not actions[name].isEnabled(), name
    assert not _panel_button(shown, "Put on hold").isEnabled()
    assert not _panel_button(shown, "Discharge").isEnabled()
    actions["hold"].trigger()  # Ctrl+Shift+H: nothing happens, nothing is refused afterwards
    assert ctx.errors.last_message is None
    assert clients.get_client(ctx.vault.unit_of_work(), client_id).status == ClientStatus.ACTIVE
    assert actions["edit"].isEnabled() and actions["billing"].isEnabled()  # to read

    actions["edit"].trigger()
    dialog = shown.client_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert dialog.message.isVisible() and dialog.message.text() == SUPERVISED_ONLY
    assert dialog.name.isReadOnly() and dialog.name.text() == "Synthetic Supervised Client"
    assert dialog.save_pending()  # nothing typed can be kept: a lock never waits for it
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())

    actions["billing"].trigger()
    billing = shown.billing_dialog
    assert billing.isVisible()
    for control in (billing.pay_button, billing.issue_button, billing.void_button, billing.amount,
                    billing.sessions):
        assert not control.isEnabled(), control.accessibleName()
    why = _named(billing, "Why nothing can be recorded")
    assert why.isVisible() and why.text() == SUPERVISED_ONLY
    billing.reject()

    shown.panel.select_client(own.id)
    assert shown.host.client_id == own.id
    assert actions["hold"].isEnabled() and actions["discharge"].isEnabled()
    assert _panel_button(shown, "Put on hold").isEnabled()
    actions["edit"].trigger()
    assert shown.client_dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert not shown.client_dialog.message.isVisible()
    shown.client_dialog.reject()
    actions["billing"].trigger()
    assert shown.billing_dialog.pay_button.isEnabled() and shown.billing_dialog.issue_button.isEnabled()
    assert shown.billing_dialog.amount.isEnabled()
    shown.billing_dialog.reject()

    # Their clinician puts the client on hold: Reactivate, and Discharge… still, are not offered either.
    clients.set_status(alice.unit_of_work(), client_id, ClientStatus.ON_HOLD)
    practice.sync(alice.unit_of_work())
    practice.sync(ctx.vault.unit_of_work())
    shown.refresh_clients()
    qtbot.waitUntil(lambda: shown.panel.model.client_at(shown.panel.model.row_of(client_id)).status
                    == ClientStatus.ON_HOLD)
    shown.panel.select_client(client_id)
    assert shown.host.client_id == client_id
    assert not actions["reactivate"].isEnabled() and not actions["discharge"].isEnabled()
    clients.set_status(ctx.vault.unit_of_work(), own.id, ClientStatus.ON_HOLD)  # one's own: offered
    shown.refresh_clients()
    qtbot.waitUntil(lambda: shown.panel.model.client_at(shown.panel.model.row_of(own.id)).status
                    == ClientStatus.ON_HOLD)
    shown.panel.select_client(own.id)
    assert actions["reactivate"].isEnabled() and actions["discharge"].isEnabled()


def test_a_supervised_workspaces_filter_box_is_usable_and_its_fields_stay_read_only(
        ctx, alice, admin_url, window, qtbot):  # noqa: F811
    _sam, client_id, _note = supervised_client(alice, ctx.vault, admin_url)
    add_client(ctx.vault, "Synthetic Own Client")
    shown = window()
    shown.panel.select_client(client_id)
    workspace = shown.host.workspace
    workspace.tabs.setCurrentWidget(workspace.private_tab)
    find = _named(workspace, "Find in psychotherapy notes")
    assert isinstance(find, QLineEdit) and find.isVisible()
    assert not find.isReadOnly()
    qtbot.keyClicks(find, "panic")
    assert find.text() == "panic"
    text = _named(workspace, "Psychotherapy note text")
    assert isinstance(text, QPlainTextEdit) and text.isReadOnly()
    typed_into = [w for w in workspace.findChildren(QWidget)
                  if isinstance(w, QLineEdit | QPlainTextEdit | QTextEdit) and w.isVisible()]
    assert [w.accessibleName() for w in typed_into if not w.isReadOnly()] == ["Find in psychotherapy notes"]


def test_a_supervised_clients_conflict_offers_only_the_clinicians_version(
        ctx, alice, admin_url, qtbot, monkeypatch):  # noqa: F811
    supervisor = ctx.vault
    client_id = supervised_conflict(alice, supervisor, admin_url, monkeypatch)

    dialog = ConflictsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.current() is not None
    assert not dialog.keep_mine.isEnabled()  # it would be refused: a write of a client supervised only
    assert dialog.why_not_mine.isVisible() and dialog.why_not_mine.text() == SUPERVISED_ONLY
    dialog.keep_theirs.click()
    assert ctx.errors.last_message is None
    assert dialog.current() is None and not dialog.why_not_mine.isVisible()
    assert clients.get_client(supervisor.unit_of_work(), client_id).phone == "555-0199"
