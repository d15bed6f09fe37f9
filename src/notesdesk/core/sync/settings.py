"""The practice's settings travel (docs/design-notes.md §9, "Practice settings"): imported
questionnaires, paperwork and note templates to every member, a clinician's fee schedule to their own
devices. A change goes out in the device's signed log like every row, as a row of table `setting` named
by the setting, sealed under the practice key's current version (access.seal: a row of no client).

A setting moves item by item (an instrument, a template, a fee): a push carries only the items changed
here since they last synced, each with the token of the version it was made from (its base), and the
items removed. A received item is taken when it is new here or was made from what this vault holds.
When both devices changed the same item from the same version, the version of the device with the
smaller id stands on both (the rule §9 uses for two choices made at once), so every device ends with
the same setting, and the other version is not lost: it is kept, sealed, in the vault's set-aside
settings (`set_aside`), audited and counted with the received versions held (`practice status`).
A version a joining device was given (`given`) is no edit of its own: one arriving is taken over it.
Settings are no clinical record, so a rule replaces asking a person; nothing is dropped unseen."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

import msgspec

from notesdesk.core.domain.common import now
from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.storage.sealer import decode, encode
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import state as st
from notesdesk.core.sync.setting_kinds import BY_SECRET, KINDS, PROFILE

TABLE = "setting"
SET_ASIDE_ID = "settings-set-aside"
# Marks a base recorded when a joining device was given the setting (`given`): what it holds there is
# no edit of its own, so a version arriving from its other devices is taken over it, never set aside.
GIVEN = "given"


class SettingRefused(Exception):
    """A received setting row that does not read: pull refuses its batch."""


@dataclass(frozen=True)
class SettingChange:
    """A setting's items changed on the sending device since they last synced there. The setting is
    named inside the seal: on the server its row has a new random id each time, so a dump does not
    say which setting changed."""

    setting: str
    items: dict[str, str] = field(default_factory=dict)  # item -> its value
    base: dict[str, list[str]] = field(default_factory=dict)  # item -> the tokens it was made from
    removed: dict[str, list[str]] = field(default_factory=dict)  # item -> the tokens it was removed at
    # item -> what its value leaves out (SettingKind.mark: an instrument's wording digest); a version
    # without it ignores it.
    marks: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SetAside:
    """A version of a setting's item that did not stand here: `value` None is a removal."""

    setting: str
    item: str
    value: str | None
    device: str  # the device whose version it is ("" this one)
    why: str
    at: datetime = field(default_factory=now)


@dataclass(frozen=True)
class SetAsideSettings:
    versions: tuple[SetAside, ...] = ()
    id: str = SET_ASIDE_ID


def wire(table: str, row_id: str) -> tuple[str, str] | None:
    """A vault write that is a change of a synced setting, as it goes to the server."""
    kind = BY_SECRET.get(row_id) if table == "secret" else None
    return None if kind is None else (TABLE, kind.name)


def never_sent(uow: UnitOfWork, bases: dict[str, list[str]]) -> list[str]:
    """Settings to push that no write here names: of one item per clinician, those whose item for
    this clinician exists but never went out (a name saved before names synced: its write is behind
    the audit cursor, so it goes from here); and those looked at on every push (the profile, whose
    row is wired to the names) with an item not as it last went."""
    me = st.required_identity(uow).clinician_id
    found = [kind.name for kind in KINDS.values()
             if kind.per_clinician and me in kind.read(uow) and _base_key(kind.name, me) not in bases]
    for kind in KINDS.values():
        items = kind.read(uow) if kind.every_push else {}
        if any(not _sent(bases.get(_base_key(kind.name, i), []), kind.share(v)) for i, v in items.items()):
            found.append(kind.name)
    return found


def given(uow: UnitOfWork, setting: str, bases: dict[str, list[str]]) -> None:
    """Record the setting's items held here as the versions this device was given (a device that
    joined copied them from another): its next push sends only what is edited here after."""
    kind = KINDS[setting]
    for item, own in kind.read(uow).items():
        bases[_base_key(setting, item)] = [_token(kind.share(own)), GIVEN]
        bases[_given_key(setting, item)] = [_token(kind.share(own))]  # kept when the base moves on


def given_item(bases: dict[str, list[str]], setting: str, item: str, value: str) -> None:
    """Record one item's version as given to this device (`given`), for an item not read from the
    vault yet (this clinician's name, from the profile a join copies)."""
    bases[_base_key(setting, item)] = [_token(value)]


def _token(value: str) -> str:
    return "c:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _base_key(setting: str, item: str) -> str:
    return f"{TABLE}/{setting}/{item}"


