"""The practice's settings that sync (docs/design-notes.md §9, "Practice settings"): the versions that
did not stand here after two computers changed the same setting, for a person to read, use or discard
(`notesdesk practice settings-aside [--use ID | --discard ID]`, File ▸ Practice…)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import settings
from notesdesk.core.sync.setting_kinds import PROFILE

WHAT = {
    "instruments": "imported questionnaire",
    "paperwork": "paperwork template",
    "note-templates": "note template",
    "fees": "fee",
    "member-names": "colleague's name",
    "profile": "your profile",
}
THIS_DEVICE = "this device"
UNREADABLE = "(a value that does not read: it can only be discarded)"


@dataclass(frozen=True)
class SetAsideView:
    id: str  # what --use and --discard take
    what: str  # the kind of setting, in words
    item: str  # which one: an instrument id, a paperwork kind, a note template id, a fee
    value: str | None  # the version set aside (None: a removal that did not stand)
    device: str  # the device whose version it is (THIS_DEVICE when it was this one's)
    why: str
    at: str  # ISO time it was set aside


def set_aside(uow: UnitOfWork) -> list[SetAsideView]:
    """Every setting's version set aside here, oldest first."""
    with uow:
        found = settings.set_aside(uow)
    return [_view(v) for v in found]


def _view(version: settings.SetAside) -> SetAsideView:
    value = version.value
    if version.setting == PROFILE and value is not None:  # a field as JSON: shown as it reads
        try:
            value = str(json.loads(value))
        except ValueError:  # kept aside because it does not read: its text is not shown as a value
            value = UNREADABLE
    return SetAsideView(settings.version_id(version), WHAT.get(version.setting, version.setting),
                        version.item, value, version.device or THIS_DEVICE, version.why,
                        version.at.isoformat(timespec="seconds"))


def count_set_aside(uow: UnitOfWork) -> int:
    with uow:
        return len(settings.set_aside(uow))


def use_set_aside(uow: UnitOfWork, version_id: str) -> SetAsideView:
    """Make the version kept aside the current one here (sent to the others at the next sync as a new
    edit) and take it off the list: one unit of work, audited."""
    with uow:
        used = settings.take_back(uow, version_id)
        uow.commit()
    return _view(used)


def discard_set_aside(uow: UnitOfWork, version_id: str) -> SetAsideView:
    """Drop the version kept aside (the one in use stays): one unit of work, audited."""
    with uow:
        dropped = settings.discard(uow, version_id)
        uow.commit()
    return _view(dropped)
