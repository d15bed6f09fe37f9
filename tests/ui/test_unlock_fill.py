"""The main window's first moments on a practice (issue 11, the UI stall): the client list fills
completely and in order although it is added a chunk per turn of the event loop; a large practice's
search index is built in a child process, a search typed before it is ready says so and then answers,
and the child never outlives the window (closed or locked); privacy mode still hides the names."""

from __future__ import annotations

from datetime import date

import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.services import clients, notes, search_process
from notesdesk.ui.keepers import client_list as client_list_keeper
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.models.client_list_model import COL_NAME
from tests.ui.conftest import FakeWorkspace

CHILD_WAIT_MS = 60_000


def shown_names(window: MainWindow) -> list[str]:
    proxy = window.panel.proxy
    return [proxy.index(r, COL_NAME).data() for r in range(proxy.rowCount())]


def _window(qtbot, ctx, relaunch) -> MainWindow:
    from notesdesk.ui.lifecycle.os_lock import SystemLockWatcher

    window = MainWindow(ctx, relaunch=relaunch, workspace_factory=FakeWorkspace,
                        system_lock=SystemLockWatcher(bus_signals=()))
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def in_a_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every vault counts as large: the index is built in a child process."""
    monkeypatch.setattr(search_process, "CHILD_FROM_BYTES", 0)


def test_the_list_fills_completely_and_in_order_a_chunk_at_a_time(qtbot, ctx, relaunch, monkeypatch) -> None:
    monkeypatch.setattr(client_list_keeper, "FILL_CHUNK", 3)
    names = [f"Client {chr(ord('A') + i)}{i:02d} Surname" for i in range(11)]
    for name in reversed(names):  # stored in the opposite order to the one shown
        clients.add_client(ctx.uow(), Client(name=name))
    added: list[int] = []
    window = _window(qtbot, ctx, relaunch)
    window.panel.model.rowsInserted.connect(lambda _parent, first, last: added.append(last - first + 1))
    qtbot.waitUntil(lambda: len(shown_names(window)) == len(names))
    assert added == [3, 3, 3, 2]  # four turns of the event loop, not one
    assert shown_names(window) == names  # sorted by name, every client once
    assert len(set(window.panel.model.clients())) == len(names)
    qtbot.waitUntil(lambda: not window.search_keeper.building)  # the fill goes on to the index
    window.shutdown()


def test_a_client_added_during_the_fill_is_listed_once(qtbot, ctx, relaunch, monkeypatch) -> None:
    monkeypatch.setattr(client_list_keeper, "FILL_CHUNK", 1)
    for name in ("Ana Lima", "Ben Ode", "Cleo Park"):
        clients.add_client(ctx.uow(), Client(name=name))
    window = _window(qtbot, ctx, relaunch)
    qtbot.waitUntil(lambda: window.panel.model.rowCount() >= 1)
    clients.add_client(ctx.uow(), Client(name="Dee Quinn"))
    window.refresh_clients()  # what a change announced meanwhile does
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    assert shown_names(window) == ["Ana Lima", "Ben Ode", "Cleo Park", "Dee Quinn"]
    window.shutdown()


def test_a_search_typed_before_the_childs_index_is_ready_says_so_then_answers(
    qtbot, ctx, relaunch, in_a_child
) -> None:
    ana = clients.add_client(ctx.uow(), Client(name="Ana Lima"))
    sections = notes.build_sections(NoteFormat.FREE, {"text": "Talked about the allotment."})
    note = notes.create_note(ctx.uow(), SessionNote(ana.id, date(2024, 5, 20), NoteFormat.FREE, sections))
    window = _window(qtbot, ctx, relaunch)
    window.open_search()  # Ctrl+K
    dialog = window.search_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.query, "allotm")
    assert ctx.index is None and "still being built" in dialog.status.text()
    qtbot.waitUntil(lambda: window.search_keeper.child is not None)  # started as the window is built
    qtbot.waitUntil(lambda: [h.object_id for h in dialog.hits()] == [note.id], timeout=CHILD_WAIT_MS)
    assert window.search_keeper.child is None  # handed over, and the child has ended
    window.shutdown()


def test_the_childs_build_starts_with_the_window_and_is_taken_once_the_list_is_in(
    qtbot, ctx, relaunch, in_a_child
) -> None:
    """The child builds beside the window's first paint and the list (it takes the other core), so
    search is ready sooner; the runner waits for it only after the list's flags."""
    ana = clients.add_client(ctx.uow(), Client(name="Ana Lima"))
    window = _window(qtbot, ctx, relaunch)
    child = window.search_keeper.child
    assert child is not None and child.alive()  # before the event loop has run the list's fill
    assert window.panel.model.rowCount() == 0
    qtbot.waitUntil(lambda: ctx.index is not None, timeout=CHILD_WAIT_MS)
    assert [h.client_id for h in ctx.index.search("lima")] == [ana.id]
    assert window.search_keeper.child is None and not child.alive()
    window.shutdown()


def test_the_child_ends_when_the_window_closes_before_it_is_done(qtbot, ctx, relaunch, in_a_child) -> None:
    clients.add_client(ctx.uow(), Client(name="Ana Lima"))
    window = _window(qtbot, ctx, relaunch)
    qtbot.waitUntil(lambda: window.search_keeper.child is not None)  # started as the window is built
    child = window.search_keeper.child
    assert child is not None and child.alive()
    window.shutdown()
    assert not child.alive()
    assert ctx.index is None


def test_the_child_ends_when_the_vault_locks(qtbot, ctx, relaunch, in_a_child) -> None:
    clients.add_client(ctx.uow(), Client(name="Ana Lima"))
    window = _window(qtbot, ctx, relaunch)
    qtbot.waitUntil(lambda: window.search_keeper.child is not None)  # started as the window is built
    child = window.search_keeper.child
    assert child is not None
    assert window.lock()
    qtbot.waitUntil(lambda: not child.alive(), timeout=CHILD_WAIT_MS)
    assert ctx.index is None


def test_privacy_mode_hides_the_names_of_a_list_filled_in_chunks(qtbot, ctx, relaunch, monkeypatch) -> None:
    monkeypatch.setattr(client_list_keeper, "FILL_CHUNK", 1)
    ctx.prefs.privacy_mode = True
    for name in ("Ana Lima", "Ben Ode"):
        clients.add_client(ctx.uow(), Client(name=name))
    window = _window(qtbot, ctx, relaunch)
    qtbot.waitUntil(lambda: len(shown_names(window)) == 2)
    assert shown_names(window) == ["AL", "BO"]
    window.shutdown()


def test_if_the_child_fails_the_index_is_built_in_process_all_the_same(
    qtbot, ctx, relaunch, in_a_child, monkeypatch
) -> None:
    from notesdesk.core.errors import NotesdeskError

    def fails(_build: search_process.IndexBuild) -> None:
        raise NotesdeskError(search_process.BUILD_FAILED.format(reason="it was stopped"))

    monkeypatch.setattr(search_process.IndexBuild, "result", fails)
    ana = clients.add_client(ctx.uow(), Client(name="Ana Lima"))
    window = _window(qtbot, ctx, relaunch)
    qtbot.waitUntil(lambda: window.search_keeper.child is not None)  # started as the window is built
    child = window.search_keeper.child
    assert child is not None
    qtbot.waitUntil(lambda: ctx.index is not None, timeout=CHILD_WAIT_MS)
    assert [h.client_id for h in ctx.index.search("lima")] == [ana.id]
    assert not child.alive()  # the failed child was ended, not left behind
    assert ctx.errors.last_message is None  # nothing to tell: search works
    window.shutdown()
