"""The main window's group-practice actions: File ▸ Practice… and Client ▸ Share with colleague….
Shown only for a vault that is part of a practice (they follow the sync keeper's "Sync now", which
ui/lifecycle/sync_status.py shows only then); each opens its dialog, which does the work. File ▸ Join a
practice… is shown instead while the vault is in none; once it joins, the keeper is started, so the
others and the status bar appear without a restart."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu

from notesdesk.ui.client_panel import ClientPanel
from notesdesk.ui.context import AppContext
from notesdesk.ui.lifecycle.sync_status import SyncKeeper


class PracticeActions(QObject):
    """Practice… goes just before "Sync with the practice now"; Share… after the client's sync conflicts."""

    def __init__(self, ctx: AppContext, keeper: SyncKeeper, panel: ClientPanel, file_menu: QMenu,
                 client_menu: QMenu) -> None:
        super().__init__(panel)
        self._ctx, self._keeper, self._panel = ctx, keeper, panel
        self.practice = QAction("&Practice…", panel)
        self.share = QAction("S&hare with colleague…", panel)
        self.join = QAction("&Join a practice…", panel)
        self.join.triggered.connect(lambda _checked=False: self.open_join())
        self.practice.triggered.connect(lambda _checked=False: self.open_practice())
        self.share.triggered.connect(lambda _checked=False: self.open_share())
        self.dialog: QDialog | None = None
        keeper.action.visibleChanged.connect(self._follow)
        file_menu.insertAction(keeper.action, self.practice)
        file_menu.insertAction(self.practice, self.join)
        file_menu.aboutToShow.connect(self.enable_join)
        client_menu.addAction(self.share)
        client_menu.aboutToShow.connect(self.enable_share)
        self._follow()

    def _follow(self) -> None:
        for action in (self.practice, self.share):
            action.setVisible(self._keeper.action.isVisible())
        # The demo's made-up clients are never offered to a real practice's server.
        demo = self._ctx.has_vault and self._ctx.vault.is_demo
        self.join.setVisible(not self._keeper.action.isVisible() and not demo)

    def enable_share(self) -> None:
        """Only a member (added, not waiting) shares, and only a client chosen on the list."""
        self.share.setEnabled(self._keeper.member and self._panel.current_client() is not None)

    def open_practice(self) -> None:
        from notesdesk.ui.dialogs.practice_dialog import PracticeDialog  # inline: the start stays lean

        self.dialog = PracticeDialog(self._ctx, self._keeper, self._panel.window())
        self.dialog.open()

    def enable_join(self) -> None:
        """A read-only vault (opened elsewhere) could store nothing the joining gives it."""
        self.join.setEnabled(self._ctx.has_vault and not self._ctx.vault.read_only)

    def holds_unkept_key(self) -> bool:
        """The practice recovery key set-up showed (once, stored nowhere) is on screen and its last group
        not typed back yet: a lock or a quit must wait (ui/lifecycle/lock.py)."""
        from notesdesk.ui.dialogs.join_practice_dialog import JoinPracticeDialog  # inline: start lean

        dialog = self.dialog
        return (isinstance(dialog, JoinPracticeDialog) and shiboken6.isValid(dialog) and dialog.isVisible()
                and not dialog.key_kept())

    def open_join(self) -> None:
        if self._keeper.action.isVisible():
            return  # already in a practice
        from notesdesk.ui.dialogs.join_practice_dialog import (
            JoinPracticeDialog,  # inline: the start stays lean
        )

        self.dialog = JoinPracticeDialog(self._ctx, self._panel.window())
        self.dialog.sig_joined.connect(self._keeper.start)  # its state, Practice… and Share… appear
        self.dialog.open()

    def open_share(self) -> None:
        client = self._panel.current_client()
        if client is None or not self._keeper.member:
            return
        from notesdesk.ui.dialogs.share_dialog import ShareDialog  # inline: the start stays lean

        label = client.initials if self._ctx.prefs.privacy_mode else client.display_name
        self.dialog = ShareDialog(self._ctx, client.id, label, self._panel.window())
        self.dialog.open()
