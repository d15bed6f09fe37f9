"""What every window and widget gets through its constructor: no app-wide singletons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from notesdesk.core.search.index import SearchIndex
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.background import BackgroundRunner
from notesdesk.ui.errors import ErrorPresenter
from notesdesk.ui.prefs import Preferences


@dataclass
class AppContext:
    vault: Vault
    runner: BackgroundRunner
    errors: ErrorPresenter
    prefs: Preferences
    index: SearchIndex | None = None
    # Called after any change so lists, overview and search stay current (object kind, id).
    changed_listeners: list[Callable[[str, str], None]] = field(default_factory=list)
    def uow(self) -> UnitOfWork:
        # Units of work on the UI thread and in the background runner take turns (core Vault).
        return self.vault.unit_of_work()

    def notify_changed(self, kind: str, object_id: str) -> None:
        for listener in list(self.changed_listeners):
            listener(kind, object_id)
