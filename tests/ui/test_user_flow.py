"""A therapist's first day, end to end through the widgets on a temporary vault (issue 3, Tests):
create the vault → add a client → write, autosave and sign a SOAP note → an addendum → a plan with
goal, objective and intervention → homework and a check-in → a safety milestone → Ctrl+K finds the
note → lock → unlock with the recovery key and set a new passphrase → the new passphrase opens the
vault and the note is there, signed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from notesdesk import paths
from notesdesk.core.backup.service import list_backups
from notesdesk.core.domain.care import CheckinStatus, MilestoneKind
from notesdesk.core.domain.notes import AddendumKind
from notesdesk.core.domain.plans import PlanStatus
from notesdesk.core.services import care, clients, notes, plans
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.app import Launcher
from notesdesk.ui.workspace.plan import edit as plan_edit
from tests.ui.workspace_helpers import type_into

FIRST = "maple orbit lantern quietly"
SECOND = "kettle harbour violet nineteen"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def replace_text(qtbot, widget, text):
    widget.selectAll()
    type_into(qtbot, widget, text)


def launch(qtbot, path, prefs, errors, runner, relaunched):
    launcher = Launcher(path, prefs, errors, runner, relaunched.append)
    start = launcher.start()  # deleted by the launcher once the vault is open
    return launcher, start


def activate(qtbot, window):
    """The offscreen platform does not give the focus back when a dialog closes; a desktop does."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def main_window(qtbot, launcher):
    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=10000)
    window = launcher.main_window
    qtbot.addWidget(window)
    activate(qtbot, window)
    qtbot.waitUntil(lambda: not window.search_keeper.building, timeout=10000)
    return window


def create_vault(qtbot, start) -> str:
    qtbot.mouseClick(start.choice.create_button, Qt.MouseButton.LeftButton)
    form = start.create_page.form
    qtbot.keyClicks(form.first.edit, FIRST)
    qtbot.keyClicks(form.second.edit, FIRST)
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: start.stack.currentWidget() is start.recovery_key, timeout=10000)
    page = start.recovery_key
    key = page.key_label.text()
    qtbot.keyClicks(page.confirm, key.rsplit("-", 1)[1])
    qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    about = start.about_you  # the first run asks who signs before anything is signed
    qtbot.keyClicks(about.form.name, "Dr Ada Byrne")
    qtbot.keyClicks(about.form.credentials, "PsyD")
    qtbot.mouseClick(about.continue_button, Qt.MouseButton.LeftButton)
    return key


def add_client(qtbot, window) -> str:
    dialog = window.client_dialog  # the first run goes on to the first client by itself
    assert dialog is not None and dialog.isVisible()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Robin Example")
    qtbot.keyClicks(dialog.pronouns, "they/them")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    activate(qtbot, window)
    return window.panel.current_client_id()


def write_and_sign_a_note(qtbot, ctx, workspace, client_id) -> str:
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    editor = tab.editor
    assert editor.format_combo.currentText() == "SOAP"
    type_into(qtbot, editor.section_edit("subjective"), "Two panic attacks on the tram this week")
    qtbot.waitUntil(lambda: len(notes.list_notes(ctx.uow(), client_id)) == 1, timeout=5000)  # autosaved
    type_into(qtbot, editor.section_edit("assessment"), "Avoidance easing")
    type_into(qtbot, editor.section_edit("plan"), "Interoceptive exposure next session")
    qtbot.keyClick(editor.section_edit("plan"), Qt.Key.Key_S, CTRL | SHIFT)  # sign (saves first)
    [note] = notes.list_notes(ctx.uow(), client_id)
    assert note.is_signed and note.section_text("plan") == "Interoceptive exposure next session"
    assert editor.read_only and editor.status_label.text().startswith("Signed ✓")

    panel = tab.addenda
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData(AddendumKind.CORRECTION.value))
    type_into(qtbot, panel.text, "The second attack was on Friday.")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    signed, addenda = notes.get_note(ctx.uow(), note.id)
    assert [a.text for a in addenda] == ["The second attack was on Friday."]
    assert notes.verify_note(ctx.uow(), signed, addenda)
    return note.id


def build_a_plan(qtbot, ctx, workspace, client_id):
    tab = workspace.plan_tab
    workspace.tabs.setCurrentWidget(tab)
    forms = tab.detail.forms
    qtbot.mouseClick(tab.add_buttons[plan_edit.PROBLEM], Qt.MouseButton.LeftButton)
    replace_text(qtbot, forms[plan_edit.PROBLEM].title, "Panic attacks")
    qtbot.mouseClick(tab.add_buttons[plan_edit.GOAL], Qt.MouseButton.LeftButton)
    replace_text(qtbot, forms[plan_edit.GOAL].statement, "Ride the tram to work")
    type_into(qtbot, forms[plan_edit.GOAL].client_words, "I want my mornings back")
    qtbot.mouseClick(tab.add_buttons[plan_edit.OBJECTIVE], Qt.MouseButton.LeftButton)
    objective = forms[plan_edit.OBJECTIVE]
    replace_text(qtbot, objective.description, "Three stops without leaving")
    type_into(qtbot, objective.criterion, "Stops ridden a week")
    objective.target_date.set_value(date(2030, 6, 30))
    qtbot.mouseClick(tab.add_buttons[plan_edit.INTERVENTION], Qt.MouseButton.LeftButton)
    replace_text(qtbot, forms[plan_edit.INTERVENTION].technique, "Graded exposure")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.activate_button, Qt.MouseButton.LeftButton)
    [plan] = plans.plan_versions(ctx.uow(), client_id)
    assert plan.status == PlanStatus.ACTIVE
    assert [i.technique for i in plan.interventions()] == ["Graded exposure"]
    return plan