def _given_key(setting: str, item: str) -> str:
    """The version of an item this device was given at its join: the inviting device may send it
    after (an edit it had not synced), older than an edit made here from it since."""
    return f"{TABLE}-given/{setting}/{item}"


def _sent(known: list[str], value: str) -> bool:
    """The base says this value is held in common with the other devices: sent or received, or given."""
    return known in ([_token(value)], [_token(value), GIVEN])


def _made_from(known: list[str]) -> list[str]:
    return [token for token in known if token != GIVEN]


def outgoing(uow: UnitOfWork, setting: str, bases: dict[str, list[str]]) -> bytes | None:
    """The setting's items changed here since they last synced (None: none), moving `bases` on."""
    kind = KINDS[setting]
    items = kind.read(uow)
    change = SettingChange(setting)
    for item, own in items.items():
        value = kind.share(own)
        known = bases.get(_base_key(setting, item), [])
        if not _sent(known, value):
            change.items[item], change.base[item] = value, _made_from(known)
            if kind.mark is not None and value != own:
                change.marks[item] = kind.mark(own)
            bases[_base_key(setting, item)] = [_token(value)]
    prefix = _base_key(setting, "")
    for key in [k for k in bases if k.startswith(prefix) and k[len(prefix):] not in items]:
        change.removed[key[len(prefix):]] = _made_from(bases.pop(key))
    return encode(change) if change.items or change.removed else None


def _table(uow: UnitOfWork) -> SealedTable[SetAsideSettings]:
    return SealedTable(uow.ctx, "secret", SetAsideSettings, label="vault setting")


def set_aside(uow: UnitOfWork) -> tuple[SetAside, ...]:
    """The settings' versions that did not stand here, oldest first (inside an entered unit of work)."""
    found = _table(uow).find(SET_ASIDE_ID)
    return found.versions if found else ()


def version_id(version: SetAside) -> str:
    """A set-aside version's short id, as `practice settings-aside` lists it: drawn from what the
    version is, so versions kept aside before ids were shown have one too."""
    value = "-" if version.value is None else "+" + version.value
    text = "\x1f".join((version.setting, version.item, value, version.device, version.at.isoformat()))
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def _without(uow: UnitOfWork, wanted: str) -> SetAside:
    """The version `wanted` names, taken out of those kept aside (NotFound: none is)."""
    table = _table(uow)
    found = table.find(SET_ASIDE_ID)
    versions = found.versions if found else ()
    for n, version in enumerate(versions):
        if version_id(version) == wanted.strip():
            table.replace(SetAsideSettings((*versions[:n], *versions[n + 1:])))
            return version
    raise NotFound(f"No setting's version kept aside has id {wanted.strip()[:40]}; nothing was changed.")


def take_back(uow: UnitOfWork, wanted: str) -> SetAside:
    """Make a version kept aside the one in use here (inside an entered unit of work): a new edit
    here, sent at the next sync, so it reaches every device the setting travels to."""
    version = _without(uow, wanted)
    kind = KINDS[version.setting]
    if kind.per_clinician:  # sent by that clinician's devices only: a version from here would be refused
        raise InvalidInput("A colleague's name is theirs to change in their profile: discard this version.")
    before = kind.read(uow)
    items = dict(before)
    if version.value is None:
        items.pop(version.item, None)
    else:
        items[version.item] = version.value
    why = kind.check(before, items)
    if why is not None:
        raise InvalidInput(f"This version cannot be used here ({why}); nothing was changed.")
    kind.write(uow, items, "edit")
    uow.record("practice-setting-taken-back", detail=version.setting)
    return version


def discard(uow: UnitOfWork, wanted: str) -> SetAside:
    """Drop a version kept aside (inside an entered unit of work); the audit keeps that it was."""
    version = _without(uow, wanted)
    uow.record("practice-setting-discarded", detail=version.setting)
    return version


def _keep_aside(uow: UnitOfWork, versions: list[SetAside]) -> None:
    table = _table(uow)
    found = table.find(SET_ASIDE_ID)
    kept = SetAsideSettings((*(found.versions if found else ()), *versions))
    table.add(kept) if found is None else table.replace(kept)
    uow.record("practice-setting-set-aside", detail=f"{versions[0].setting} {len(versions)}")


