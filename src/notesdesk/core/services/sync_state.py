"""What the app shows about practice sync (docs/design-notes.md §9): whether this vault is a member,
when it last synced, and how many received versions wait for a person to choose. Plain reads of the
vault's sealed sync state; nothing here talks to the server."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from notesdesk.core.services import receipts
from notesdesk.core.services.practice import WaitingToBeAdded
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import known_readers, settings
from notesdesk.core.sync import state as st
from notesdesk.core.sync.server import ServerUnavailable
from notesdesk.core.sync.versions import RemovedFromPractice


@dataclass(frozen=True)
class SyncSummary:
    member: bool  # False while waiting for a member to run add-clinician
    last_sync: datetime | None
    to_resolve: int
    waiting_to_push: bool
    receipts_numbered_twice: int = 0  # numbers two receipts carry (receipts.numbers_issued_twice)
    settings_aside: int = 0  # practice settings' versions kept aside (services/practice_settings.py)


def to_resolve(uow: UnitOfWork) -> int:
    """Inside an entered unit of work: the received versions kept beside this vault's and waiting for a
    person to choose (the open conflicts, services/sync_conflicts.py)."""
    return sum(c.is_open for c in uow.sync_conflicts.all())


def summary(uow: UnitOfWork) -> SyncSummary | None:
    """None when this vault is not part of a practice: the app then shows nothing about sync."""
    with uow:
        ident = st.identity(uow)
        if ident is None:
            return None
        current = st.state(uow)
        found = SyncSummary(bool(ident.practice_key), current.last_sync, to_resolve(uow),
                            current.outbox is not None, settings_aside=len(settings.set_aside(uow)))
    return replace(found, receipts_numbered_twice=len(receipts.numbers_issued_twice(uow)))


def sharing_seen(uow: UnitOfWork) -> known_readers.KnownReaders:
    """Who can read each client as the overview's line shows it (its fill time left out, which the
    line shows only once a sync has failed since): compared before and after a sync to tell whether
    the lines need reading again."""
    with uow:
        found = known_readers.load(uow)
    return replace(found, filled_at=None) if not found.outdated else found


def is_offline(exc: BaseException) -> bool:
    """The server could not be reached (or the connection dropped): safe to try again later."""
    return isinstance(exc, ServerUnavailable)


def is_waiting(exc: BaseException) -> bool:
    """No member has added this clinician yet: the status bar already says so."""
    return isinstance(exc, WaitingToBeAdded)


def is_removed(exc: BaseException) -> bool:
    """A member removed this clinician (or this device) from the practice: a state for good."""
    return isinstance(exc, RemovedFromPractice)
