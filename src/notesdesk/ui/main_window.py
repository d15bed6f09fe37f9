"""The main window: the client list on the left, one client's workspace on the right.

Thin on purpose: it lays out the parts, owns the actions and routes between them. Use cases live
in core.services; the list, search, lock and workspace are their own modules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.errors import NotesdeskError
from notesdesk.core.search.index import SearchHit
from notesdesk.core.services.recovery import Recovered, saved_since
from notesdesk.core.storage.location import location_warning
from notesdesk.ui.client_action_state import follow_client
from notesdesk.ui.client_actions import ClientActionsMixin
from notesdesk.ui.client_panel import ClientPanel
from notesdesk.ui.context import AppContext
from notesdesk.ui.dialogs.backups_dialog import BackupsDialog
from notesdesk.ui.dialogs.client_dialog import ClientDialog
from notesdesk.ui.dialogs.discharge_dialog import DischargeDialog
from notesdesk.ui.dialogs.guide_dialog import add_help_menu
from notesdesk.ui.dialogs.search_dialog import SearchDialog
from notesdesk.ui.dialogs.settings_dialog import SettingsDialog
from notesdesk.ui.geometry import keep_on_screen, restore_window, save_window
from notesdesk.ui.keepers.client_list import ClientListKeeper, FirstFill
from notesdesk.ui.keepers.search import SearchKeeper
from notesdesk.ui.lifecycle import crash_notice
from notesdesk.ui.lifecycle.backups import BackupKeeper
from notesdesk.ui.lifecycle.crash_watch import LastRun
from notesdesk.ui.lifecycle.lock import (
    HeldLock,
    IdleWatcher,
    SessionEndMixin,
    relaunch_detached,
    save_all_drafts,
)
from notesdesk.ui.lifecycle.os_lock import SystemLockWatcher
from notesdesk.ui.lifecycle.sync_status import SyncKeeper
from notesdesk.ui.practice_menu import PracticeActions
from notesdesk.ui.printing.documents import ReportsMenu
from notesdesk.ui.role_follow import RoleFollower
from notesdesk.ui.shortcut_list import (
    WORKSPACE_SHORTCUT_LABELS,
    Sections,
    native,
    shortcuts_html,
    workspace_shortcuts,
)
from notesdesk.ui.widgets.banner import Banner
from notesdesk.ui.widgets.cover import SessionCover, hide_child_windows
from notesdesk.ui.widgets.demo import mark_if_demo
from notesdesk.ui.workspace_host import WorkspaceFactory, WorkspaceHost

if TYPE_CHECKING:
    from notesdesk.core.storage.vault import Vault

TITLE = "NotesDesk"
READ_ONLY = "This vault is open read-only: you can read but not change anything."
DRAFT_NOT_IN_REPORT = (
    "A draft could not be saved, so the document was not made: it would leave out what you typed. "
    "Fix the problem shown before, then try again."
)


def ask(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


class MainWindow(ClientActionsMixin, SessionEndMixin, QMainWindow):
    def __init__(
        self,
        ctx: AppContext,
        relaunch: Callable[[Path], object] = relaunch_detached,
        workspace_factory: WorkspaceFactory | None = None,
        system_lock: SystemLockWatcher | None = None,
        parent: QWidget | None = None,
        first_fill: FirstFill | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._first_fill = first_fill  # the list read with the unlock (ui/app.py), if it was
        self._relaunch = relaunch
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask(self, title, text)
        self.inform: Callable[[str, str], object] = lambda title, text: QMessageBox.information(
            None, title, text
        )
        self._shut = False
        self._ending = False  # a lock, close or restore is under way: no second one
        self._held: HeldLock | None = None  # a held lock (ui/lifecycle/lock.py)
        self.setWindowTitle(TITLE)
        self.windowTitleChanged.connect(self._keep_title)

        self.actions_by_name = self._make_actions()
        a = self.actions_by_name
        self.panel = ClientPanel([a["new"], a["edit"], a["hold"], a["discharge"]], self)
        self.host = WorkspaceHost(ctx, workspace_factory, self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.panel)
        splitter.addWidget(self.host)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        width = self.fontMetrics().averageCharWidth()
        splitter.setSizes([width * 46, width * 120])
        self.splitter = splitter
        self.banner = Banner(self)
        # Two pages: the clients and their records, and the cover shown while a session ends.
        self.pages = QStackedWidget(self)
        self.content = QWidget(self.pages)
        column = QVBoxLayout(self.content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addWidget(splitter, 1)
        self._column = column
        self.cover = SessionCover(self.pages)
        self.pages.addWidget(self.content)
        self.pages.addWidget(self.cover)
        self.cover.sig_unlock.connect(self._on_held_unlock)
        self.setCentralWidget(self.pages)
        self.backup_status = QLabel(self)
        self.backup_status.setAccessibleName("Last backup")
        self.backup_status.setContentsMargins(self.fontMetrics().averageCharWidth(), 0, 0, 0)
        self.statusBar().addWidget(self.backup_status)
        self.index_status = QLabel(self)
        self.statusBar().addPermanentWidget(self.index_status)
        self.practice_sync = SyncKeeper(ctx, self)  # shown only for a practice member
        self.statusBar().addPermanentWidget(self.practice_sync.label)
        self._make_menus()
        self.backups = BackupKeeper(ctx, parent=self)
        self.backups.sig_status.connect(self.backup_status.setText)

        self.search_keeper = SearchKeeper(ctx, self)
        self.search_keeper.sig_ready.connect(self._on_index_ready)
        self.idle = IdleWatcher(ctx.prefs.idle_minutes, self._on_idle, self)
        # Sleep and screen lock: the same lock as Ctrl+L, while the preference is on.
        self.system_lock = system_lock if system_lock is not None else SystemLockWatcher()
        self.system_lock.setParent(self)
        self.system_lock.sig_lock_requested.connect(self._on_system_lock)
        self.client_list = ClientListKeeper(ctx, self.panel, self._update_actions, self)
        self.role_follower = RoleFollower(ctx, self.practice_sync, self.host, self._update_actions,
                                          lambda: not self._ending and self._held is None, self)

        self.panel.sig_current_changed.connect(self._on_current_changed)
        self.panel.set_privacy(ctx.prefs.privacy_mode)
        self.client_dialog: ClientDialog | None = None
        self.discharge_dialog: DischargeDialog | None = None
        self.search_dialog: SearchDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.backups_dialog: BackupsDialog | None = None
        self._restore_geometry()
        self.index_status.setText("Building the search index…")
        self._filled = False
        self._recovered: LastRun | None = None
        self.attached = False
        if ctx.has_vault:
            self.attach()
        else:
            self.idle.stop()  # counts from the attach: a window without a vault has nothing to lock

    def attach(self, vault: Vault | None = None, first_fill: FirstFill | None = None) -> None:
        """What needs the vault: a window built while the key was derived (ctx without a vault, ui/app.py)
        gets it here, once it has passed the unlock's checks; until then it is hidden, holds no client
        data and runs nothing (no idle or system lock, no reads)."""
        if self.attached:
            raise RuntimeError("this window already has its vault")
        ctx = self.ctx
        if vault is not None:
            ctx.attach(vault)
        if first_fill is not None:
            self._first_fill = first_fill
        self.attached = True
        # The index's child starts building now, beside the first paint and the list (it needs the
        # vault's key: a window built while the key was derived has none until here).
        self.search_keeper.expect()
        ctx.errors.set_parent(self)
        demo = mark_if_demo(self, ctx.vault.is_demo)
        if demo is not None:  # the demo never looks like a real vault (ui/widgets/demo.py)
            self._column.insertWidget(0, demo)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.idle.set_minutes(ctx.prefs.idle_minutes)
        self._follow_system_lock()
        self._show_conditions()
        # The list is filled, and the background reads begin, on a later turn of the event loop (a
        # timer: a zero delay would run in the same batch of posted events as the window's showing):
        # the window shows first, and no one step of the unlock holds the UI thread for long.
        QTimer.singleShot(1, self, self._fill)  # with the window as context: not after it is gone

    def _fill(self) -> None:
        if self._shut:
            return
        self.backups.start()  # here, not while the window is built: it reads the backup folders
        ready, self._first_fill = self._first_fill, None
        self.client_list.fill(self._on_filled, ready)  # the rows in chunks, then the flags queued

    def _on_filled(self) -> None:
        self._filled = True
        self.search_keeper.start()  # after the flags: one job at a time
        self.practice_sync.start()  # a practice member syncs at unlock, then every few minutes
        if self._recovered is not None:
            self.show_recovered(self._recovered)

    def show_recovered(self, last: LastRun) -> None:
        """After a run that ended without closing: say in the banner what that run left saved."""
        if not self._filled:  # the names come from the list: once it is filled
            self._recovered = last
            return
        self._recovered = None
        recovered: Recovered | None = None
        if last.started_at is not None:
            try:
                recovered = saved_since(self.ctx.uow(), last.started_at)
            except Exception as exc:  # the banner still says what happened, without the list
                self.ctx.errors.present(exc, title="Closed unexpectedly")
        names: list[str] = []
        if recovered is not None:
            by_id = {c.id: c for c in self.panel.model.clients()}
            names = [self._client_label(by_id[i]) for i in recovered.client_ids if i in by_id]
        self.banner.add_message(crash_notice.after_unlock(recovered, last, names))

    def _show_conditions(self) -> None:
        """The banner: a read-only vault, a vault in a synced or network folder."""
        if self.ctx.vault.read_only:
            self.banner.add_message(READ_ONLY)
        try:
            warning = location_warning(self.ctx.vault.path)
        except OSError:
            warning = None
        if warning:
            self.banner.add_message(warning)

    # -- actions and menus -------------------------------------------------------------------------

    def _action(
        self, text: str, shortcut: str | QKeySequence.StandardKey, slot: Callable[[], object], tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{tip or text.replace('&', '').rstrip('…')} ({action.shortcut().toString()})")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _make_actions(self) -> dict[str, QAction]:
        actions = {
            "new": self._action("&New client…", "Ctrl+Shift+N", self.add_client),
            "edit": self._action("&Edit client…", "Ctrl+E", self.edit_client),
            "hold": self._action("Put on &hold", "Ctrl+Shift+H", self.put_on_hold),
            "reactivate": self._action("&Reactivate", "Ctrl+Shift+R", self.reactivate),
            "discharge": self._action("&Discharge…", "Ctrl+Shift+D", self.discharge),
            "find": self._action("&Find client", "Ctrl+F", self.panel_focus_search),
            "search": self._action("&Search notes and plans…", "Ctrl+K", self.open_search),
            "privacy": self._action("&Privacy mode (initials only)", "Ctrl+Shift+P", self.toggle_privacy),
            "settings": self._action("Se&ttings…", "Ctrl+,", self.open_settings),
            "backups": self._action("&Backups…", "Ctrl+Shift+B", self.open_backups),
            "lock": self._action("&Lock", "Ctrl+L", self.lock),
            "quit": self._action("&Quit", "Ctrl+Q", self.quit_app),
            "shortcuts": self._action("&Keyboard shortcuts", "F1", self.show_shortcuts),
            "due": self._action("D&ue at the next visit…", "Ctrl+Shift+U", self.open_due),
            "billing": self._action("Pa&yments and receipts…", "Ctrl+Shift+Y", self.open_billing),
            "conflicts": self._action("Sync con&flicts…", "Ctrl+Shift+J", self.open_conflicts),
        }
        actions["privacy"].setCheckable(True)
        actions["privacy"].setChecked(self.ctx.prefs.privacy_mode)
        return actions

    def _make_menus(self) -> None:
        a, bar = self.actions_by_name, self.menuBar()
        file_menu = bar.addMenu("&File")
        for name in ("settings", "backups", "lock", "quit"):
            if name == "lock":
                file_menu.addAction(self.practice_sync.action)
            file_menu.addAction(a[name])
        client_menu = bar.addMenu("&Client")
        for name in ("new", "edit", "hold", "reactivate", "discharge"):
            client_menu.addAction(a[name])
        client_menu.addSeparator()
        client_menu.addAction(a["billing"])
        client_menu.addAction(a["due"])
        client_menu.addAction(a["conflicts"])
        view_menu = bar.addMenu("&View")
        for name in ("find", "search", "privacy"):
            view_menu.addAction(a[name])
        add_help_menu(bar, self, a["shortcuts"])  # shortcuts, the user guide, About
        self.reports_menu = ReportsMenu(self.ctx, self.selected_client_id, self, self._drafts_saved)
        bar.insertMenu(view_menu.menuAction(), self.reports_menu)
        # Ctrl+P previews the clinician summary (in the preview, Ctrl+P is its Print…); privacy: Ctrl+Shift+P.
        a["summary"] = self.reports_menu.bind_shortcut("clinician", "Ctrl+P", self)
        self.practice = PracticeActions(self.ctx, self.practice_sync, self.panel, file_menu, client_menu)

    def _update_actions(self) -> None:
        if self._held is not None:
            return  # every action stays off until the held lock is released
        # A supervised-only client's writes are off too, as its workspace found (client_action_state.py).
        follow_client(self.actions_by_name, self.panel, self.ctx.vault.read_only, self.host.workspace)
        self.reports_menu.refresh(sources=False)  # the full check runs as the menu opens

    def selected_client_id(self) -> str | None:
        client = self.panel.current_client()
        return client.id if client is not None else None

    def _drafts_saved(self) -> bool:
        """Before a document is made: write the open drafts, so it shows what was just typed."""
        if self.ctx.vault.read_only:
            return True
        try:
            saved = save_all_drafts(self.host.workspace)
        except Exception as exc:
            self.ctx.errors.present(exc, title="Document not made")
            return False
        if not saved:
            self.ctx.errors.present(NotesdeskError(DRAFT_NOT_IN_REPORT), title="Document not made")
        return saved

    def panel_focus_search(self) -> None:
        self.panel.focus_search()

    def shortcut_sections(self) -> Sections:
        """(heading, [(keys, what they do)]) for every shortcut of the window and of a client's workspace."""
        window = [
            (native(action.shortcut()), action.text().replace("&", "").rstrip("…"))
            for action in self.actions_by_name.values()
            if not action.shortcut().isEmpty()
        ]
        workspace = [
            (native(keys), WORKSPACE_SHORTCUT_LABELS.get(name, name.replace("_", " ").capitalize()))
            for name, keys in workspace_shortcuts().items()
        ]
        sections = [("Anywhere in the window", window)]
        if workspace:
            sections.append(("With a client open", workspace))
        return sections

    def show_shortcuts(self) -> None:
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", "", QMessageBox.StandardButton.Close,
                          self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(shortcuts_html(self.shortcut_sections()))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_box = box
        box.open()

    # -- the client list ---------------------------------------------------------------------------

    def refresh_clients(self) -> None:
        self.client_list.refresh()

    def _on_current_changed(self, client_id: str) -> None:
        if not self.host.show_client(client_id or None) and self.host.client_id:
            self.panel.select_client(self.host.client_id, emit=False)  # drafts not saved: stay
        self._update_actions()

    def toggle_privacy(self) -> None:
        on = self.actions_by_name["privacy"].isChecked()
        self.ctx.prefs.privacy_mode = on
        self.panel.set_privacy(on)
        if self.search_dialog is not None:
            self.search_dialog.model.privacy = on

    # -- search ------------------------------------------------------------------------------------

    def _on_index_ready(self) -> None:
        self.index_status.setText("")
        if self.search_dialog is not None and self.search_dialog.isVisible():
            self.search_dialog.refresh()

    def open_search(self) -> None:
        dialog = SearchDialog(lambda: self.ctx.index, self.ctx.prefs.privacy_mode, self)
        dialog.sig_open_hit.connect(self.open_hit)
        dialog.sig_open_client.connect(self.panel.select_client)  # a client found by name
        self.search_dialog = dialog
        dialog.open()
        dialog.query.setFocus()

    def open_hit(self, hit: SearchHit) -> None:
        if not self.panel.select_client(hit.client_id):
            return
        if self.host.client_id != hit.client_id:
            return  # could not leave the previous client (its drafts did not save)
        if hit.kind == "plan":
            self.host.open_plan(hit.object_id)
        elif hit.kind == "note":
            self.host.open_note(hit.object_id)
        else:  # homework, the safety plan: their tab
            self.host.open_part(hit.kind)

    # -- settings ----------------------------------------------------------------------------------

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.ctx, self)
        dialog.sig_applied.connect(self._on_settings_applied)
        dialog.sig_open_backups.connect(self.open_backups)
        self.settings_dialog = dialog
        dialog.open()

    def open_due(self) -> None:
        from notesdesk.ui.dialogs.due_dialog import DueDialog  # inline: the start stays lean

        self.due_dialog = DueDialog(self.ctx, self)
        self.due_dialog.open()

    def open_conflicts(self) -> None:
        from notesdesk.ui.dialogs.conflicts_dialog import ConflictsDialog  # inline: the start stays lean

        self.conflicts_dialog = ConflictsDialog(self.ctx, self)
        self.conflicts_dialog.open()

    def open_backups(self) -> None:
        settings = self.settings_dialog
        parent = settings if settings is not None and settings.isVisible() else self
        dialog = BackupsDialog(self.ctx, self.backups, parent)
        dialog.sig_restore_requested.connect(self.restore_backup)
        self.backups_dialog = dialog
        dialog.open()

    def _on_settings_applied(self) -> None:
        prefs = self.ctx.prefs
        self.idle.set_minutes(prefs.idle_minutes)
        self._follow_system_lock()
        self.actions_by_name["privacy"].setChecked(prefs.privacy_mode)
        self.panel.set_privacy(prefs.privacy_mode)
        self.backups.sig_status.emit(self.backups.status())  # the second folder may have changed

    # -- lock and close ----------------------------------------------------------------------------

    def _follow_system_lock(self) -> None:
        if self.ctx.prefs.lock_on_system_lock:
            self.system_lock.start(self)
        else:
            self.system_lock.stop()

    def cover_up(self, text: str) -> None:
        """Stop showing client data at once (a lock, close or restore is committed to): only `text`
        on a plain page, every dialog and preview of this window hidden."""
        hide_child_windows(self)
        self.cover.set_text(text)
        self.pages.setCurrentWidget(self.cover)
        self.setWindowTitle(TITLE)

    def shutdown(self) -> None:
        """Release everything that holds plaintext or the vault lock. Safe to call twice."""
        if self._shut:
            return
        self._shut = True
        self._ending = True
        self.idle.stop()
        self.system_lock.stop()
        self.backups.stop()
        self.practice_sync.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        self.client_list.close()
        self.search_keeper.stop_building()  # its child process ends, so the runner's wait for it does
        save_window(self, self.ctx.prefs)
        self.ctx.prefs.sync()
        self.ctx.runner.wait()
        self.search_keeper.close()
        self.host.show_client(None)
        if self.ctx.has_vault:
            self.ctx.vault.close()

    # -- window ------------------------------------------------------------------------------------

    def _keep_title(self, title: str) -> None:
        if title != TITLE:  # never a client's name, whoever tries to set it
            self.setWindowTitle(TITLE)

    def _restore_geometry(self) -> None:
        restore_window(self, self.ctx.prefs)  # per screen size: ui/geometry.py
        keep_on_screen(self)
