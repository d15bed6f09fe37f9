"""The demo's diary: every active client has a next session booked, weekly or fortnightly, the first
within the coming week, so each day's "due at the next visit" list has visits on it."""

from __future__ import annotations

import random
from datetime import date, timedelta

from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.visits import NextSession
from notesdesk.core.storage.vault import Vault

CADENCES = (7, 7, 14)  # mostly weekly, some fortnightly


def book_demo(vault: Vault, today: date, rng: random.Random) -> int:
    """Books the active clients' next sessions, spread over the next seven days; returns how many."""
    with vault.unit_of_work() as uow:
        active = [c for c in uow.clients.all() if c.status == ClientStatus.ACTIVE]
        for place, client in enumerate(active):  # in the order they were written: the same each run
            uow.next_sessions.add(NextSession(client.id, today + timedelta(days=place % 7),
                                              every_days=rng.choice(CADENCES)))
        uow.commit()
    return len(active)
