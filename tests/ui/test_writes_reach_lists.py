"""A write made in a workspace tab reaches the client list and the search index through the session's
one change signal, with nothing else told: one test per kind of record."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from notesdesk.core.domain.care import Homework, MilestoneStatus
from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import Goal, Objective, Problem, TreatmentPlan
from notesdesk.core.services import care, plans
from notesdesk.ui.client_panel import ClientPanel
from notesdesk.ui.context import AppContext
from notesdesk.ui.keepers.client_list import ClientListKeeper
from notesdesk.ui.keepers.search import SearchKeeper
from notesdesk.ui.models.client_list_model import COL_FLAGS
from notesdesk.ui.session import Changed, Kind
from notesdesk.ui.workspace.notes.templates_dialog import TemplatesDialog
from notesdesk.ui.workspace.plan import edit as plan_edit
from tests.ui.workspace_helpers import type_into

pytest_plugins = ["tests.ui.workspace_fixtures"]


def retype(qtbot, widget, text: str) -> None:
    widget.selectAll()  # a new plan item comes with a placeholder title
    type_into(qtbot, widget, text)


@dataclass
class Lists:
    panel: ClientPanel
    keeper: ClientListKeeper
    search: SearchKeeper
    ctx: AppContext
    client_id: str

    def flags(self) -> str:
        model = self.panel.model
        return str(model.index(model.row_of(self.client_id), COL_FLAGS).data() or "")

    def found(self, words: str) -> list[str]:
        index = self.ctx.index
        return [hit.object_id for hit in index.search(words)] if index is not None else []


@pytest.fixture
def lists(qtbot, ws_ctx: AppContext, ws_client: str) -> Iterator[Lists]:
    panel = ClientPanel([])
    qtbot.addWidget(panel)
    keeper = ClientListKeeper(ws_ctx, panel)
    search = SearchKeeper(ws_ctx)
    with qtbot.waitSignal(search.sig_ready, timeout=10000):
        search.start()
    with qtbot.waitSignal(panel.model.dataChanged, timeout=5000):  # the background flags arrived
        keeper.refresh()
    found = Lists(panel, keeper, search, ws_ctx, ws_client)
    assert found.flags() == ""  # nothing flagged yet
    yield found
    keeper.close()
    search.close()


def test_a_note_saved_in_the_notes_tab_reaches_the_client_list_and_search(workspace, lists, qtbot):
    tab = workspace.notes_tab
    tab.new_note()
    type_into(qtbot, tab.editor.section_edit("subjective"), "Panic on the tram twice")
    risk = tab.editor.links.risk
    risk.level.setCurrentIndex(risk.level.findData("high"))
    type_into(qtbot, risk.factors, "Passive ideation, no plan")
    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)
    note_id = tab.editor.note_id
    assert lists.found("tram") == [note_id]
    assert lists.found("ideation") == [note_id]  # the risk factors are searchable
    # A draft never raises a flag; signing it does (the test answers yes).
    qtbot.mouseClick(tab.editor.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lists.flags().startswith("risk"), timeout=5000)


def test_a_psychotherapy_note_is_announced_but_never_reaches_search(workspace, lists, qtbot):
    tab = workspace.private_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.new_note()
    type_into(qtbot, tab.text, "Countertransference after the tram story")
    with qtbot.waitSignal(lists.ctx.session.sig_changed, timeout=2000) as heard:
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert heard.args[0] == Changed(Kind.PRIVATE_NOTE, lists.client_id, tab.note_id)
    assert lists.found("countertransference") == []  # kept out of the index, whoever is told


def test_a_plan_activated_and_reviewed_in_the_plan_tab_reaches_search_and_the_client_list(
    workspace, lists, qtbot
):
    # A plan in force since 120 days ago is due for review (90 days): the list says so. A review
    # cannot be dated before its plan's start, so the review recorded in the tab is today's, and
    # what reaches the list is the flag going away.
    goal = Goal("Enjoy mornings again", objectives=(Objective("Up by eight on weekdays",
                                                              measurable_criterion="Weekdays up by eight",
                                                              target_date=today() + timedelta(days=60)),))
    plan = TreatmentPlan(client_id=lists.client_id, problems=(Problem("Low mood", goals=(goal,)),))
    started = today() - timedelta(days=120)
    plans.activate_plan(lists.ctx.uow(), plans.save_plan(lists.ctx.uow(), plan).id, started)
    with qtbot.waitSignal(lists.panel.model.dataChanged, timeout=5000):
        lists.keeper.refresh()
    assert "review" in lists.flags()
    tab = workspace.plan_tab
    tab.reload()
    workspace.tabs.setCurrentWidget(tab)
    type_into(qtbot, tab.reviews.summary, "Goals still relevant")
    qtbot.mouseClick(tab.reviews.record_button, Qt.MouseButton.LeftButton)
    assert lists.ctx.errors.last_message is None
    qtbot.waitUntil(lambda: "review" not in lists.flags(), timeout=5000)

    qtbot.mouseClick(tab.signing.revise_button, Qt.MouseButton.LeftButton)  # the active plan is signed
    qtbot.mouseClick(tab.add_buttons[plan_edit.PROBLEM], Qt.MouseButton.LeftButton)
    retype(qtbot, tab.detail.forms[plan_edit.PROBLEM].title, "Claustrophobia in lifts")
    qtbot.mouseClick(tab.add_buttons[plan_edit.GOAL], Qt.MouseButton.LeftButton)
    retype(qtbot, tab.detail.forms[plan_edit.GOAL].statement, "Take the lift to the office")
    qtbot.mouseClick(tab.activate_button, Qt.MouseButton.LeftButton)  # the test answers yes
    assert lists.ctx.errors.last_message is None
    assert lists.found("claustrophobia") == [tab.plan.id]


def test_homework_checked_in_in_the_homework_tab_reaches_the_client_list(workspace, lists, qtbot):
    # Agreed ten days ago, due three days ago, never checked in: flagged. (Homework cannot be due
    # before it is assigned, so the tab cannot make it overdue today; the check-in clears the flag.)
    late = Homework(client_id=lists.client_id, description="Write down three panic triggers",
                    assigned_on=today() - timedelta(days=10), due_date=today() - timedelta(days=3))
    late = care.add_homework(lists.ctx.uow(), late)
    with qtbot.waitSignal(lists.panel.model.dataChanged, timeout=5000):
        lists.keeper.refresh()
    assert "homework" in lists.flags()
    tab = workspace.homework_tab
    tab.reload(select=late.id)
    workspace.tabs.setCurrentWidget(tab)
    type_into(qtbot, tab.report, "Wrote four of them down")
    qtbot.mouseClick(tab.checkin_button, Qt.MouseButton.LeftButton)
    assert lists.ctx.errors.last_message is None
    qtbot.waitUntil(lambda: "homework" not in lists.flags(), timeout=5000)


def test_a_phase_and_a_milestone_set_in_the_milestones_tab_reach_the_overview(workspace, lists, qtbot):
    # Neither the client list nor search shows them; the overview tab does, from the same signal.
    tab = workspace.milestones_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.phase.phase_combo.setCurrentText("Consolidation")
    qtbot.mouseClick(tab.phase.set_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, tab.title_edit, "Rides the bus alone")
    tab.start_status.setCurrentIndex(tab.start_status.findData(MilestoneStatus.ACHIEVED.value))
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert lists.ctx.errors.last_message is None
    overview = workspace.overview_tab
    assert "Consolidation" in overview.text("phase")
    assert "Rides the bus alone" in overview.text("milestones")


def test_a_safety_plan_saved_in_its_tab_reaches_the_overview(workspace, lists, qtbot):
    tab = workspace.safety_tab
    workspace.tabs.setCurrentWidget(tab)
    assert "Version 1" not in workspace.overview_tab.text("safety")
    type_into(qtbot, tab.lists["warning_signs"], "Stops answering the phone")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert lists.ctx.errors.last_message is None
    assert "Version 1" in workspace.overview_tab.text("safety")
    assert tab.lists["warning_signs"].lines() == ("Stops answering the phone",)  # shown as stored


def test_a_template_saved_in_its_dialog_reaches_the_open_notes_tab(workspace, lists, qtbot):
    # Templates belong to the practice (client_id ""): every open workspace hears of them.
    dialog = TemplatesDialog(lists.ctx, lambda *_a: True, workspace)
    qtbot.addWidget(dialog)
    formats = workspace.notes_tab.editor.format_combo
    assert formats.findData("template:Physio") < 0
    type_into(qtbot, dialog.name_edit, "Physio")
    type_into(qtbot, dialog.sections_edit, "Range of motion\nHome exercises")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert formats.findData("template:Physio") >= 0  # while the dialog is still open
    dialog.list.setCurrentRow(0)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert formats.findData("template:Physio") < 0


def test_notes_and_plans_a_sync_brought_in_reach_search(lists, qtbot):
    # A sync writes the colleague's rows in the core, then announces each kind practice-wide (no
    # object id: ui/lifecycle/sync_status.py); search must find them without an unlock.
    from notesdesk.core.domain.notes import NoteFormat, SessionNote
    from notesdesk.core.services import notes

    sections = notes.build_sections(NoteFormat.SOAP, {"subjective": "Rode the funicular with the colleague"})
    note = notes.create_note(lists.ctx.uow(), SessionNote(
        client_id=lists.client_id, session_date=today(), format=NoteFormat.SOAP, sections=sections))
    plan = plans.save_plan(lists.ctx.uow(), TreatmentPlan(client_id=lists.client_id, problems=(
        Problem("Heights", goals=(Goal("Crosses the viaduct on foot"),)),)))
    assert lists.found("funicular") == [] and lists.found("viaduct") == []

    builds: list[bool] = []
    lists.search.sig_ready.connect(lambda: builds.append(True))
    for kind in (Kind.CLIENT, Kind.NOTE, Kind.PLAN, Kind.HOMEWORK, Kind.SAFETY_PLAN):
        lists.ctx.session.sig_changed.emit(Changed(kind, "", ""))

    qtbot.waitUntil(lambda: lists.found("funicular") == [note.id], timeout=15000)
    assert lists.found("viaduct") == [plan.id]
    qtbot.waitUntil(lambda: not lists.search.building, timeout=15000)
    assert builds == [True]  # one sync, one build (not one per kind it announced)


def test_a_rebuild_that_fails_leaves_search_with_what_was_saved_meanwhile(lists, qtbot, monkeypatch):
    import threading

    from notesdesk.core.domain.notes import NoteFormat, SessionNote
    from notesdesk.core.services import notes
    from notesdesk.ui.keepers import search as search_keeper

    gate = threading.Event()

    def failing(_uow):
        gate.wait(30)
        raise RuntimeError("the index could not be built")

    monkeypatch.setattr(search_keeper, "build_index", failing)
    lists.ctx.session.sig_changed.emit(Changed(Kind.NOTE, "", ""))  # a sync: the index is built again
    qtbot.waitUntil(lambda: lists.search.building, timeout=5000)
    sections = notes.build_sections(NoteFormat.SOAP, {"subjective": "Walked past the aquarium"})
    note = notes.create_note(lists.ctx.uow(), SessionNote(
        client_id=lists.client_id, session_date=today(), format=NoteFormat.SOAP, sections=sections))
    lists.ctx.session.sig_changed.emit(Changed(Kind.NOTE, lists.client_id, note.id))  # saved meanwhile
    gate.set()

    qtbot.waitUntil(lambda: not lists.search.building, timeout=15000)
    assert lists.ctx.errors.last_message is not None  # said once: search is not what it was
    assert lists.found("aquarium") == [note.id]  # the index in use still took the note
