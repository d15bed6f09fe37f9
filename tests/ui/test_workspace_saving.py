"""Nothing typed is lost: save_all_drafts covers every editor and form and says when it failed, the
lock then refuses; a failed save on a click of "Save" is said once; the workspace fits a laptop."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import StorageFull
from notesdesk.core.services import care, clients, measures, notes
from notesdesk.ui.lock import UNSAVED_DRAFT
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.workspace.measures_tab import UNFINISHED
from tests.ui.test_disk_full_ui import LONG, pages, set_max_pages
from tests.ui.workspace_demo import populate
from tests.ui.workspace_helpers import type_into

pytest_plugins = ["tests.ui.workspace_fixtures"]


def full_disk(*_args, **_kwargs):  # type: ignore[no-untyped-def]
    raise StorageFull("The disk is full: nothing was saved. Your text is kept; free some space, save again.")


def give_three_answers(workspace):  # type: ignore[no-untyped-def]
    tab = workspace.measures_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.form.advance_ms = 0
    tab.start_button.click()
    for option in (2, 1, 3):
        tab.form.option_buttons[option].click()
    return tab


def test_save_all_drafts_saves_every_editor_and_form_once(workspace, ws_ctx, ws_client, qtbot):
    assert workspace.save_all_drafts() is True  # nothing typed: nothing to save
    workspace.notes_tab.new_note()
    type_into(qtbot, workspace.notes_tab.editor.section_edit("subjective"), "Typed before the lock")
    homework = workspace.homework_tab
    type_into(qtbot, homework.description, "Paced breathing")
    milestones = workspace.milestones_tab
    type_into(qtbot, milestones.title_edit, "Names a person to call")
    tab = give_three_answers(workspace)
    assert tab.in_progress and tab.stack.currentWidget() is tab.admin

    assert workspace.save_all_drafts() is True
    assert notes.list_notes(ws_ctx.uow(), ws_client)[0].section_text("subjective") == "Typed before the lock"
    assert [h.description for h in care.list_homework(ws_ctx.uow(), ws_client)] == ["Paced breathing"]
    assert [m.title for m in care.list_milestones(ws_ctx.uow(), ws_client)] == ["Names a person to call"]
    [given] = measures.measure_history(ws_ctx.uow(), ws_client)
    assert given.administration.answers == (2, 1, 3) + (None,) * 6  # never filled in with zeros
    assert given.administration.comment == UNFINISHED
    assert tab.stack.currentWidget() is tab.home and not tab.in_progress
    assert homework.description.text() == "" and milestones.title_edit.text() == ""

    assert workspace.save_all_drafts() is True  # a second call stores nothing twice
    assert len(measures.measure_history(ws_ctx.uow(), ws_client)) == 1
    assert len(care.list_homework(ws_ctx.uow(), ws_client)) == 1


def test_a_failed_save_makes_it_false_keeps_the_text_and_still_saves_the_rest(workspace, ws_ctx, ws_client,
                                                                            qtbot, monkeypatch):
    workspace.notes_tab.new_note()
    type_into(qtbot, workspace.notes_tab.editor.section_edit("subjective"), "Still saved")
    type_into(qtbot, workspace.homework_tab.description, "Paced breathing")
    tab = give_three_answers(workspace)
    monkeypatch.setattr(care, "add_homework", full_disk)
    monkeypatch.setattr(measures, "record_measure", full_disk)

    assert workspace.save_all_drafts() is False
    assert "disk is full" in ws_ctx.errors.last_message
    assert workspace.homework_tab.description.text() == "Paced breathing"
    assert tab.stack.currentWidget() is tab.admin and tab.form.answers()[:3] == (2, 1, 3)
    assert notes.list_notes(ws_ctx.uow(), ws_client)[0].section_text("subjective") == "Still saved"

    monkeypatch.undo()
    assert workspace.save_all_drafts() is True
    assert len(care.list_homework(ws_ctx.uow(), ws_client)) == 1
    assert len(measures.measure_history(ws_ctx.uow(), ws_client)) == 1


def test_the_lock_refuses_while_a_form_cannot_be_saved(qtbot, ctx, relaunch, monkeypatch):
    ana = clients.add_client(ctx.uow(), Client(name="Ana Lima"))
    shown: list[str] = []
    present = ctx.errors.present
    ctx.errors.present = lambda exc, title="NotesDesk": (shown.append(title), present(exc, title))
    window = MainWindow(ctx, relaunch=relaunch)  # the real workspace
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    window.panel.select_client(ana.id)
    homework = window.host.workspace.homework_tab
    type_into(qtbot, homework.description, "Walk to the station")
    monkeypatch.setattr(care, "add_homework", full_disk)

    assert window.lock() is False
    assert shown[-1] == "Not locked" and ctx.errors.last_message == UNSAVED_DRAFT
    assert relaunch.paths == [] and window.isVisible()
    assert homework.description.text() == "Walk to the station"

    monkeypatch.undo()
    assert window.lock() is True and relaunch.paths == [ctx.vault.path]
    assert [h.description for h in care.list_homework(ctx.uow(), ana.id)] == ["Walk to the station"]


# -- one message for one click ----------------------------------------------------------------------------


def counting_errors(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    present = ctx.errors.present
    ctx.errors.present = lambda exc, title="NotesDesk": (shown.append(str(exc)), present(exc, title))
    return shown


def test_clicking_save_on_a_full_disk_says_so_once(workspace, ws_ctx, ws_client, qtbot):
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow)
    shown = counting_errors(ws_ctx)
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.new_note()
    editor = tab.editor
    editor.autosaver.timer.setInterval(600_000)  # only focus changes and clicks save in this test
    subjective = editor.section_edit("subjective")
    type_into(qtbot, subjective, "Slept better")
    qtbot.waitUntil(subjective.hasFocus)  # a field just built takes the focus once shown
    editor.flush()
    set_max_pages(ws_ctx.vault, pages(ws_ctx.vault) + 1)
    subjective.insertPlainText(". " + LONG)
    assert subjective.hasFocus() and editor.autosaver.dirty

    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert QApplication.focusWidget() is editor.save_button  # the text lost focus to the button
    assert len(shown) == 1 and "disk is full" in shown[0]
    assert "NOT saved" in editor.status_label.text()

    private = workspace.private_tab  # the psychotherapy note editor behaves the same
    set_max_pages(ws_ctx.vault, 1_073_741_823)
    workspace.tabs.setCurrentWidget(private)
    private.new_note()
    type_into(qtbot, private.text, "First thought")
    qtbot.waitUntil(private.text.hasFocus)
    private.flush()
    set_max_pages(ws_ctx.vault, pages(ws_ctx.vault) + 1)
    private.text.insertPlainText(LONG)
    qtbot.mouseClick(private.save_button, Qt.LeftButton)
    assert QApplication.focusWidget() is private.save_button
    assert len(shown) == 2 and private.text.toPlainText().endswith(LONG)

    set_max_pages(ws_ctx.vault, 1_073_741_823)
    qtbot.mouseClick(private.save_button, Qt.LeftButton)
    assert notes.list_private_notes(ws_ctx.uow(), ws_client)[0].text.endswith(LONG)


# -- fits a laptop --------------------------------------------------------------------------------------


def test_the_workspace_fits_beside_the_client_list_on_a_1024_pixel_screen(qtbot, ctx, relaunch):
    robin = clients.add_client(ctx.uow(), Client(name="Robin Example"))
    populate(ctx, robin.id)
    window = MainWindow(ctx, relaunch=relaunch)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    window.panel.select_client(robin.id)
    workspace = window.host.workspace
    tabs = workspace.tabs
    for index in range(tabs.count()):  # every tab has been laid out with its data
        tabs.setCurrentIndex(index)
    assert workspace.minimumSizeHint().width() <= 660
    assert window.minimumSizeHint().width() <= 1024
    labels = [tabs.tabText(i) for i in range(tabs.count())]
    assert "Psychotherapy notes" in labels and "Milestones" in labels
    assert workspace.milestones_tab.accessibleName() == "Milestones and phase of care"
    assert workspace.milestones_tab.phase.isVisibleTo(workspace.milestones_tab)  # the phase is still there

    window.resize(1024, 700)
    tabs.setCurrentWidget(workspace.plan_tab)
    qtbot.waitUntil(lambda: window.width() == 1024)
    tree = workspace.plan_tab.tree
    tree.fit_columns()
    assert tree.header().sectionSize(0) >= tree.viewport().width() // 2 - 1  # the items stay readable

    tabs.setCurrentWidget(workspace.notes_tab)
    workspace.notes_tab.new_note()
    areas = workspace.notes_tab.findChildren(QScrollArea)
    area = next(a for a in areas if a.accessibleName() == "Note editor")
    sign = workspace.notes_tab.editor.sign_button
    qtbot.waitUntil(sign.isVisible)
    qtbot.wait(100)  # let the scroll area catch up with the new layout
    right_edge = sign.mapTo(area.viewport(), sign.rect().topRight()).x()
    assert area.horizontalScrollBar().maximum() == 0 and right_edge < area.viewport().width()
    window._shut = True  # no backup or relaunch when the test closes it
