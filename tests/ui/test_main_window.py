"""The main window: clients, privacy, lock, search and settings, with a stand-in workspace."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from notesdesk.core.domain.clients import Client, ClientStatus
from notesdesk.core.domain.notes import NoteFormat, RiskAssessment, RiskLevel, SessionNote
from notesdesk.core.services import clients, notes
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.models.client_list_model import COL_NAME
from notesdesk.ui.models.search_results_model import HTML_ROLE
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.workspace import SHORTCUTS
from tests.ui.conftest import PASSPHRASE


def add(ctx, name: str, **fields) -> Client:
    return clients.add_client(ctx.uow(), Client(name=name, **fields))


def shown_names(window) -> list[str]:
    proxy = window.panel.proxy
    return [proxy.index(r, COL_NAME).data() for r in range(proxy.rowCount())]


def test_add_client_through_the_dialog(qtbot, ctx, make_window):
    window = make_window()
    window.actions_by_name["new"].trigger()
    dialog = window.client_dialog
    qtbot.waitExposed(dialog)
    assert "Siobhán" not in dialog.windowTitle()
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "needs a name" in dialog.message.text()  # nothing lost, says why

    dialog.name.setText("Siobhán Murphy")  # QTest types ASCII only
    qtbot.keyClicks(dialog.preferred, "Shiv")
    qtbot.keyClicks(dialog.pronouns, "she/her")
    qtbot.keyClicks(dialog.emergency, "Aoife, sister")
    dialog.dob.set_value(date(1990, 4, 2))
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    stored = clients.list_clients(ctx.uow())
    assert [(c.name, c.preferred_name, c.pronouns, c.date_of_birth) for c in stored] == [
        ("Siobhán Murphy", "Shiv", "she/her", date(1990, 4, 2))
    ]
    assert stored[0].intake_date is not None
    assert shown_names(window) == ["Shiv"]
    assert window.panel.current_client_id() == stored[0].id
    assert window.windowTitle() == "NotesDesk"


def test_window_title_never_names_the_client(qtbot, ctx, make_window, events):
    ana = add(ctx, "Ana Lima")
    window = make_window()
    window.panel.select_client(ana.id)
    assert ("open_workspace", ana.id) in events
    assert window.windowTitle() == "NotesDesk"
    window.host.workspace.setWindowTitle("Ana Lima")
    window.setWindowTitle("Ana Lima — NotesDesk")
    assert window.windowTitle() == "NotesDesk"
    assert "Ana" not in window.window().windowTitle()


def test_search_as_you_type_and_status_filter(qtbot, ctx, make_window):
    add(ctx, "Zoë Ó Briain")
    add(ctx, "Mark Okafor")
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.panel.search.hasFocus()
    qtbot.keyClicks(window.panel.search, "zoe")
    assert shown_names(window) == ["Zoë Ó Briain"]
    window.panel.search.clear()
    window.panel.status.setCurrentIndex(window.panel.status.findText("On hold"))
    assert shown_names(window) == []


def test_hold_reactivate_and_discharge(qtbot, ctx, make_window):
    ana = add(ctx, "Ana Lima")
    window = make_window()
    window.panel.select_client(ana.id)
    a = window.actions_by_name
    assert a["hold"].isEnabled() and not a["reactivate"].isEnabled()
    a["hold"].trigger()
    assert clients.get_client(ctx.uow(), ana.id).status == ClientStatus.ON_HOLD
    assert a["reactivate"].isEnabled() and not a["hold"].isEnabled()
    a["reactivate"].trigger()  # from hold: no episode reopens, nothing to confirm
    assert clients.get_client(ctx.uow(), ana.id).status == ClientStatus.ACTIVE

    a["discharge"].trigger()
    window.discharge_dialog.reject()
    assert clients.get_client(ctx.uow(), ana.id).status == ClientStatus.ACTIVE
    a["discharge"].trigger()
    window.discharge_dialog.accept()
    assert clients.get_client(ctx.uow(), ana.id).status == ClientStatus.DISCHARGED
    assert window.panel.model.index(0, 1).data() == "Discharged"


def test_privacy_mode_shows_initials(qtbot, ctx, make_window, prefs):
    ana = add(ctx, "Ana Beatriz Lima")
    window = make_window()
    window.panel.select_client(ana.id)
    qtbot.keyClick(
        window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.actions_by_name["privacy"].isChecked()
    assert shown_names(window) == ["ABL"]
    assert prefs.privacy_mode
    window.discharge()
    shown = " ".join(label.text() for label in window.discharge_dialog.findChildren(QLabel))
    assert "ABL" in shown and "Ana" not in shown
    window.discharge_dialog.reject()
    window.actions_by_name["privacy"].trigger()
    assert shown_names(window) == ["Ana Beatriz Lima"]


def test_ctrl_l_saves_drafts_then_relaunches_and_releases_the_vault(
    qtbot, ctx, make_window, events, relaunch
):
    ana = add(ctx, "Ana Lima")
    window = make_window()
    window.panel.select_client(ana.id)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert relaunch.paths == [ctx.vault.path]
    assert events.index(("save_all_drafts", ana.id)) < events.index(("relaunch", str(ctx.vault.path)))
    assert not window.isVisible()
    Vault.open(ctx.vault.path, passphrase=PASSPHRASE).close()  # the lock file was released


def test_idle_time_locks(qtbot, ctx, make_window, relaunch):
    window = make_window()
    assert window.idle.interval_ms() == 10 * 60_000  # default 10 minutes
    window.idle.set_interval_ms(300)
    qtbot.waitUntil(lambda: relaunch.paths == [ctx.vault.path], timeout=5000)


def test_input_resets_the_idle_timer(qtbot, ctx, make_window, relaunch):
    window = make_window()
    window.idle.set_interval_ms(60_000)
    qtbot.waitUntil(lambda: window.idle.remaining_ms() < 59_700)  # the idle time is running down
    qtbot.keyClick(window.panel.search, Qt.Key.Key_A)
    assert window.idle.remaining_ms() > 59_700  # the key press started it over
    assert relaunch.paths == []


def test_a_draft_that_cannot_be_saved_blocks_lock_and_close(qtbot, ctx, make_window, relaunch, errors):
    ana = add(ctx, "Ana Lima")
    window = make_window()
    window.panel.select_client(ana.id)

    def fail() -> None:
        raise OSError("disk gone")

    window.host.workspace.save_all_drafts = fail
    assert window.lock() is False
    assert relaunch.paths == [] and "could not be read or written" in errors.last_message
    window.close()
    assert window.isVisible()
    window.host.workspace.save_all_drafts = lambda: True


def test_search_finds_a_note_and_opens_it(qtbot, ctx, make_window, events):
    ana = add(ctx, "Ana Lima")
    add(ctx, "Ben Ode")
    sections = notes.build_sections(NoteFormat.SOAP, {"subjective": "Recurring nightmares <since> May."})
    note = notes.create_note(ctx.uow(), SessionNote(ana.id, date(2024, 5, 20), NoteFormat.SOAP, sections))
    window = make_window()
    assert ctx.index is not None
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.search_dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.query, "nightm")
    qtbot.waitUntil(lambda: len(dialog.hits()) == 1)
    html = dialog.model.index(0, 0).data(HTML_ROLE)
    assert "<b>nightmares</b>" in html.lower() and "&lt;since&gt;" in html
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert window.panel.current_client_id() == ana.id
    assert events[-1] == ("open_note", note.id)
    assert not dialog.isVisible()


def test_search_finds_a_client_by_surname_and_selects_them(qtbot, ctx, make_window):
    add(ctx, "Ana Lima")
    ben = add(ctx, "Ben Odeyemi")
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.search_dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.query, "odeyemi")
    qtbot.waitUntil(lambda: len(dialog.hits()) == 1)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert window.panel.current_client_id() == ben.id
    assert not dialog.isVisible()


def test_search_index_follows_changes(qtbot, ctx, make_window):
    ana = add(ctx, "Ana Lima")
    window = make_window()
    sections = notes.build_sections(NoteFormat.FREE, {"text": "Panic on the tram."})
    assert ctx.index.search("tram") == []
    draft = SessionNote(ana.id, date(2024, 5, 20), NoteFormat.FREE, sections)
    note = ctx.session.write(notes.create_note, draft, change=Kind.NOTE, client_id=ana.id)
    assert [h.object_id for h in ctx.index.search("tram")] == [note.id]
    window.open_search()
    qtbot.keyClicks(window.search_dialog.query, "panic tram")
    qtbot.waitUntil(lambda: len(window.search_dialog.hits()) == 1)


def test_a_client_renamed_in_the_dialog_reaches_the_list_and_search(qtbot, ctx, make_window):
    ana = add(ctx, "Ana Lima")
    window = make_window()
    window.panel.select_client(ana.id)
    window.edit_client()
    dialog = window.client_dialog
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Ana Okonkwo")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.accept()
    assert [h.client_id for h in ctx.index.search("okonkwo")] == [ana.id]  # told by the session
    model = window.panel.model
    assert "Okonkwo" in model.clients()[model.row_of(ana.id)].name


def test_flags_show_in_the_list(qtbot, ctx, make_window):
    ana = add(ctx, "Ana Lima")
    window = make_window()
    sections = notes.build_sections(NoteFormat.FREE, {"text": "Hard week."})
    # Risk text alone ("denies ideation" as much as anything else) raises nothing; a signed level does.
    note = SessionNote(ana.id, date.today(), NoteFormat.FREE, sections, risk_noted="denies suicidal ideation",
                       risk=RiskAssessment(RiskLevel.HIGH, "recent loss", "call Friday"))
    ctx.session.write(notes.create_note, note, change=Kind.NOTE, client_id=ana.id)
    ctx.session.write(notes.sign_note, note.id, change=Kind.NOTE, client_id=ana.id)
    shown = "risk · no safety plan · no consent"  # and no informed consent recorded since the first note
    qtbot.waitUntil(lambda: window.panel.model.index(0, 2).data() == shown, timeout=3000)


def test_flags_of_the_open_client_follow_its_changes(qtbot, ctx, make_window):
    ana = add(ctx, "Ana Lima")
    ben = add(ctx, "Ben Ode")
    window = make_window()
    window.panel.select_client(ana.id)
    sections = notes.build_sections(NoteFormat.FREE, {"text": "Hard week."})
    note = SessionNote(ana.id, date.today(), NoteFormat.FREE, sections,
                       risk=RiskAssessment(RiskLevel.MODERATE, "passive ideation"))
    ctx.session.write(notes.create_note, note, change=Kind.NOTE, client_id=ana.id)
    ctx.session.write(notes.sign_note, note.id, change=Kind.NOTE, client_id=ana.id)
    model = window.panel.model
    qtbot.waitUntil(lambda: model.index(model.row_of(ana.id), 2).data().startswith("risk"), timeout=3000)
    assert model.index(model.row_of(ben.id), 2).data() == ""


def test_settings_save_preferences_and_profile(qtbot, ctx, make_window, prefs):
    window = make_window()
    window.actions_by_name["settings"].trigger()
    dialog = window.settings_dialog
    qtbot.waitExposed(dialog)
    dialog.idle.setValue(3)
    dialog.name.setText("Dr Rosa Quintero")
    dialog.credentials.setText("PsyD")
    dialog.privacy.setChecked(True)
    dialog.locale_combo.setCurrentIndex(dialog.locale_combo.findData("IE"))
    dialog.note_format.setCurrentIndex(dialog.note_format.findData("DAP"))
    dialog.accept()
    assert prefs.idle_minutes == 3 and prefs.privacy_mode and prefs.default_note_format == "DAP"
    assert window.idle.interval_ms() == 3 * 60_000
    assert window.actions_by_name["privacy"].isChecked()
    profile = ctx.vault.profile()
    assert (profile.name, profile.credentials, profile.locale) == ("Dr Rosa Quintero", "PsyD", "IE")
    settings_file = prefs._settings.fileName()
    prefs.sync()
    assert "Rosa" not in Path(settings_file).read_text(encoding="utf-8")


def test_change_passphrase_checks_the_current_one(qtbot, ctx, make_window):
    window = make_window()
    window.open_settings()
    window.settings_dialog.change_passphrase.click()
    dialog = window.settings_dialog.passphrase_dialog
    qtbot.keyClicks(dialog.current.edit, "not it at all")
    qtbot.keyClicks(dialog.form.first.edit, "a brand new passphrase")
    qtbot.keyClicks(dialog.form.second.edit, "a brand new passphrase")
    dialog.form.submit.click()
    qtbot.waitUntil(lambda: "not the current" in dialog.current_message.text(), timeout=5000)
    dialog.current.clear()
    qtbot.keyClicks(dialog.current.edit, PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.form.submit.click()
    window.shutdown()
    Vault.open(ctx.vault.path, passphrase="a brand new passphrase").close()


def test_close_saves_drafts_and_closes_the_vault(qtbot, ctx, make_window, events):
    ana = add(ctx, "Ana Lima")
    window = make_window()
    window.panel.select_client(ana.id)
    window.close()
    assert ("save_all_drafts", ana.id) in events
    Vault.open(ctx.vault.path, passphrase=PASSPHRASE).close()
    assert QApplication.instance() is not None


def test_every_action_has_a_shortcut_and_controls_have_names(qtbot, ctx, make_window):
    window = make_window()
    for action in window.actions_by_name.values():
        assert not action.shortcut().isEmpty(), action.text()
    for widget in (window.panel.search, window.panel.status, window.panel.view):
        assert widget.accessibleName()


def _window_shortcuts(window) -> list[str]:
    """Every key sequence the main window answers: its own actions and the Reports menu's."""
    actions = {id(a): a for a in [*window.actions_by_name.values(), *window.reports_menu.actions()]}
    return [k.toString() for a in actions.values() for k in a.shortcuts() if not k.isEmpty()]


