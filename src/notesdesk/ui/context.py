"""What every window and widget gets through its constructor: no app-wide singletons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from notesdesk.core.search.index import SearchIndex
from notesdesk.ui.background import BackgroundRunner
from notesdesk.ui.errors import ErrorPresenter
from notesdesk.ui.prefs import Preferences
from notesdesk.ui.session import Session

if TYPE_CHECKING:  # types in signatures only: the composition roots open the vault (docs/architecture.md)
    from notesdesk.core.storage.uow import UnitOfWork
    from notesdesk.core.storage.vault import Vault


@dataclass
class AppContext:
    vault: Vault
    runner: BackgroundRunner
    errors: ErrorPresenter
    prefs: Preferences
    index: SearchIndex | None = None
    # Service calls and the one change channel (ui/session.py): made from the parts above.
    session: Session = field(init=False)

    def __post_init__(self) -> None:
        self.session = Session(self.uow, self.errors, self.runner)

    def uow(self) -> UnitOfWork:
        # Units of work on the UI thread and in the background runner take turns (core Vault).
        return self.vault.unit_of_work()
