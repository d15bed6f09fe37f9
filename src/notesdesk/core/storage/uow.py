"""One unit of work per user action: a session, the repositories on it, commit or roll back."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from notesdesk.core.errors import NotesdeskError, ReadOnlyVault, StorageFull, VaultDamaged
from notesdesk.core.storage import raw, summaries
from notesdesk.core.storage.repositories import Repositories
from notesdesk.core.storage.sqlite import is_disk_full, is_read_only
from notesdesk.core.storage.store import StoreContext

if TYPE_CHECKING:
    from notesdesk.core.storage.vault import Vault


def translate_db_error(exc: DBAPIError) -> Exception:
    if is_disk_full(exc):
        return StorageFull(
            "The disk is full: nothing was saved. Your text is kept; free some space and save again."
        )
    if is_read_only(exc):
        return ReadOnlyVault("The vault is open read-only: changes cannot be saved.")
    text = str(exc).lower()
    if any(word in text for word in ("malformed", "not a database", "corrupt")):
        return VaultDamaged("The vault could not be read; it may be damaged. Run 'notesdesk verify'.")
    return NotesdeskError("The vault could not be read or written just now; nothing was saved. Try again.")


class UnitOfWork(Repositories):
    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self.session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        # The vault has one SQLite connection: units of work on different threads (the UI and a
        # background job) take turns; nesting one inside another on the same thread is a bug.
        self._vault.enter_work()
        try:
            self.session = Session(self._vault.engine, expire_on_commit=False, autoflush=False)
        except BaseException:
            self._vault.leave_work()
            raise
        ctx = StoreContext(self.session, self._vault.sealer, self._vault.audit)
        self._bind(ctx)
        return self

    def commit(self) -> None:
        assert self.session is not None
        if self._vault.read_only:
            # Nothing can have been written: SQLite (mode=ro) refuses every write as it happens.
            self.session.rollback()
            raw.rollback(self.session)
            return
        try:
            self._keep_summaries()
            if self.session.in_transaction():  # SQLAlchemy took part: its commit ends the transaction
                self.session.commit()
            raw.commit(self.session)  # else it is ended here (raw.py)
        except DBAPIError as exc:
            self.session.rollback()
            raw.rollback(self.session)
            raise translate_db_error(exc) from exc
        self._vault.committed(self.session)

    def _keep_summaries(self) -> None:
        """The summaries of the clients this unit of work wrote for, rewritten in its transaction."""
        assert self.session is not None
        if self.ctx.touched and summaries.has_table(self.session):
            summaries.refresh(self, self.ctx.touched, self.ctx.changes)
        self.ctx.touched.clear()
        self.ctx.changes.clear()

    @property
    def vault(self) -> Vault:
        return self._vault

    def record(self, action: str, table: str = "", row_id: str = "", detail: str = "") -> None:
        """Audit an action that changes no row (view, print, export, backup...)."""
        assert self.session is not None
        if not self._vault.read_only:
            self._vault.audit.record(self.session, action, table, row_id, detail=detail)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self.session is not None
        try:
            self.session.rollback()
        finally:
            try:
                raw.rollback(self.session)  # a transaction begun on the driver and not committed
            finally:
                self.session.close()
                self.session = None
                self._vault.leave_work()
        if isinstance(exc, DBAPIError):
            raise translate_db_error(exc) from exc