def _workspace_shortcuts(workspace) -> set[str]:
    """The key sequences a live workspace answers: shortcuts, actions and buttons (mnemonics aside)."""
    keys = {s.key().toString() for s in workspace.findChildren(QShortcut)}
    keys |= {k.toString() for a in workspace.findChildren(QAction) for k in a.shortcuts()}
    keys |= {b.shortcut().toString() for b in workspace.findChildren(QAbstractButton)}
    return {k for k in keys if k and not k.startswith("Alt+")}


def test_shortcuts_do_not_clash_with_the_workspace(qtbot, ctx, make_window, relaunch):
    window = make_window()
    mine = _window_shortcuts(window)
    assert len(mine) == len(set(mine)), sorted(mine)  # no two of the window's actions share keys
    names = {n: a.shortcut().toString() for n, a in window.actions_by_name.items()}
    assert names["summary"] == "Ctrl+P" and names["privacy"] == "Ctrl+Shift+P"
    theirs = {QKeySequence(text).toString() for text in SHORTCUTS.values()}
    assert not set(mine) & theirs
    # And against a live workspace: whatever its tabs add beyond SHORTCUTS.
    ana = add(ctx, "Ana Lima")
    real = MainWindow(ctx, relaunch=relaunch)
    qtbot.addWidget(real)
    try:
        qtbot.waitUntil(lambda: real.panel.model.row_of(ana.id) >= 0)  # the list fills once shown
        real.panel.select_client(ana.id)
        qtbot.waitUntil(lambda: real.host.workspace is not None)
        assert not set(_window_shortcuts(real)) & _workspace_shortcuts(real.host.workspace)
    finally:
        real.shutdown()


