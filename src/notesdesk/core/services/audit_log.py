"""Reading and checking the audit log, for `notesdesk audit` (the log itself: storage/audit.py)."""

from __future__ import annotations

from notesdesk.core.storage.audit import AuditEntry
from notesdesk.core.storage.uow import UnitOfWork


def audit_entries(uow: UnitOfWork) -> list[AuditEntry]:
    """Every entry, oldest first; VaultDamaged at the first break in the chain."""
    with uow:
        assert uow.session is not None
        return list(uow.vault.audit.entries(uow.session))


def verify_audit_log(uow: UnitOfWork) -> int:
    """The chain, and every record against its last audited write; returns the entries checked."""
    with uow:
        assert uow.session is not None
        return uow.vault.audit.verify(uow.session)