def homework_and_milestone(qtbot, ctx, workspace, client_id, goal_id):
    tab = workspace.homework_tab
    workspace.tabs.setCurrentWidget(tab)
    type_into(qtbot, tab.description, "Two tram stops, daily")
    tab.goal_combo.setCurrentIndex(tab.goal_combo.findData(goal_id))
    qtbot.mouseClick(tab.assign_button, Qt.MouseButton.LeftButton)
    tab.view.selectRow(0)
    tab.status.setCurrentIndex(tab.status.findData(CheckinStatus.DONE.value))
    type_into(qtbot, tab.report, "Managed four days out of five")
    qtbot.mouseClick(tab.checkin_button, Qt.MouseButton.LeftButton)
    [homework] = care.list_homework(ctx.uow(), client_id)
    assert homework.goal_id == goal_id and len(homework.checkins) == 1
    assert "100% (1 done)" in tab.adherence_label.text()

    tab = workspace.milestones_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData(MilestoneKind.SAFETY.value))
    tab.dimension_combo.setCurrentText("emotional")
    type_into(qtbot, tab.title_edit, "Can name panic as it starts")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    [milestone] = care.list_milestones(ctx.uow(), client_id)
    assert (milestone.kind, milestone.dimension) == (MilestoneKind.SAFETY, "emotional")


def search_finds_the_note(qtbot, window, note_id):
    window.host.workspace.tabs.setCurrentIndex(0)
    qtbot.keyClick(window, Qt.Key.Key_K, CTRL)
    dialog = window.search_dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.query, "tram panic")
    qtbot.waitUntil(lambda: any(h.object_id == note_id for h in dialog.hits()), timeout=5000)
    while dialog.results.currentIndex().row() != [h.object_id for h in dialog.hits()].index(note_id):
        qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    activate(qtbot, window)
    workspace = window.host.workspace
    assert workspace.tabs.currentWidget() is workspace.notes_tab
    assert workspace.notes_tab.editor.note_id == note_id


def the_note_is_there_signed(window, client_id, note_id):
    assert window.panel.select_client(client_id)
    window.host.open_note(note_id)
    editor = window.host.workspace.notes_tab.editor
    assert editor.note_id == note_id and editor.read_only
    status = editor.status_label.text()
    assert status.startswith("Signed ✓") and "Dr Ada Byrne (PsyD)" in status and "1 addendum" in status
    assert editor.section_edit("plan").toPlainText() == "Interoceptive exposure next session"


def test_a_first_day_from_creating_the_vault_to_unlocking_with_the_recovery_key(
    qtbot, ui_vault_path, prefs, errors, runner
):
    prefs.autosave_seconds = 1
    relaunched: list = []
    launcher, start = launch(qtbot, ui_vault_path, prefs, errors, runner, relaunched)
    key = create_vault(qtbot, start)
    window = main_window(qtbot, launcher)
    ctx = window.ctx
    client_id = add_client(qtbot, window)
    workspace = window.host.workspace
    asked: list[str] = []
    workspace.confirm = lambda _parent, title, _question: asked.append(title) or True

    note_id = write_and_sign_a_note(qtbot, ctx, workspace, client_id)
    plan = build_a_plan(qtbot, ctx, workspace, client_id)
    homework_and_milestone(qtbot, ctx, workspace, client_id, plan.goals()[0].id)
    search_finds_the_note(qtbot, window, note_id)
    assert errors.last_message is None
    # The addendum is signed only when asked. The Medicare fields were left out on purpose, and are not
    # asked for: a new vault's country is unset (core/services/plan_rules.py).
    assert asked == ["Sign note", "Sign addendum"]

    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)  # lock: back up, close, relaunch
    assert relaunched == [ui_vault_path] and not window.isVisible()
    [at_lock] = list_backups(paths.backup_dir())

    launcher, start = launch(qtbot, ui_vault_path, prefs, errors, runner, relaunched)
    assert start.stack.currentWidget() is start.unlock
    qtbot.mouseClick(start.unlock.forgot_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(start.recovery.key, key.lower())
    qtbot.keyClick(start.recovery.key, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: start.stack.currentWidget() is start.new_passphrase, timeout=10000)
    form = start.new_passphrase.form
    qtbot.keyClicks(form.first.edit, SECOND)
    qtbot.keyClicks(form.second.edit, SECOND)
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    window = main_window(qtbot, launcher)
    the_note_is_there_signed(window, client_id, note_id)
    window.close()  # closing backs up too (and rotation keeps the newest of the day)
    assert [b.path for b in list_backups(paths.backup_dir())] != [at_lock.path]

    launcher, start = launch(qtbot, ui_vault_path, prefs, errors, runner, relaunched)
    qtbot.keyClicks(start.unlock.passphrase.edit, SECOND)
    qtbot.keyClick(start.unlock.passphrase.edit, Qt.Key.Key_Return)
    window = main_window(qtbot, launcher)
    the_note_is_there_signed(window, client_id, note_id)
    assert [c.name for c in clients.list_clients(window.ctx.uow())] == ["Robin Example"]
    window.close()
    assert errors.last_message is None
    Vault.open(ui_vault_path, passphrase=SECOND).close()
