"""A draft a supervisor wrote of a client before supervising became read-only (it stays in their vault,
counted by `practice status`): opened now, its text cannot be typed into, so nothing typed waits for a
save that is always refused (which would hold every lock and quit)."""
from __future__ import annotations

from datetime import date

from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.services import notes, practice, practice_access
from notesdesk.ui.workspace.workspace import ClientWorkspace
from tests.sync.conftest import admin_url, cluster, database  # noqa: F401
from tests.sync.helpers import (
    add_client,
    before_supervision_was_read_only,
    clinician_of,
    found_practice,
    join_practice,
)


def test_an_old_draft_of_a_supervised_client_is_read_only_and_locking_still_works(
        ctx, alice, admin_url, qtbot, monkeypatch):  # noqa: F811
    founded = found_practice(alice, admin_url)
    join_practice(alice, ctx.vault, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Supervised Client")
    practice_access.assign(alice.unit_of_work(), client.id, clinician_of(ctx.vault), supervisor=True)
    practice.sync(alice.unit_of_work())
    practice.sync(ctx.vault.unit_of_work())
    with before_supervision_was_read_only(monkeypatch):
        draft = notes.create_note(ctx.vault.unit_of_work(), SessionNote(
            client.id, date(2026, 10, 5), NoteFormat.FREE,
            notes.build_sections(NoteFormat.FREE, {"text": "supervisor's old draft"})))
    workspace = ClientWorkspace(ctx, client.id, confirm=lambda *_a: True)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.open_note(draft.id)
    edits = workspace.notes_tab.editor.section_edits
    editable = [k for k, e in edits.items() if not e.isReadOnly() and e.isEnabled()]
    for e in edits.values():
        e.setFocus()
        qtbot.keyClicks(e, " more")
    saved = workspace.save_all_drafts()
    assert not editable, "a draft body of a supervised-only client can be typed into"
    assert saved, "typed text that can never be saved: lock and quit are refused"
    assert all(" more" not in e.toPlainText() for e in edits.values())  # nothing typed went in
