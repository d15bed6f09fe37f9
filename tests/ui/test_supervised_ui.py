"""Issue 18 in the app, against the real PostgreSQL cluster of tests/sync: the workspace of a client
this vault only supervises says so in one line at the top and keeps its writing controls off; the
supervisor co-signs a colleague's signed note with Co-sign…, which shows under the note after. A
client of one's own keeps every control, and offers no Co-sign… under one's own signed note."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from notesdesk.core.errors import SUPERVISED_ONLY
from notesdesk.core.services import notes, practice, practice_access
from notesdesk.ui.workspace.workspace import ClientWorkspace
from tests.sync.conftest import admin_url, cluster, database  # noqa: F401  (the sync tests' server)
from tests.sync.helpers import add_client, clinician_of, found_practice, join_practice, signed_note


def _workspace(ctx, client_id: str, qtbot, asked: list[str]) -> ClientWorkspace:
    workspace = ClientWorkspace(ctx, client_id, confirm=lambda _p, _t, text: asked.append(text) or True)
    qtbot.addWidget(workspace)
    workspace.show()
    return workspace


def _control(workspace: QWidget, name: str) -> QWidget:
    (found,) = [w for w in workspace.findChildren(QWidget) if w.accessibleName() == name]
    return found


def test_a_supervised_clients_workspace_is_read_only_but_co_signs(ctx, alice, admin_url, qtbot):  # noqa: F811
    founded = found_practice(alice, admin_url)
    join_practice(alice, ctx.vault, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Supervised Client")
    note = signed_note(alice, client.id, "supervisee's session")
    practice_access.assign(alice.unit_of_work(), client.id, clinician_of(ctx.vault), supervisor=True)
    practice.sync(alice.unit_of_work())
    practice.sync(ctx.vault.unit_of_work())

    asked: list[str] = []
    workspace = _workspace(ctx, client.id, qtbot, asked)
    assert workspace.supervised_notice is not None and workspace.supervised_notice.isVisible()
    assert workspace.supervised_notice.text() == SUPERVISED_ONLY
    for name in ("New note", "Copy forward", "Save plan draft", "Assign homework", "Add milestone",
                 "New psychotherapy note", "Give the questionnaire in session", "Add diagnosis"):
        assert not _control(workspace, name).isEnabled(), name
    workspace.new_note()  # Ctrl+N, or a measure's "write a session note": nothing starts
    assert workspace.notes_tab.editor.note_id is None

    workspace.open_note(note.id)
    tab = workspace.notes_tab
    assert tab.cosign.isVisible() and not tab.addenda.add_button.isEnabled()
    tab.addenda.kind_combo.setCurrentIndex(1)
    tab.addenda.text.setPlainText("typed")  # a tab's own update does not turn it back on
    assert not tab.addenda.add_button.isEnabled()
    tab.cosign.click()
    assert "reviewed this note as its supervisor" in asked[-1] and "signed by Dr Alice" in asked[-1]
    assert ctx.errors.last_message is None
    (cosigned,) = notes.get_note(ctx.vault.unit_of_work(), note.id)[1]
    assert cosigned.kind.value == "co-signature"
    assert "Co-signature" in tab.addenda.view.toPlainText()
    assert "signed by Dr" in tab.addenda.view.toPlainText()


def test_an_own_clients_workspace_keeps_its_controls_and_offers_no_co_sign(ctx, qtbot):
    client = add_client(ctx.vault, "Synthetic Own Client")
    note = signed_note(ctx.vault, client.id, "my session")
    workspace = _workspace(ctx, client.id, qtbot, [])
    assert workspace.supervised_notice is None
    assert _control(workspace, "New note").isEnabled()
    workspace.open_note(note.id)
    assert workspace.notes_tab.addenda.isVisible() and not workspace.notes_tab.cosign.isVisible()
