"""The practice's settings that sync (docs/design-notes.md §9, "Practice settings"): the versions that
did not stand here after two computers changed the same setting, for a person to read and take back
(`notesdesk practice settings-aside`)."""

from __future__ import annotations

from dataclasses import dataclass

from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import settings

WHAT = {
    "instruments": "imported questionnaire",
    "paperwork": "paperwork template",
    "note-templates": "note template",
    "fees": "fee",
}


@dataclass(frozen=True)
class SetAsideView:
    what: str  # the kind of setting, in words
    item: str  # which one: an instrument id, a paperwork kind, a note template id, a fee
    value: str | None  # the version set aside (None: a removal that did not stand)
    device: str  # the device whose version it is ("this device" when it was this one's)
    why: str
    at: str  # ISO time it was set aside


def set_aside(uow: UnitOfWork) -> list[SetAsideView]:
    """Every setting's version set aside here, oldest first."""
    with uow:
        found = settings.set_aside(uow)
    return [
        SetAsideView(WHAT.get(v.setting, v.setting), v.item, v.value, v.device or "this device", v.why,
                     v.at.isoformat(timespec="seconds"))
        for v in found
    ]


def count_set_aside(uow: UnitOfWork) -> int:
    with uow:
        return len(settings.set_aside(uow))
