"""A new safety plan starts with the crisis lines of the practitioner's locale; they stay editable and
are only stored when the plan is."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QTableWidgetItem

from notesdesk.core.domain.care import Contact
from notesdesk.core.services import care

pytest_plugins = ["tests.ui.workspace_fixtures"]


def test_a_new_plan_starts_with_the_locales_crisis_lines(workspace, ws_ctx, ws_vault, ws_client, qtbot):
    ws_vault.save_profile(replace(ws_vault.profile(), locale="UK"))
    tab = workspace.safety_tab
    tab.reload()
    lines = tab.contacts["crisis_lines"]
    assert lines.contacts() == (Contact("Samaritans", "116 123", "free, any time"),)
    assert tab.lines_note.isVisibleTo(tab)
    assert "for UK from your practitioner profile" in tab.lines_note.text()
    assert not tab.dirty and care.safety_plan_versions(ws_ctx.uow(), ws_client) == []  # nothing stored yet

    lines.table.setItem(0, 2, QTableWidgetItem("free; or email jo@samaritans.org"))  # editable
    assert tab.dirty
    assert tab.save()
    [first] = care.safety_plan_versions(ws_ctx.uow(), ws_client)
    assert first.crisis_lines == (Contact("Samaritans", "116 123", "free; or email jo@samaritans.org"),)
    assert not tab.lines_note.isVisibleTo(tab)

    lines.table.selectRow(0)
    lines.remove_button.click()  # the clinician removes it: later versions keep what was kept
    assert tab.save()
    tab.reload()
    assert lines.contacts() == ()
    assert care.safety_plan_versions(ws_ctx.uow(), ws_client)[-1].crisis_lines == ()


def test_a_locale_without_known_lines_says_so(workspace, ws_vault):
    ws_vault.save_profile(replace(ws_vault.profile(), locale="NZ"))
    tab = workspace.safety_tab
    tab.reload()
    assert tab.contacts["crisis_lines"].contacts() == ()
    assert "No crisis lines are known for NZ" in tab.lines_note.text()
