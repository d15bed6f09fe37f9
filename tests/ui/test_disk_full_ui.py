"""A full disk while writing a note: the message is shown once, the typed text stays in the editor,
locking waits, and once there is space again the note saves."""

from __future__ import annotations

from PySide6.QtCore import Qt

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients, notes
from notesdesk.ui.main_window import MainWindow
from tests.ui.workspace_helpers import type_into

LONG = " ".join(f"Went over the week's exposure practice, step {i} of the ladder." for i in range(400))


def pages(vault) -> int:
    with vault.engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA page_count").scalar())


def set_max_pages(vault, count: int) -> None:
    with vault.engine.connect() as conn:
        conn.exec_driver_sql(f"PRAGMA max_page_count={count}")


def test_a_full_disk_keeps_the_text_says_so_once_and_saves_later(qtbot, ctx, prefs, relaunch, monkeypatch):
    prefs.autosave_seconds = 1
    attempts: list[str] = []  # every time the editor tries to write the draft
    save_draft = notes.save_draft

    def counted(uow, note):
        attempts.append(note.id)
        return save_draft(uow, note)

    monkeypatch.setattr(notes, "save_draft", counted)
    ana = clients.add_client(ctx.uow(), Client(name="Ana Lima"))
    shown: list[str] = []
    present = ctx.errors.present
    ctx.errors.present = lambda exc, title="NotesDesk": (shown.append(title), present(exc, title))
    window = MainWindow(ctx, relaunch=relaunch)  # the real client workspace
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    window.panel.select_client(ana.id)
    workspace = window.host.workspace
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    editor = tab.editor
    subjective = editor.section_edit("subjective")
    type_into(qtbot, subjective, "Slept better")
    qtbot.waitUntil(lambda: len(notes.list_notes(ctx.uow(), ana.id)) == 1, timeout=5000)

    set_max_pages(ctx.vault, pages(ctx.vault) + 1)
    subjective.moveCursor(subjective.textCursor().MoveOperation.End)
    subjective.insertPlainText(". " + LONG)  # a long paste, then more typing
    type_into(qtbot, subjective, " More.")
    typed = subjective.toPlainText()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)  # the autosave fails
    assert "disk is full" in ctx.errors.last_message and "text is kept" in ctx.errors.last_message
    assert subjective.toPlainText() == typed
    assert "NOT saved" in editor.status_label.text()
    tried = len(attempts)
    type_into(qtbot, subjective, " Even more.")  # the next autosave fails too, silently this time
    typed = subjective.toPlainText()
    qtbot.waitUntil(lambda: len(attempts) > tried and not editor.autosaver.timer.isActive(), timeout=5000)
    assert len(shown) == 1 and subjective.toPlainText() == typed
    assert "NOT saved" in editor.status_label.text()
    qtbot.keyClick(subjective, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # an explicit retry
    assert len(shown) == 2 and "disk is full" in ctx.errors.last_message
    assert subjective.toPlainText() == typed
    [stored] = notes.list_notes(ctx.uow(), ana.id)
    assert stored.section_text("subjective") == "Slept better"  # nothing half-written

    assert window.lock() is False  # the draft cannot be saved: locking would lose it
    assert relaunch.paths == [] and shown[-1] == "Not locked"
    assert subjective.toPlainText() == typed and window.isVisible()

    set_max_pages(ctx.vault, 1_073_741_823)
    workspace.save_current()  # Ctrl+S
    assert editor.status_label.text().startswith("Draft — saved")
    [stored] = notes.list_notes(ctx.uow(), ana.id)
    assert stored.section_text("subjective") == typed
    assert window.lock() is True and relaunch.paths == [ctx.vault.path]