def test_f1_lists_every_shortcut_of_the_window_and_the_workspace(qtbot, ctx, make_window, relaunch):
    from notesdesk.ui.shortcut_list import native

    window = make_window()
    listed = {keys for _title, entries in window.shortcut_sections() for keys, _label in entries}
    assert {native(k) for k in _window_shortcuts(window)} <= listed
    assert {native(k) for k in SHORTCUTS.values()} <= listed
    assert {native("Ctrl+N"), native("Ctrl+S"), native("Ctrl+Shift+S"), native("F1")} <= listed
    labels = [label for _title, entries in window.shortcut_sections() for _keys, label in entries]
    assert all(label and "&" not in label for label in labels)
    assert len(labels) == len(set(labels))

    qtbot.keyClick(window, Qt.Key.Key_F1)
    box = window.shortcuts_box
    qtbot.waitExposed(box)
    text = box.text()
    assert "<table" in text and "padding-right" in text  # keys and labels in columns, apart
    assert "New session note" in text and "Sign the open note" in text
    box.close()

    # Whatever a live workspace answers (its tabs may add keys of their own) is in the list too.
    ana = add(ctx, "Ana Lima")
    real = MainWindow(ctx, relaunch=relaunch)
    qtbot.addWidget(real)
    try:
        qtbot.waitUntil(lambda: real.panel.model.row_of(ana.id) >= 0)  # the list fills once shown
        real.panel.select_client(ana.id)
        qtbot.waitUntil(lambda: real.host.workspace is not None)
        live = {native(k) for k in _workspace_shortcuts(real.host.workspace)}
        assert live and live <= {keys for _t, entries in real.shortcut_sections() for keys, _l in entries}
    finally:
        real.shutdown()


