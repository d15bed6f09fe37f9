"""One unit of work per user action: a session, the repositories on it, commit or roll back."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from notesdesk.core.domain.notes import AddendumKind
from notesdesk.core.errors import NotesdeskError, ReadOnlyVault, StorageFull, SupervisedOnly, VaultDamaged
from notesdesk.core.storage import raw, summaries
from notesdesk.core.storage.entities import ENTITIES
from notesdesk.core.storage.repositories import Repositories
from notesdesk.core.storage.sqlite import is_disk_full, is_read_only
from notesdesk.core.storage.store import StoreContext

if TYPE_CHECKING:
    from notesdesk.core.storage.vault import Vault


def is_co_signature(table: str, obj: object | None) -> bool:
    """The one row a supervisor writes of a client they only supervise (services/cosign.py)."""
    return table == "addendum" and getattr(obj, "kind", None) == AddendumKind.CO_SIGNATURE


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


# The tables of a client's record: a write of one of them for a client this vault only supervises is
# refused (the rest are this vault's own working state: summaries, unsent text, conflicts set aside).
_RECORD_TABLES = frozenset(e.table for e in ENTITIES if e.in_client_record and e.repository)


def _supervised_only(uow: UnitOfWork) -> frozenset[str]:
    # Imported here: the sync's key store is itself read through a unit of work (it imports this module).
    from notesdesk.core.sync import access

    return frozenset(access.load(uow).supervising)


class UnitOfWork(Repositories):
    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self.session: Session | None = None
        self._supervised: frozenset[str] | None = None  # read at the first guarded write

    def __enter__(self) -> UnitOfWork:
        # The vault has one SQLite connection: units of work on different threads (the UI and a
        # background job) take turns; nesting one inside another on the same thread is a bug.
        self._vault.enter_work()
        try:
            self.session = Session(self._vault.engine, expire_on_commit=False, autoflush=False)
        except BaseException:
            self._vault.leave_work()
            raise
        self._supervised = None
        ctx = StoreContext(self.session, self._vault.sealer, self._vault.audit, guard=self._refuse_supervised)
        self._bind(ctx)
        return self

    def _refuse_supervised(self, table: str, client_id: str, obj: object | None) -> None:
        """Every write passes here (store.py): one of a client this vault only supervises is refused
        but a co-signature, since nothing else of it ever reaches their clinician (docs/design-notes.md
        §9, Supervision); the transaction is rolled back with it, so no stored byte changes."""
        if table not in _RECORD_TABLES:
            return
        if self._supervised is None:
            self._supervised = _supervised_only(self)
        if client_id in self._supervised and not is_co_signature(table, obj):
            raise SupervisedOnly()

    def lift_supervision_guard(self) -> None:
        """Inside an entered unit of work that writes what is not this vault's own change of a
        supervised client: the sync's pull taking in rows its clinician wrote, and the deletion of the
        whole copy held here at the end of retention (each clinician's duty is their own)."""
        self.ctx.guard = None

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
                # The guard is this unit of work's own method: dropped, so no cycle keeps the unit of
                # work (and with it the vault and its lock) alive after it is done with.
                self.ctx.guard = None
                self._vault.leave_work()
        if isinstance(exc, DBAPIError):
            raise translate_db_error(exc) from exc