def _not_theirs(
    uow: UnitOfWork, change: SettingChange, device: str, sender: str, from_this_clinician: bool,
    seen: dict[str, list[str]],
) -> list[SetAside]:
    """A setting of one item per clinician (their name): a device sends only its clinician's item. An
    item for another clinician is taken out of `change` and set aside (a colleague renaming another);
    this clinician's own item comes from the profile here, so one received is never taken. From this
    clinician's other device it is that device's profile, which travels on its own: not kept, but
    recorded in `seen` as the version colleagues now hold, so the next name sent from here is made
    from it (not from an older one, which a colleague would keep aside)."""
    me = st.required_identity(uow).clinician_id
    aside: list[SetAside] = []
    for item in sorted(set(change.items) | set(change.removed)):
        if item == sender and item != me:
            continue
        value = change.items.pop(item, None)
        change.removed.pop(item, None)
        if from_this_clinician and item == me:
            key = _base_key(change.setting, me)
            if value is None:
                seen.pop(key, None)
            else:
                seen[key] = [_token(value)]
        else:
            aside.append(SetAside(change.setting, item, value, device, "a name sent for another clinician"))
    return aside


def incoming(
    uow: UnitOfWork,
    payload: bytes,
    device: str,
    this_device: str,
    from_this_clinician: bool,
    bases: dict[str, list[str]],
    sender: str = "",
    given: bool = False,
) -> str:
    """Take a received setting change in: "applied", "same", "held" (a version set aside) or "not
    taken" (a colleague's own setting: their fees). `sender`: the clinician whose device sent it.
    `given`: sent before the profile this device was given at its join (state.GivenProfile), which
    holds it already: a profile change of it is older than what is here, and is left out."""
    try:
        change = decode(payload, SettingChange)
    except msgspec.DecodeError as exc:
        raise SettingRefused("holds a setting that does not read") from exc
    setting = change.setting
    kind = KINDS.get(setting)
    if kind is None:
        raise SettingRefused(f"holds a setting this version does not sync ({setting[:20]})")
    if kind.own and not from_this_clinician:
        return "not taken"
    if given and from_this_clinician and setting == PROFILE:
        return "same"
    moved = dict(bases)
    aside = _not_theirs(uow, change, device, sender, from_this_clinician, moved) if kind.per_clinician else []
    refused = len(aside)
    before = kind.read(uow)
    items = dict(before)
    mine_stands = this_device < device
    for item, value in change.items.items():
        local = items.get(item)
        shared = None if local is None else kind.share(local)  # as this vault sent it, or would
        # Held as it was given at the join, unedited: no version of this device's own to weigh.
        unedited = shared is not None and moved.get(_base_key(setting, item)) == [_token(shared), GIVEN]
        made_from_mine = shared is not None and _token(shared) in change.base.get(item, [])
        if shared == value:
            moved[_base_key(setting, item)] = [_token(value)]
        elif moved.get(_given_key(setting, item)) == [_token(value)] and not made_from_mine:
            continue  # the version given at the join, which the one here was edited from: older
        elif shared is None or unedited or _token(shared) in change.base.get(item, []) or not mine_stands:
            if shared is not None and not unedited and _token(shared) not in change.base.get(item, []):
                aside.append(SetAside(setting, item, local, "", "changed on two computers"))
            kept = value  # the token stays the value's as sent: what this vault keeps of its own is no change
            if local is not None and kind.take is not None:
                kept = kind.take(local, value, change.marks.get(item, ""))
            items[item] = kept
            moved[_base_key(setting, item)] = [_token(value)]
        else:
            aside.append(SetAside(setting, item, value, device, "changed on two computers"))
    for item, base in change.removed.items():
        local = items.get(item)
        if local is None:
            continue
        shared = _token(kind.share(local))
        unedited = moved.get(_base_key(setting, item)) == [shared, GIVEN]
        if shared in base or unedited or not mine_stands:
            if shared not in base and not unedited:
                aside.append(SetAside(setting, item, local, "", "removed on another computer"))
            del items[item]
            moved.pop(_base_key(setting, item), None)
        else:
            aside.append(SetAside(setting, item, None, device, "changed here, removed there"))
    why = kind.check(before, items) if items != before else None
    if why is not None:  # what arrived would break the setting here: it stays as it is
        differing = {i for i, v in change.items.items() if i not in before or kind.share(before[i]) != v}
        aside = [*aside[:refused], *(SetAside(setting, item, change.items.get(item), device, why)
                 for item in sorted(differing | (set(change.removed) & set(before))))]
    else:
        bases.update(moved)
        for key in set(bases) - set(moved):
            del bases[key]
        if items != before:
            kind.write(uow, items)
    if aside:
        _keep_aside(uow, aside)
        return "held"
    return "applied" if items != before and why is None else "same"
