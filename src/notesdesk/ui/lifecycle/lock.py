"""Locking: after idle time or on request. Python cannot wipe memory, so locking ends the process
and starts a fresh one at the unlock screen (docs/design-notes.md §1).

Ending a session (lock, close, restore) first saves everything typed, or does not end it at all;
then covers the window (no client data on screen from that moment, through the backup that can take
seconds), makes the automatic backup, closes the vault, and only then goes.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QProcess, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMenuBar, QWidget

from notesdesk.core.backup.service import restore
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.services import notes
from notesdesk.ui.lifecycle.backups import wait_for
from notesdesk.ui.widgets.cover import CLOSING, LOCKING, RESTORING, SessionCover, hide_child_windows
from notesdesk.ui.workspace_api import Workspace

log = logging.getLogger("notesdesk")

UNSAVED_DRAFT = (
    "Something typed could not be saved, so nothing was closed: it is still on screen. "
    "Fix what the previous message said, then try again."
)
UNSAVED_TEXT = "Nothing was closed: what you typed is still on screen."
HELD_DRAFT = "A draft could not be saved."
UNKEPT_PRACTICE_KEY = (
    "The practice recovery key on screen is shown only once and is not written down yet: type its last "
    "group back in Join a practice first."
)
UNSAVED_CLIENT = (
    "The client details being edited could not be saved, so nothing was closed. "
    "Complete them or cancel the dialog, then try again."
)
RESTORED = (
    "The backup was restored and a fresh backup of it made. Your previous vault is kept beside it "
    "as {kept}. NotesDesk now opens at the unlock screen: unlock with the passphrase in use when "
    "that backup was made, or with your recovery key."
)

# Input that means someone is at the keyboard; timers, paints and focus changes do not count.
ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


def relaunch_command(vault_path: Path) -> tuple[str, list[str]]:
    """The program and arguments that open NotesDesk again on this vault's unlock screen."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--vault", str(vault_path)]
    return sys.executable, ["-m", "notesdesk", "--vault", str(vault_path)]


def relaunch_detached(vault_path: Path) -> bool:
    """Start the fresh process; True if it started. (PySide6 returns (ok, pid) here.)"""
    program, arguments = relaunch_command(vault_path)
    result = QProcess.startDetached(program, arguments)
    ok = result[0] if isinstance(result, tuple) else result
    if not ok:
        log.error("could not restart NotesDesk after locking")
    return bool(ok)


