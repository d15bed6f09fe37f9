"""An addendum or plan-review summary being typed survives a lock (which ends the process and
relaunches): save_all_drafts keeps it sealed, the reopened workspace puts it back, nothing is signed
or recorded until the user says so; adding, recording or discarding it removes the kept text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.notes import AddendumKind, NoteFormat, SessionNote
from notesdesk.core.domain.pending import PendingKind
from notesdesk.core.domain.plans import ReviewOutcome
from notesdesk.core.services import clients, notes, pending, plans
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.workspace import ClientWorkspace
from tests.conftest import PASSPHRASE
from tests.core import records
from tests.ui.workspace_helpers import type_into

pytest_plugins = ["tests.ui.workspace_fixtures"]

TYPED = "Correction: the second attack was on Friday,\nnot Thursday."
SUMMARY = "Reviewed with the client; the bus goal still fits"


class Practice:
    """A vault on disk that can be locked (closed) and unlocked again, with one client."""

    def __init__(self, qtbot, tmp_path: Path, answers) -> None:
        # Imported here, once pytest has loaded the fixtures module as a plugin.
        from tests.ui.workspace_fixtures import SIGNER, make_context

        self.make_context = make_context
        self.qtbot, self.tmp_path = qtbot, tmp_path
        self.path = tmp_path / "v.notesdesk"
        self.vault, _ = Vault.create(self.path, PASSPHRASE)
        self.vault.save_profile(SIGNER)
        robin = Client("Robin", intake_date=date(2024, 1, 8))
        self.client_id = clients.add_client(self.vault.unit_of_work(), robin).id
        self.answers = answers
        self.workspace: ClientWorkspace | None = None

    def uow(self):
        return self.vault.unit_of_work()

    def signed_note(self, text: str = "Signed text", day: date = date(2026, 10, 6)) -> str:
        note = SessionNote(client_id=self.client_id, session_date=day, format=NoteFormat.SOAP,
                           sections=notes.build_sections(NoteFormat.SOAP, {"subjective": text}))
        note = notes.create_note(self.uow(), note)
        return notes.sign_note(self.uow(), note.id).id

    def open_workspace(self) -> ClientWorkspace:
        self.ctx = self.make_context(self.vault, self.tmp_path / "p.ini")
        ws = ClientWorkspace(self.ctx, self.client_id, confirm=self.answers)
        self.qtbot.addWidget(ws)
        ws.resize(1200, 800)
        ws.show()
        self.qtbot.waitExposed(ws)
        self.workspace = ws
        return ws

    def lock_and_unlock(self) -> ClientWorkspace:
        """What the idle lock does: save every draft, end the process (here: drop the workspace and
        close the vault), then unlock again into a fresh workspace."""
        assert self.workspace is not None
        assert self.workspace.save_all_drafts() is True
        self.workspace.hide()
        self.workspace.deleteLater()
        self.workspace = None
        self.vault.close()
        self.vault = Vault.open(self.path, passphrase=PASSPHRASE)  # audit cross-check included
        return self.open_workspace()


@pytest.fixture
def practice(qapp, qtbot, tmp_path: Path, answers) -> Iterator[Practice]:
    p = Practice(qtbot, tmp_path, answers)
    yield p
    if p.workspace is not None:
        p.workspace.hide()
    p.vault.close()


def test_an_addendum_being_typed_is_back_after_the_lock_and_nothing_was_signed(practice, qtbot):
    note_id = practice.signed_note()
    ws = practice.open_workspace()
    ws.open_note(note_id)
    panel = ws.notes_tab.addenda
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData(AddendumKind.CORRECTION.value))
    type_into(qtbot, panel.text, TYPED)
    assert pending.list_pending(practice.uow(), practice.client_id) == []  # autosave timer still running

    ws = practice.lock_and_unlock()  # save_all_drafts keeps it
    tab = ws.notes_tab
    ws.tabs.setCurrentWidget(tab)
    assert tab.unsent_hint.isVisible() and "2026-10-06" in tab.unsent_hint.text()
    ws.open_note(note_id)
    panel = tab.addenda
    assert panel.text.toPlainText() == TYPED
    assert panel.kind_combo.currentData() == AddendumKind.CORRECTION.value
    assert panel.unsent_label.isVisible()
    assert panel.unsent_label.text().startswith("Unsent addendum restored")
    assert notes.get_note(practice.uow(), note_id)[1] == []  # nothing was signed
    assert "No addenda" in panel.view.toPlainText()

    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)  # the user's own act signs it
    stored, addenda = notes.get_note(practice.uow(), note_id)
    assert [(a.kind, a.text) for a in addenda] == [(AddendumKind.CORRECTION, TYPED)]
    assert notes.verify_note(practice.uow(), stored, addenda)
    assert pending.list_pending(practice.uow(), practice.client_id) == []
    assert panel.text.toPlainText() == "" and not panel.unsent_label.isVisible()
    assert not tab.unsent_hint.isVisible()

    ws = practice.lock_and_unlock()  # added text does not come back
    ws.open_note(note_id)
    assert ws.notes_tab.addenda.text.toPlainText() == ""
    assert ws.notes_tab.addenda.unsent_label.isHidden()


def test_the_addendum_box_autosaves_and_keeps_each_notes_text_apart(practice, qtbot):
    first, second = practice.signed_note(), practice.signed_note(day=date(2026, 10, 13))
    ws = practice.open_workspace()
    ws.open_note(first)
    type_into(qtbot, ws.notes_tab.addenda.text, "For the first note")

    def kept() -> bool:
        found = pending.get_pending(practice.uow(), practice.client_id, PendingKind.ADDENDUM, first)
        return found is not None

    qtbot.waitUntil(kept, timeout=5000)  # the note editor's autosave cadence
    ws.open_note(second)
    assert ws.notes_tab.addenda.text.toPlainText() == ""
    type_into(qtbot, ws.notes_tab.addenda.text, "For the second note")
    ws.open_note(first)  # switching keeps the second note's text too
    assert ws.notes_tab.addenda.text.toPlainText() == "For the first note"
    ws.open_note(second)
    assert ws.notes_tab.addenda.text.toPlainText() == "For the second note"
    assert all(notes.get_note(practice.uow(), n)[1] == [] for n in (first, second))
    assert practice.ctx.errors.last_message is None


def test_discarding_the_addendum_text_asks_first_and_then_forgets_it(practice, qtbot):
    note_id = practice.signed_note()
    ws = practice.open_workspace()
    ws.open_note(note_id)
    panel = ws.notes_tab.addenda
    type_into(qtbot, panel.text, TYPED)
    assert ws.save_all_drafts() is True

    practice.answers.answer = False
    qtbot.mouseClick(panel.discard_button, Qt.MouseButton.LeftButton)
    assert practice.answers.asked[-1][0] == "Discard addendum text"
    assert panel.text.toPlainText() == TYPED
    assert pending.list_pending(practice.uow(), practice.client_id) != []

    practice.answers.answer = True
    qtbot.mouseClick(panel.discard_button, Qt.MouseButton.LeftButton)
    assert panel.text.toPlainText() == "" and not panel.discard_button.isEnabled()
    assert pending.list_pending(practice.uow(), practice.client_id) == []
    ws = practice.lock_and_unlock()
    ws.open_note(note_id)
    assert ws.notes_tab.addenda.text.toPlainText() == ""
    assert notes.get_note(practice.uow(), note_id)[1] == []


def test_a_review_summary_being_typed_is_back_after_the_lock_and_nothing_was_recorded(practice, qtbot):
    plan = plans.save_plan(practice.uow(), records.plan(practice.client_id, "p "))
    plans.activate_plan(practice.uow(), plan.id)
    ws = practice.open_workspace()
    panel = ws.plan_tab.reviews
    panel.outcome.setCurrentIndex(panel.outcome.findData(ReviewOutcome.REVISE.value))
    type_into(qtbot, panel.summary, SUMMARY)

    ws = practice.lock_and_unlock()
    panel = ws.plan_tab.reviews
    assert panel.summary.toPlainText() == SUMMARY
    assert panel.outcome.currentData() == ReviewOutcome.REVISE.value
    assert panel.unsent_label.text().startswith("Unrecorded review summary restored")
    [active] = plans.plan_versions(practice.uow(), practice.client_id)
    assert active.reviews == ()  # nothing was recorded

    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    [active] = plans.plan_versions(practice.uow(), practice.client_id)
    assert [(r.outcome, r.summary) for r in active.reviews] == [(ReviewOutcome.REVISE, SUMMARY)]
    assert pending.list_pending(practice.uow(), practice.client_id) == []
    assert panel.summary.toPlainText() == "" and panel.unsent_label.isHidden()
