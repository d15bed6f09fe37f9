"""A received edit that could not be applied because this vault had changed the same record since the
revision the edit was made from: both versions are kept, sealed, until a person chooses
(docs/design-notes.md §9, "Conflicts")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from notesdesk.core.domain.common import new_id, now


class Kept(StrEnum):
    OPEN = ""  # waiting for a person to choose
    MINE = "mine"
    THEIRS = "theirs"
    MERGED = "merged"  # this vault's version with some of the other's fields
    ELSEWHERE = "elsewhere"  # chosen on another device; its choice arrived and was applied here


@dataclass(frozen=True)
class SyncConflict:
    """`mine` and `theirs` are the two versions as JSON (sealed like every row). For a record edited in
    place (client details, a milestone) both are the same row; for a versioned record (a safety plan, a
    signed plan version) `row_id` is this vault's newest version and `theirs_id` the other device's."""

    client_id: str
    table: str
    row_id: str
    theirs_id: str
    mine: str
    theirs: str
    mine_token: str
    theirs_token: str
    theirs_device: str
    id: str = field(default_factory=new_id)
    found_at: datetime = field(default_factory=now)
    kept: Kept = Kept.OPEN
    resolved_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.kept is Kept.OPEN