class IdleWatcher(QObject):
    """Fires `on_idle` after `minutes` without keyboard, mouse or touch input anywhere in the app.

    Installed as an application-wide event filter; every input event restarts one timer.
    """

    def __init__(self, minutes: int, on_idle: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # Precise: a coarse timer may fire 5% late (30 s of a 10-minute idle lock) and reports its
        # remaining time rounded.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(on_idle)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self._timer.setInterval(max(1, int(minutes)) * 60_000)
        self._timer.start()

    def set_interval_ms(self, msecs: int) -> None:
        """For tests: a short idle period."""
        self._timer.setInterval(msecs)
        self._timer.start()

    def interval_ms(self) -> int:
        return self._timer.interval()

    def remaining_ms(self) -> int:
        """How long until the lock, unless there is input first (-1: not counting)."""
        return self._timer.remainingTime()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if event.type() in ACTIVITY_EVENTS and self._timer.isActive():
            self._timer.start()
        return False


def save_all_drafts(workspace: Workspace | None) -> bool:
    """Ask the open workspace to write every draft. True when nothing typed is left unsaved: every
    save worked and no part still holds unsaved text (a second check, for a part whose save forgot
    something). Errors raised by the workspace propagate (the caller shows them)."""
    if workspace is None:
        return True
    return workspace.save_all_drafts() and not workspace.unsaved_parts()


def replaced_copies(vault_path: Path) -> set[Path]:
    """The copies a restore keeps of the vault it replaced."""
    return set(vault_path.parent.glob(f"{vault_path.name}.replaced-*.bak"))


@dataclass
class HeldLock:
    """A lock held on screen (_save_or_hold): what it hid and which actions were on before it."""

    hidden: list[QWidget]
    actions: dict[str, bool]


class SessionEndMixin:
    """Lock, close and restore for the main window. The window provides ctx, host, client_dialog,
    practice, backups, backup_status, idle, inform, confirm, _relaunch, _ending, _shut, cover_up() and
    shutdown()."""

    ctx: Any
    host: Any
    client_dialog: Any
    practice: Any  # ui/practice_menu.PracticeActions
    backups: Any
    backup_status: Any
    idle: IdleWatcher
    inform: Callable[[str, str], object]
    confirm: Callable[[str, str], bool]
    _relaunch: Callable[[Path], object]
    _ending: bool
    _shut: bool
    _held: HeldLock | None
    cover: SessionCover
    pages: Any
    content: QWidget
    actions_by_name: dict[str, Any]
    _update_actions: Callable[[], None]
    menuBar: Callable[[], QMenuBar]  # noqa: N815
    setEnabled: Callable[[bool], None]  # noqa: N815 (the QWidget methods of the window)
    hide: Callable[[], None]
    close: Callable[[], bool]
    shutdown: Callable[[], None]  # closes the vault and everything holding plaintext
    cover_up: Callable[[str], None]  # shows only a neutral line: no client data, no dialogs

    def _on_idle(self) -> None:
        self.lock(involuntary=True)

    def _on_system_lock(self, reason: str) -> None:
        """The computer is going to sleep, its screen locked, or it just woke (ui/lifecycle/os_lock.py)."""
        self.lock(involuntary=True)

    # -- a held lock ---------------------------------------------------------------------------------

    def is_held(self) -> bool:
        return self._held is not None

    def _save_or_hold(self) -> bool:
        """An involuntary lock: nobody may be at the keyboard, so no message may wait for a click.
        True when everything typed was saved (the lock goes on); otherwise the lock is held: the
        window is covered, says what could not be saved, and waits for the passphrase, with the
        typed text behind it in this process."""
        reasons = self._unsaved_reasons()  # milliseconds, and no dialog waits for a click
        if reasons is None:
            return True
        hidden = hide_child_windows(self)  # type: ignore[arg-type]
        self.cover_up(LOCKING)
        self._held = HeldLock(hidden, {name: a.isEnabled() for name, a in self.actions_by_name.items()})
        self.idle.stop()
        self.menuBar().setEnabled(False)
        for action in self.actions_by_name.values():
            action.setEnabled(False)
        self.cover.hold(reasons or [HELD_DRAFT])
        log.info("lock held: typed text could not be saved")
        return False

    def _on_held_unlock(self, passphrase: str) -> None:
        """The passphrase typed on a held lock: checked off the UI thread (a key derivation)."""
        self.cover.set_checking(True)
        vault = self.ctx.vault
        self.ctx.session.background(lambda: vault.opens_with(passphrase), self._on_held_checked,
                                    self._on_held_failed)

    def _on_held_checked(self, opens: object) -> None:
        if self._held is None:
            return
        if opens is not True:
            self.cover.refuse()
            return
        held, self._held = self._held, None
        self.cover.release()
        self.menuBar().setEnabled(True)
        for name, enabled in held.actions.items():
            self.actions_by_name[name].setEnabled(enabled)
        self._update_actions()
        self.pages.setCurrentWidget(self.content)
        for window in held.hidden:
            window.show()
        self.idle.set_minutes(self.ctx.prefs.idle_minutes)

    def _on_held_failed(self, exc: BaseException) -> None:
        self.cover.set_checking(False)
        self.ctx.errors.present(exc, title="Still locked")

    def _unsaved_reasons(self) -> list[str] | None:
        """Save the client dialog and every draft. None when everything typed is in the vault;
        otherwise why not, one line per problem (gathered, not shown: the caller decides how)."""
        if self.practice.holds_unkept_key():  # stored nowhere else: a lock or quit would lose it
            return [UNKEPT_PRACTICE_KEY]
        with self.ctx.errors.collecting() as reasons:
            dialog = self.client_dialog
            if dialog is not None and not dialog.save_pending():
                return [*reasons, UNSAVED_CLIENT]
            if self.ctx.vault.read_only:
                return None  # nothing can be written, as the banner says
            try:
                saved = save_all_drafts(self.host.workspace)
            except Exception as exc:
                self.ctx.errors.present(exc)
                saved = False
            return None if saved else list(dict.fromkeys(reasons))

    def _save_open_work(self, title: str) -> bool:
        """Save the client dialog and every draft; False (said through the presenter, in one
        message) when something typed could not be saved, so the caller must not go on."""
        reasons = self._unsaved_reasons()
        if reasons is None:
            return True
        told = f"{' '.join(reasons)} {UNSAVED_TEXT}" if reasons else UNSAVED_DRAFT
        self.ctx.errors.present(NotesdeskError(told), title=title)
        return False

    def _begin_ending(self, title: str, cover: str) -> bool:
        """Save what was typed, then commit to ending: from here on the window shows only `cover`.
        False (and the window left as it was) when something could not be saved."""
        if self._ending or self._shut:
            return False
        self.idle.stop()
        if not self._save_open_work(title):
            self.idle.set_minutes(self.ctx.prefs.idle_minutes)
            return False
        self._ending = True
        self.cover_up(cover)
        self.setEnabled(False)
        return True

    def _final_backup(self) -> BaseException | None:
        self.backup_status.setText("Backing up…")
        return self.backups.back_up_and_wait()

    def _present_after(self, failure: BaseException | None, title: str) -> None:
        if failure is not None:
            self.ctx.errors.set_parent(None)  # the window is gone; the message stands alone
            self.ctx.errors.present(failure, title=title)

    def lock(self, involuntary: bool = False) -> bool:
        """Save drafts, back up, close the vault, start a fresh process at the unlock screen, end
        this one. A failed backup is said, but the lock goes on: the vault itself is intact. Asked
        for by the user, a lock that cannot save refuses and says why; an involuntary one (idle,
        sleep, screen lock) is held instead (_save_or_hold)."""
        if self._held is not None:
            return False  # already covered; only the passphrase releases it
        if involuntary and not self._ending and not self._shut and not self._save_or_hold():
            return False
        if not self._begin_ending("Not locked", LOCKING):
            return False
        failure = self._final_backup()
        path = self.ctx.vault.path
        self.shutdown()
        self._relaunch(path)
        self.close()
        self._present_after(failure, "Locked, but the automatic backup failed")
        QApplication.quit()
        return True

    def restore_backup(
        self, backup: Path, passphrase: str | None, recovery_key: str | None, different_vault_ok: bool = False
    ) -> bool:
        """Replace the vault with a checked backup: save, close the vault, restore (keeping the
        current vault beside it, then a fresh backup), and reopen at the unlock screen."""
        if not self._begin_ending("Not restored", RESTORING):
            return False
        path, fresh = self.ctx.vault.path, self.backups.primary()
        before = replaced_copies(path)
        self.backup_status.setText("Restoring…")
        self.shutdown()
        kept, failure = wait_for(
            self.ctx.runner,
            lambda: restore(backup, path, passphrase, recovery_key, fresh_backup_to=fresh,
                            different_vault_ok=different_vault_ok),
        )
        self.hide()
        copies = replaced_copies(path) - before
        if failure is None or copies:
            name = kept.name if kept is not None else min((c.name for c in copies), default="a .bak file")
            self.inform("Backup restored", RESTORED.format(kept=name))
        title = "Restored, but the fresh backup failed" if copies else "Not restored: your vault is unchanged"
        self._present_after(failure, title)
        self._relaunch(path)
        self.close()
        QApplication.quit()
        return failure is None

    def _quit_with_drafts(self) -> bool:
        """Quitting (not locking) with notes still unsigned: say how many, and ask. They are kept as
        drafts either way; the question only keeps them from being forgotten."""
        if self.ctx.vault.read_only:
            return True
        if not self._save_open_work("Not closed"):
            return False
        count = self.ctx.session.read(notes.count_drafts) or 0
        if count == 0:
            return True
        many = "1 session note is" if count == 1 else f"{count} session notes are"
        return self.confirm("Quit NotesDesk", f"{many} still unsigned. They are kept as drafts, to sign "
                                              "later. Quit anyway?")

    def quit_app(self) -> bool:
        """File → Quit (Ctrl+Q): ask about unsigned notes, then close (save, back up, end)."""
        if self._ending or self._shut or not self._quit_with_drafts():
            return False
        return self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        if self._shut or not self.ctx.has_vault:  # a window built ahead holds nothing to save or back up
            event.accept()
            return
        # The window's own close button (spontaneous) asks as Quit does; a close from code does not.
        if event.spontaneous() and not self._ending and not self._quit_with_drafts():
            event.ignore()
            return
        if not self._begin_ending("Not closed", CLOSING):
            event.ignore()
            return
        failure = self._final_backup()
        self.shutdown()
        self.hide()
        self._present_after(failure, "Closed, but the automatic backup failed")
        event.accept()
