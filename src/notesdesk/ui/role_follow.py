"""A role change a sync brings for the open client (docs/design-notes.md §9, *Roles are per key*): its
workspace decided as it opened whether this vault only supervises the client (ui/workspace/supervised.py),
and the window's client actions follow that answer (ui/client_action_state.py). After each sync, when the
core's answer is no longer the one the workspace found, the workspace is opened again (its drafts saved
first, WorkspaceHost.reload) and the actions follow, so nothing the core now refuses is offered. A draft
the core refuses to save (its writer became the client's supervisor before it was saved) stays on screen
with the presenter's line, in the workspace as it was: nothing typed is dropped."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from notesdesk.core.services import supervision
from notesdesk.ui.client_action_state import supervised_only
from notesdesk.ui.context import AppContext
from notesdesk.ui.lifecycle.sync_status import SyncKeeper
from notesdesk.ui.workspace_host import WorkspaceHost


class RoleFollower(QObject):
    """Connected to the sync's end; `update_actions` is the window's (MainWindow._update_actions),
    `settled` whether its session is neither ending nor held (a sync can end under a lock's cover)."""

    def __init__(self, ctx: AppContext, keeper: SyncKeeper, host: WorkspaceHost,
                 update_actions: Callable[[], None], settled: Callable[[], bool], parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._host = host
        self._update_actions = update_actions
        self._settled = settled  # False while a lock, close or restore is under way or a lock is held
        keeper.sig_finished.connect(self.follow)

    def follow(self) -> None:
        client_id = self._host.client_id
        if client_id is None or self._host.workspace is None or not self._settled():
            return  # a sync that ends as the session ends: the next unlock opens the workspace afresh
        now = self._ctx.session.read(supervision.supervised_only, client_id)
        if now is None or now == supervised_only(self._host.workspace, client_id):
            return  # unchanged, or the read failed (the presenter said why)
        self._host.reload()
        self._update_actions()
