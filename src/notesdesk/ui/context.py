"""What every window and widget gets through its constructor: no app-wide singletons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from notesdesk.core.search.index import SearchIndex
from notesdesk.ui.background import BackgroundRunner
from notesdesk.ui.errors import ErrorPresenter
from notesdesk.ui.prefs import Preferences
from notesdesk.ui.session import Session

if TYPE_CHECKING:  # types in signatures only: the composition roots open the vault (docs/architecture.md)
    from notesdesk.core.storage.uow import UnitOfWork
    from notesdesk.core.storage.vault import Vault

NO_VAULT_YET = "the main window was built before the unlock and has no vault yet"


class AppContext:
    """The open vault and the app's parts. `vault` may be None only for a main window built while the
    key is derived (ui/app.py): nothing reads it before `attach` gives it the vault that opened, and a
    read before then is a bug, raised, never an empty answer."""

    def __init__(
        self,
        vault: Vault | None,
        runner: BackgroundRunner,
        errors: ErrorPresenter,
        prefs: Preferences,
        index: SearchIndex | None = None,
    ) -> None:
        self._vault = vault
        self.runner = runner
        self.errors = errors
        self.prefs = prefs
        self.index = index
        # Service calls and the one change channel (ui/session.py): made from the parts above.
        self.session = Session(self.uow, self.errors, self.runner)

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            raise RuntimeError(NO_VAULT_YET)
        return self._vault

    @property
    def has_vault(self) -> bool:
        return self._vault is not None

    def attach(self, vault: Vault) -> None:
        """Give a context made before the unlock its vault: once, never another."""
        if self._vault is not None:
            raise RuntimeError("this context already has a vault")
        self._vault = vault

    def uow(self) -> UnitOfWork:
        # Units of work on the UI thread and in the background runner take turns (core Vault).
        return self.vault.unit_of_work()
