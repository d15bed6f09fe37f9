"""Text typed into a box whose button signs or records something (an addendum to a signed note, a
plan review), kept so a lock or a crash never loses it. Keeping it signs and records nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from notesdesk.core.domain.common import new_id, now


class PendingKind(StrEnum):
    ADDENDUM = "addendum"
    """An addendum being typed under a signed note; `target_id` is the note's id."""
    PLAN_REVIEW = "plan_review"
    """A plan-review summary being typed; `target_id` is the plan it was typed for. A client has at
    most one: reviews are recorded on whichever plan is active."""


@dataclass(frozen=True)
class PendingText:
    client_id: str
    kind: PendingKind
    target_id: str
    text: str
    # The choices typed with it, as their stored values: the addendum kind, the review outcome.
    choice: str = ""
    id: str = field(default_factory=new_id)
    updated_at: datetime = field(default_factory=now)
