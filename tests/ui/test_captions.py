"""A caption goes with its field (issue 15 item 5, seen in the 1366×768 screenshots): the note editor
showed "CPT" with nothing after it in a practice outside the US, where the code field is hidden."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit

from notesdesk.ui.workspace.flow import captioned

pytest_plugins = ["tests.ui.workspace_fixtures"]


def test_a_caption_hides_and_shows_with_its_field(qtbot) -> None:
    field = QLineEdit()
    pair = captioned("CPT", field)
    qtbot.addWidget(pair)
    pair.show()
    qtbot.waitExposed(pair)
    caption = pair.findChild(QLabel)
    assert caption is not None and caption.isVisible()
    field.hide()
    assert not caption.isVisible()
    field.show()
    assert caption.isVisible()


def test_no_cpt_caption_where_no_cpt_code_is_offered(ws_ctx, ws_client, answers, qtbot) -> None:
    from dataclasses import replace

    from notesdesk.ui.workspace import ClientWorkspace

    ws_ctx.vault.save_profile(replace(ws_ctx.vault.profile(), locale="UK"))
    workspace = ClientWorkspace(ws_ctx, ws_client, confirm=answers)
    qtbot.addWidget(workspace)
    workspace.resize(1200, 800)
    workspace.show()
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.new_note()
    combo = tab.editor.details.cpt_combo
    qtbot.waitUntil(lambda: tab.editor.isVisible())
    assert not combo.isVisibleTo(tab.editor)
    captions = [label for label in tab.editor.findChildren(QLabel) if label.text() == "CPT"]
    assert captions and not any(label.isVisibleTo(tab.editor) for label in captions)