def test_the_list_flags_and_the_search_index_are_read_off_the_ui_thread(qtbot, ctx, make_window, monkeypatch):
    """Opening the window on a practice: the list shows the flags and search finds a note, and the two
    reads of the whole practice behind them ran on the background runner, so the window stays
    responsive while they run (bench/bench_app.py measures how long it stays still)."""
    import threading

    from notesdesk.ui.keepers import client_list as client_list_keeper
    from notesdesk.ui.keepers import search as search_keeper

    ana = add(ctx, "Ana Lima")
    sections = notes.build_sections(NoteFormat.FREE, {"text": "Talked about the allotment."})
    note = notes.create_note(ctx.uow(), SessionNote(ana.id, date.today(), NoteFormat.FREE, sections,
                                                    risk=RiskAssessment(RiskLevel.HIGH)))
    notes.sign_note(ctx.uow(), note.id)  # risk recorded in a signed note: a flag in the list
    on_ui_thread: dict[str, bool] = {}

    def watched(name, fn):
        def run(*args, **kwargs):
            on_ui_thread[name] = threading.current_thread() is threading.main_thread()
            return fn(*args, **kwargs)
        return run

    monkeypatch.setattr(client_list_keeper, "client_flags", watched("flags", client_list_keeper.client_flags))
    monkeypatch.setattr(search_keeper, "build_index", watched("index", search_keeper.build_index))
    window = make_window()
    qtbot.waitUntil(lambda: "risk" in str(window.panel.model.index(0, 2).data()).split(" · "))
    assert [hit.client_id for hit in ctx.index.search("allotment")] == [ana.id]
    assert on_ui_thread == {"flags": False, "index": False}


def test_ctrl_n_starts_a_note_while_the_client_list_has_the_focus(qtbot, ctx, relaunch):
    """Ctrl+N, "New session note", works wherever the focus is once a client is open: a therapist who
    has just picked the client in the list types it there, not only inside the workspace."""
    from notesdesk.ui.lifecycle.os_lock import SystemLockWatcher

    ana = add(ctx, "Ana Lima")
    window = MainWindow(ctx, relaunch=relaunch, system_lock=SystemLockWatcher(bus_signals=()))
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: window.panel.model.row_of(ana.id) >= 0)
        window.panel.select_client(ana.id)
        qtbot.waitUntil(lambda: window.host.workspace is not None)
        view = window.panel.view
        view.setFocus()
        qtbot.waitUntil(view.hasFocus)
        qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        workspace = window.host.workspace
        assert workspace.tabs.currentWidget() is workspace.notes_tab
        assert workspace.notes_tab.editor.note_id is not None and not workspace.notes_tab.editor.read_only
    finally:
        window.shutdown()
