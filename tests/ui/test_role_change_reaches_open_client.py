"""A clinician made supervisor of a client (Change role…) while that client is open on their
computer: the app's own sync brings the new role, and the window and the workspace decide again
(ui/client_action_state.py), so nothing the core now refuses is offered (docs/design-notes.md §9,
Supervision). Against the real PostgreSQL cluster of tests/sync."""

from __future__ import annotations

from notesdesk.core.services import notes, practice, practice_access, supervision
from notesdesk.ui.lifecycle.os_lock import SystemLockWatcher
from notesdesk.ui.main_window import MainWindow
from tests.sync.conftest import admin_url, cluster, database  # noqa: F401  (the sync tests' server)
from tests.sync.helpers import add_client, clinician_of, found_practice, join_practice, sync_in_turn

from .workspace_helpers import type_into


def _open_shared_client(ctx, alice, admin_url, qtbot, relaunch):  # noqa: F811
    """Alice shares a client with this vault's clinician (ctx) as clinician; the window is open on it."""
    founded = found_practice(alice, admin_url)
    join_practice(alice, ctx.vault, admin_url, founded.practice_fingerprint)
    sync_in_turn(ctx.vault)  # holds the practice key
    client = add_client(alice, "Synthetic Shared Client")
    practice_access.assign(alice.unit_of_work(), client.id, clinician_of(ctx.vault))
    sync_in_turn(alice)
    # The real workspace: it is where the app learns that a client is supervised-only.
    shown = MainWindow(ctx, relaunch=relaunch, system_lock=SystemLockWatcher(bus_signals=()))
    qtbot.addWidget(shown)
    shown.show()
    sync = shown.practice_sync
    qtbot.waitUntil(lambda: sync.member and not sync.running, timeout=60_000)
    shown.refresh_clients()
    qtbot.waitUntil(lambda: shown.panel.select_client(client.id), timeout=60_000)
    assert shown.host.client_id == client.id
    assert shown.actions_by_name["hold"].isEnabled()  # a clinician of the client: offered
    return shown, client


def _made_supervisor_by_a_sync(ctx, alice, shown, client, qtbot) -> None:
    done = practice_access.assign(alice.unit_of_work(), client.id, clinician_of(ctx.vault), supervisor=True)
    assert done.role_changed
    practice.sync(alice.unit_of_work())
    with qtbot.waitSignal(shown.practice_sync.sig_finished, timeout=60_000):
        shown.practice_sync.sync(asked=True)  # File ▸ Sync now
    assert supervision.supervised_only(ctx.vault.unit_of_work(), client.id)  # as the core sees it


def test_an_open_client_whose_clinician_is_made_supervisor_by_a_sync_offers_no_refused_action(
    ctx, alice, admin_url, qtbot, relaunch  # noqa: F811
):
    shown, client = _open_shared_client(ctx, alice, admin_url, qtbot, relaunch)
    try:
        _made_supervisor_by_a_sync(ctx, alice, shown, client, qtbot)
        assert ctx.errors.last_message is None

        assert not shown.actions_by_name["hold"].isEnabled()  # the core refuses it now
        assert shown.host.workspace.supervised_only  # and the workspace's writing controls with it
    finally:
        shown.shutdown()


def test_a_note_being_typed_when_a_sync_makes_its_writer_supervisor_is_not_lost(
    ctx, alice, admin_url, qtbot, relaunch  # noqa: F811
):
    ctx.prefs.autosave_seconds = 3600  # typed and not saved yet when the sync ends
    shown, client = _open_shared_client(ctx, alice, admin_url, qtbot, relaunch)
    try:
        tab = shown.host.workspace.notes_tab
        tab.new_note()
        first = next(iter(tab.editor.section_edits.values()))
        type_into(qtbot, first, "typed as the clinician")

        _made_supervisor_by_a_sync(ctx, alice, shown, client, qtbot)

        # Saved before the new role arrived (as the clinician's draft, which stays in this vault), or
        # refused after: then the presenter says why and the text stays on screen, where it was.
        saved = [n for n in notes.list_notes(ctx.vault.unit_of_work(), client.id)
                 if any(s.text == "typed as the clinician" for s in n.sections)]
        if saved:
            assert shown.host.workspace.supervised_only
        else:
            assert ctx.errors.last_message is not None and "supervise" in ctx.errors.last_message
            assert shown.host.client_id == client.id
            editor = shown.host.workspace.notes_tab.editor
            assert any(e.toPlainText() == "typed as the clinician" for e in editor.section_edits.values())
    finally:
        shown.shutdown()
