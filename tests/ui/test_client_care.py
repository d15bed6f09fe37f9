"""Discharge and reopening care, duplicate names, the list's name column and a New client cancelled."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QToolButton

from notesdesk.core.domain.clients import Client, ClientStatus
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.measures import Flag, FlagKind
from notesdesk.core.services import clients, notes
from notesdesk.core.services.overview import ClientFlags
from notesdesk.ui.lifecycle.os_lock import SystemLockWatcher
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.models.client_list_model import COL_FLAGS, COL_NAME


def add(ctx, name: str, **fields) -> Client:
    return clients.add_client(ctx.uow(), Client(name=name, **fields))


def panel_button(window, text: str) -> QToolButton | None:
    return next((b for b in window.panel.buttons if b.text().replace("&", "").rstrip("…") == text), None)


def shown_names(window) -> list[str]:
    proxy = window.panel.proxy
    return [proxy.index(r, COL_NAME).data() for r in range(proxy.rowCount())]


def draft(ctx, client_id: str) -> None:
    sections = notes.build_sections(NoteFormat.SOAP, {"subjective": "Slept better"})
    notes.create_note(ctx.uow(), SessionNote(client_id=client_id, session_date=today(),
                                             format=NoteFormat.SOAP, sections=sections))


# -- discharge ----------------------------------------------------------------------------------------


def test_discharge_asks_date_and_reason_and_warns_about_drafts(qtbot, ctx, make_window):
    zoe = add(ctx, "Zoë Ó Briain", intake_date=today() - timedelta(days=90))
    draft(ctx, zoe.id)
    draft(ctx, zoe.id)
    window = make_window()
    window.panel.select_client(zoe.id)
    window.actions_by_name["discharge"].trigger()
    dialog = window.discharge_dialog
    qtbot.waitExposed(dialog)
    assert "Zoë" not in dialog.windowTitle()
    assert dialog.chosen_date() == today() and dialog.write_note.isChecked()
    assert dialog.drafts.text() == "2 notes are not signed yet; sign them before or after discharge."
    # Neither the future nor before the episode began can be chosen.
    assert dialog.date.maximumDate().toPython() == today()
    assert dialog.date.minimumDate().toPython() == today() - timedelta(days=90)
    # Enter does not discharge: Cancel is the default button.
    assert dialog.cancel_button.isDefault() and not dialog.discharge_button.isDefault()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert clients.get_client(ctx.uow(), zoe.id).status == ClientStatus.ACTIVE

    window.actions_by_name["discharge"].trigger()
    dialog = window.discharge_dialog
    dialog.date.setDate(today() - timedelta(days=10))
    dialog.reason.setCurrentIndex(dialog.reason.findData("referred on"))
    qtbot.keyClicks(dialog.detail, "to the eating disorder service")
    dialog.write_note.setChecked(False)
    qtbot.mouseClick(dialog.discharge_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    stored = clients.get_client(ctx.uow(), zoe.id)
    assert stored.status == ClientStatus.DISCHARGED
    assert stored.discharge_date == today() - timedelta(days=10)  # the date chosen is kept
    episode = clients.episodes(ctx.uow(), zoe.id)[-1]
    assert episode.closed_on == today() - timedelta(days=10)
    assert episode.reason == "referred on: to the eating disorder service"


def test_the_discharge_date_is_typed_like_every_other_date(qtbot, ctx, make_window):
    """Issue 15: the discharge dialog's date takes a whole date typed (the shared date box), and
    Enter in it sets the date without closing the dialog; a date in the future is refused, said."""
    zoe = add(ctx, "Zoë Ó Briain", intake_date=today() - timedelta(days=90))
    window = make_window()
    window.panel.select_client(zoe.id)
    window.actions_by_name["discharge"].trigger()
    dialog = window.discharge_dialog
    qtbot.waitExposed(dialog)
    dialog.date.setFocus()
    earlier = today() - timedelta(days=12)
    qtbot.keyClicks(dialog.date, earlier.isoformat())
    qtbot.keyClick(dialog.date.free.box, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.chosen_date() == earlier
    later = today() + timedelta(days=3)
    qtbot.keyClicks(dialog.date, later.strftime("%Y%m%d"))
    qtbot.keyClick(dialog.date.free.box, Qt.Key.Key_Return)
    assert dialog.chosen_date() == earlier and dialog.isVisible()
    assert dialog.date.free.problem == f"A date up to {today().isoformat()}, please."
    qtbot.keyClick(dialog.date.free.box, Qt.Key.Key_Escape)
    dialog.reject()
    assert clients.get_client(ctx.uow(), zoe.id).status == ClientStatus.ACTIVE


def test_no_drafts_no_warning(qtbot, ctx, make_window):
    ana = add(ctx, "Ana Lima")
    window = make_window()
    window.panel.select_client(ana.id)
    window.discharge()
    assert window.discharge_dialog.drafts.text() == ""
    window.discharge_dialog.reject()


def test_discharge_opens_a_discharge_note(qtbot, ctx, relaunch):
    ana = add(ctx, "Ana Lima")
    # The real workspace, not the stand-in.
    window = MainWindow(ctx, relaunch=relaunch, system_lock=SystemLockWatcher(bus_signals=()))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    window.panel.select_client(ana.id)
    workspace = window.host.workspace
    assert workspace.tabs.currentWidget() is not workspace.notes_tab
    window.discharge()
    window.discharge_dialog.reason.setCurrentIndex(window.discharge_dialog.reason.findData("planned ending"))
    qtbot.mouseClick(window.discharge_dialog.discharge_button, Qt.MouseButton.LeftButton)

    assert clients.get_client(ctx.uow(), ana.id).status == ClientStatus.DISCHARGED
    assert workspace.tabs.currentWidget() is workspace.notes_tab
    editor = workspace.notes_tab.editor
    assert editor.current_note().format == NoteFormat.DISCHARGE
    assert editor.format_combo.currentText() == NoteFormat.DISCHARGE.label
    assert editor.maintenance.isVisibleTo(workspace)
    assert clients.episodes(ctx.uow(), ana.id)[-1].reason == "planned ending"
    window.shutdown()


def test_the_service_refuses_impossible_discharge_dates(ctx):
    ana = add(ctx, "Ana Lima", intake_date=date(2026, 1, 5))
    for day, words in ((today() + timedelta(days=1), "future"), (date(2026, 1, 4), "2026-01-05")):
        try:
            clients.discharge(ctx.uow(), ana.id, day)
        except Exception as exc:
            assert words in str(exc)
        else:
            raise AssertionError("accepted")
    assert clients.get_client(ctx.uow(), ana.id).status == ClientStatus.ACTIVE
    assert clients.discharge_reason("other", "  moved  abroad ") == "moved abroad"
    assert clients.discharge_reason("client ended") == "client ended"


# -- reopening care -------------------------------------------------------------------------------------


def test_reopen_care_is_confirmed_and_replaces_the_discharge_button(qtbot, ctx, make_window):
    ana = add(ctx, "Ana Lima", intake_date=today() - timedelta(days=30))
    window = make_window()
    window.panel.select_client(ana.id)
    assert panel_button(window, "Discharge") is not None and panel_button(window, "Reopen care") is None
    window.discharge()
    window.discharge_dialog.accept()
    assert panel_button(window, "Discharge") is None
    reopen = panel_button(window, "Reopen care")
    assert reopen is not None and reopen.isEnabled() and reopen.accessibleName() == "Reopen care"
    assert reopen.actions() == [window.actions_by_name["reactivate"]]  # one action: no menu arrow

    asked: list[str] = []
    window.confirm = lambda title, text: asked.append(text) or False
    qtbot.mouseClick(reopen, Qt.MouseButton.LeftButton)
    assert asked == ["Reopen care for Ana Lima? A new episode of care starts today."]
    assert clients.get_client(ctx.uow(), ana.id).status == ClientStatus.DISCHARGED

    window.confirm = lambda title, text: True
    qtbot.mouseClick(reopen, Qt.MouseButton.LeftButton)
    assert clients.get_client(ctx.uow(), ana.id).status == ClientStatus.ACTIVE
    assert [e.opened_on for e in clients.episodes(ctx.uow(), ana.id)][-1] == today()
    assert panel_button(window, "Discharge") is not None and panel_button(window, "Reopen care") is None


# -- the list: names first, and told apart -------------------------------------------------------------


def test_long_flags_do_not_shrink_the_name(qtbot, ctx, make_window):
    efua = add(ctx, "Efua Boateng-Mensah")
    window = make_window()
    window.resize(900, 600)
    window.splitter.setSizes([330, 570])
    risk = Flag(FlagKind.RISK_RECORDED, "Risk recorded as high.", "rule", "source")
    flags = ClientFlags(review_due_on=today(), homework_overdue=2, measure_flags=(risk,), unsigned_notes=3)
    window.panel.model.set_flags(efua.id, flags)
    view = window.panel.view
    needed = view.fontMetrics().horizontalAdvance("Efua Boateng-Mensah")
    qtbot.waitUntil(lambda: view.columnWidth(COL_NAME) >= needed)  # once the columns are fitted again
    index = window.panel.proxy.index(0, COL_FLAGS)
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Risk recorded")
    assert "homework" in tip and "unsigned" in tip


def test_clients_shown_alike_are_told_apart(qtbot, ctx, make_window):
    add(ctx, "Zoë Ó Briain", preferred_name="Zoë")
    add(ctx, "Zoe Murphy", preferred_name="Zoe")
    add(ctx, "Ana Lima", date_of_birth=date(1980, 1, 1))
    add(ctx, "Ana Lima", date_of_birth=date(1992, 1, 1))
    add(ctx, "Mark Okafor", preferred_name="Mark")
    window = make_window()
    assert sorted(shown_names(window)) == [
        "Ana Lima (b. 1980)", "Ana Lima (b. 1992)", "Mark", "Zoe M.", "Zoë B.",
    ]


def test_a_duplicate_name_is_warned_about_not_refused(qtbot, ctx, make_window):
    add(ctx, "Zoë Ó Briain", date_of_birth=date(1990, 2, 3))
    window = make_window()
    window.actions_by_name["new"].trigger()
    dialog = window.client_dialog
    qtbot.keyClicks(dialog.name, "zoe o briain")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "Another client has this name: Zoë Ó Briain (born 1990-02-03, active)" in dialog.same_name.text()
    assert save.text().replace("&", "") == "Save anyway"
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert len(clients.list_clients(ctx.uow())) == 2


def test_editing_a_client_without_renaming_says_nothing(qtbot, ctx, make_window):
    ana = add(ctx, "Ana Lima")
    window = make_window()
    window.panel.select_client(ana.id)
    window.edit_client()
    dialog = window.client_dialog
    qtbot.keyClicks(dialog.phone, "555 0100")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert clients.get_client(ctx.uow(), ana.id).phone == "555 0100"


# -- cancelling New client -------------------------------------------------------------------------------


def test_cancel_asks_before_dropping_what_was_typed(qtbot, ctx, make_window):
    window = make_window()
    window.actions_by_name["new"].trigger()
    dialog = window.client_dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed: just closes
    assert not dialog.isVisible()

    window.actions_by_name["new"].trigger()
    dialog = window.client_dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Ana Lima")
    asked: list[str] = []
    dialog.confirm_discard = lambda _parent, _title, text: asked.append(text) or False
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["Discard the new client's details?"]
    assert dialog.isVisible() and dialog.name.text() == "Ana Lima"
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert len(asked) == 2 and dialog.isVisible()

    dialog.confirm_discard = lambda _parent, _title, _text: True
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert clients.list_clients(ctx.uow()) == []


def test_privacy_mode_list_labels_stay_initials(qtbot, ctx, make_window, prefs):
    add(ctx, "Ana Lima", date_of_birth=date(1980, 1, 1))
    add(ctx, "Ana Lima", date_of_birth=date(1992, 1, 1))
    window = make_window()
    window.actions_by_name["privacy"].trigger()
    assert shown_names(window) == ["AL", "AL"]
    assert window.panel.proxy.index(0, COL_NAME).data(Qt.ItemDataRole.ToolTipRole) is None
