"""The practice's settings that sync, each read as items and written back (docs/design-notes.md §9,
"Practice settings"): imported questionnaires (by instrument id), paperwork templates (by kind), note
templates (by id) and the fee schedule (its currency and each fee). Each is one sealed row of the
vault's `secret` table, as it was before it synced; settings.py moves them item by item.

`check` says why a set of items cannot be stored (an instrument whose name another already uses, a
template text that cannot be filled): a received item that would break the setting is set aside
instead of stored, so a vault never holds a setting it cannot read."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

import msgspec

from notesdesk.core.domain.billing import FEE_SCHEDULE_ID, Fee, FeeSchedule
from notesdesk.core.domain.clients import CONTROL_CHARS, NAME_MAX
from notesdesk.core.domain.common import now
from notesdesk.core.domain.notes import NoteFormat, NoteTemplate
from notesdesk.core.domain.paperwork import ConsentKind, PaperworkTemplates
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures.fields import InstrumentInvalid
from notesdesk.core.measures.model import placeholder_items
from notesdesk.core.reports.crisis_lines import known_locale
from notesdesk.core.services.paperwork_texts import check_template
from notesdesk.core.services.profile import YEARS_MAX, YEARS_MIN, check_profile
from notesdesk.core.services.templates import TEMPLATE_SET_ID, TemplateSet
from notesdesk.core.storage import summaries
from notesdesk.core.storage.instruments import (
    INSTRUMENTS_ID,
    InstrumentFiles,
    instruments_table,
    parse_stored,
)
from notesdesk.core.storage.sealer import decode, encode
from notesdesk.core.storage.store import Identified, SealedTable
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.storage.vault_settings import PROFILE_ID
from notesdesk.core.sync import state as st

Items = dict[str, str]
PAPERWORK_ID = PaperworkTemplates().id
RECEIVED = "receive"  # audited as received, so never pushed back (a write made here: "edit", sent)


class Writer(Protocol):
    def __call__(self, uow: UnitOfWork, items: Items, action: str = RECEIVED, /) -> None: ...


@dataclass(frozen=True)
class SettingKind:
    """One synced setting. `own`: it travels only between the devices of one clinician (fees: a
    receipt is issued at its clinician's fees; docs/design-notes.md §9)."""

    name: str  # as it is named on the server (the row id of its changes)
    secret_id: str  # its row in the vault's `secret` table
    read: Callable[[UnitOfWork], Items]
    write: Writer
    check: Callable[[Items, Items], str | None]  # (before, after) -> why `after` cannot be stored
    own: bool = False
    share: Callable[[str], str] = lambda value: value  # an item as it may leave this computer
    # An item shared in part (an instrument without its wording): `mark` names the part left out, and
    # travels beside it; `take(local, received, mark)` is what is stored here of a received item.
    mark: Callable[[str], str] | None = None
    take: Callable[[str, str, str], str] | None = None
    # Items keyed by clinician id, each sent only by that clinician's devices (member names).
    per_clinician: bool = False
    # Its row is wired to another setting (settings.wire): each push looks at it (the profile).
    every_push: bool = False


def _put[T: Identified](table: SealedTable[T], row_id: str, obj: T, action: str) -> None:
    """A setting stored: received (audited so, never pushed back), or taken back here ("edit")."""
    if table.find(row_id) is None:
        table.add(obj, action="create" if action == "edit" else action)
    else:
        table.replace(obj, action=action)


# -- imported questionnaires -------------------------------------------------------------------------


def _instrument_id(raw: str) -> str:
    found = json.loads(raw)
    return str(found.get("id", "")) if isinstance(found, dict) else ""


def _read_instruments(uow: UnitOfWork) -> Items:
    found = instruments_table(uow).find(INSTRUMENTS_ID)
    return {_instrument_id(raw): raw for raw in (found.files if found else ())}


def _write_instruments(uow: UnitOfWork, items: Items, action: str = RECEIVED, /) -> None:
    _put(instruments_table(uow), INSTRUMENTS_ID, InstrumentFiles(tuple(items.values())), action)
    assert uow.session is not None
    if summaries.ready(uow.session):  # the list's standings are scored with these instruments
        summaries.rescore_all(uow)


def _may_share_wording(data: dict[str, object]) -> bool:
    licence = data.get("licence")
    return isinstance(licence, dict) and licence.get("redistribution_allowed") is True


def without_wording(raw: str) -> str:
    """An instrument as it travels: its wording (items, answer labels, stem, functional item) stays on
    the computer that imported it unless its licence allows redistribution, so a licensed text never
    leaves it. Scoring, range, bands, critical items and change rules do not depend on the wording, so
    a colleague's vault scores, bands and flags a measure of it exactly as here."""
    data = json.loads(raw)
    if not isinstance(data, dict) or _may_share_wording(data):
        return raw
    data["items"] = list(placeholder_items(len(data.get("items") or ())))
    data["options"] = [{"score": o.get("score"), "label": str(o.get("score"))}
                       for o in data.get("options") or () if isinstance(o, dict)]
    data.pop("stem", None)
    functional = data.get("functional_item")
    if isinstance(functional, dict):
        labels = functional.get("options") or ()
        data["functional_item"] = {"text": "Functional item",
                                   "options": [f"Level {n}" for n in range(len(labels))]}
    return json.dumps(data, ensure_ascii=False)


_WORDING = ("items", "options", "stem", "functional_item")


def wording_mark(raw: str) -> str:
    """A digest of an instrument's whole wording (items, answer labels with their scores, stem,
    functional item), sent beside the copy without it: a colleague holding the very same wording can
    tell, and nothing of the wording can be read from it by one who does not hold it."""
    data = json.loads(raw)
    wording = {key: data.get(key) for key in _WORDING} if isinstance(data, dict) else {}
    return "w:" + hashlib.sha256(json.dumps(wording, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def keep_wording(local: str, received: str, mark: str) -> str:
    """A new version received without its wording, over an instrument this computer holds worded (a
    colleague who imported the same file): keep the wording here when it is exactly the wording the
    importer holds (`mark`, wording_mark) and fits the new version as it fitted the old (the same
    items in the same order, answer scores, functional item: without it again, the copy is the one
    received byte for byte). Anything else, and the received copy is stored as it came (its items
    "Item N"): wording never lands on items it was not written for."""
    if not mark or mark != wording_mark(local) or without_wording(received) != received:
        return received
    kept, worded = json.loads(received), json.loads(local)
    if (not isinstance(kept, dict) or not isinstance(worded, dict) or _may_share_wording(kept)
            or kept.get("id") != worded.get("id")):
        return received  # a copy that came with its wording is taken as it came
    for key in _WORDING:
        if key in worded:
            kept[key] = worded[key]
    merged = json.dumps(kept, ensure_ascii=False)
    return merged if without_wording(merged) == received else received


def _check_instruments(before: Items, after: Items) -> str | None:
    """Valid and unambiguous; a replaced instrument keeps its items and option scores, as an import
    with replacement must (services/measures.py), so answers stored here still fit it."""
    try:
        if any(_instrument_id(raw) != key for key, raw in after.items()):
            return "an instrument filed under another id"
        old = {i.id: i for i in parse_stored(tuple(before.values()))}
        for new in parse_stored(tuple(after.values())):
            was = old.get(new.id)
            if was is not None and (
                len(was.items) != len(new.items) or not was.option_scores <= new.option_scores
            ):
                return f"instrument '{new.id}' changes its items or option scores"
    except (InstrumentInvalid, InvalidInput, ValueError) as exc:
        return str(exc).splitlines()[0][:200]
    return None


# -- paperwork templates -----------------------------------------------------------------------------


def _paperwork(uow: UnitOfWork) -> SealedTable[PaperworkTemplates]:
    return SealedTable(uow.ctx, "secret", PaperworkTemplates, label="paperwork templates")


def _read_paperwork(uow: UnitOfWork) -> Items:
    found = _paperwork(uow).find(PAPERWORK_ID)
    return {kind.value: text for kind, text in (found.texts if found else ())}


def _write_paperwork(uow: UnitOfWork, items: Items, action: str = RECEIVED, /) -> None:
    order = list(ConsentKind)
    texts = sorted(((ConsentKind(k), text) for k, text in items.items()), key=lambda kt: order.index(kt[0]))
    _put(_paperwork(uow), PAPERWORK_ID, PaperworkTemplates(texts=tuple(texts)), action)


def _check_paperwork(_before: Items, after: Items) -> str | None:
    try:
        for kind, text in after.items():
            ConsentKind(kind)
            if check_template(text) != text:
                return "a template text as it is never stored"
    except (InvalidInput, ValueError) as exc:
        return str(exc)[:200]
    return None


# -- note templates ----------------------------------------------------------------------------------


def _note_templates(uow: UnitOfWork) -> SealedTable[TemplateSet]:
    return SealedTable(uow.ctx, "secret", TemplateSet, label="note templates")


def _read_note_templates(uow: UnitOfWork) -> Items:
    found = _note_templates(uow).find(TEMPLATE_SET_ID)
    return {t.id: encode(t).decode() for t in (found.templates if found else ())}


def _write_note_templates(uow: UnitOfWork, items: Items, action: str = RECEIVED, /) -> None:
    templates = tuple(decode(raw.encode(), NoteTemplate) for raw in items.values())
    _put(_note_templates(uow), TEMPLATE_SET_ID, TemplateSet(templates), action)


def _check_note_templates(_before: Items, after: Items) -> str | None:
    names: set[str] = set()
    try:
        for key, raw in after.items():
            template = decode(raw.encode(), NoteTemplate)
            name = template.name.casefold()
            if template.id != key or not template.sections or template.name.upper() in NoteFormat.__members__:
                return "a note template that cannot be used"
            if name in names:
                return f"two note templates named '{template.name}'"
            names.add(name)
    except msgspec.DecodeError:
        return "a note template that does not read"
    return None


# -- the fee schedule --------------------------------------------------------------------------------

CURRENCY = "currency"


def _fees(uow: UnitOfWork) -> SealedTable[FeeSchedule]:
    return SealedTable(uow.ctx, "secret", FeeSchedule, label="vault setting")


def fee_item(fee: Fee) -> str:
    return "fee " + "|".join(fee.key)


def _read_fees(uow: UnitOfWork) -> Items:
    found = _fees(uow).find(FEE_SCHEDULE_ID)
    if found is None:
        return {}
    return {CURRENCY: found.currency} | {fee_item(f): encode(f).decode() for f in found.fees}


def _write_fees(uow: UnitOfWork, items: Items, action: str = RECEIVED, /) -> None:
    fees = sorted((decode(raw.encode(), Fee) for k, raw in items.items() if k != CURRENCY),
                  key=lambda f: f.key)
    schedule = FeeSchedule(items.get(CURRENCY, ""), tuple(fees), updated_at=now())
    _put(_fees(uow), FEE_SCHEDULE_ID, schedule, action)


def _check_fees(_before: Items, after: Items) -> str | None:
    try:
        for key, raw in after.items():
            if key == CURRENCY:
                continue
            fee = decode(raw.encode(), Fee)
            if fee_item(fee) != key or fee.amount < 0:
                return "a fee that cannot be charged"
    except msgspec.DecodeError:
        return "a fee that does not read"
    return None


# -- the members' names -------------------------------------------------------------------------------

MEMBER_NAMES_ID = "member-names"
MEMBER_NAMES = "member-names"  # the setting's name as it syncs (KINDS)


@dataclass(frozen=True)
class MemberNames:
    """The names colleagues gave in their profile, as received: clinician id -> item (member_name)."""

    items: tuple[tuple[str, str], ...] = ()
    id: str = MEMBER_NAMES_ID


def _member_names(uow: UnitOfWork) -> SealedTable[MemberNames]:
    return SealedTable(uow.ctx, "secret", MemberNames, label="vault setting")


def member_name(name: str, credentials: str) -> str:
    return json.dumps({"name": name, "credentials": credentials}, ensure_ascii=False)


def received_names(uow: UnitOfWork) -> dict[str, tuple[str, str]]:
    """Clinician id -> (name, credentials) as colleagues sent them (inside an entered unit of work)."""
    found = _member_names(uow).find(MEMBER_NAMES_ID)
    named = {who: json.loads(raw) for who, raw in (found.items if found else ())}
    return {who: (str(n.get("name", "")), str(n.get("credentials", ""))) for who, n in named.items()}


def _read_member_names(uow: UnitOfWork) -> Items:
    """This clinician's own name, from the profile (the one item this vault sends), and those received."""
    found = _member_names(uow).find(MEMBER_NAMES_ID)
    items = dict(found.items if found else ())
    me = st.required_identity(uow).clinician_id
    items.pop(me, None)
    own = uow.vault.profile()
    if own.name:
        items[me] = member_name(own.name, own.credentials)
    return items


def _write_member_names(uow: UnitOfWork, items: Items, action: str = RECEIVED, /) -> None:
    me = st.required_identity(uow).clinician_id
    kept = tuple(sorted((who, raw) for who, raw in items.items() if who != me))
    _put(_member_names(uow), MEMBER_NAMES_ID, MemberNames(kept), action)


def _check_member_names(_before: Items, after: Items) -> str | None:
    """Each a name and credentials as a profile stores them (services/profile.py)."""
    try:
        for raw in after.values():
            found = json.loads(raw)
            if not isinstance(found, dict) or set(found) != {"name", "credentials"}:
                return "a member's name that does not read"
            for value in found.values():
                if not isinstance(value, str) or len(value) > NAME_MAX or CONTROL_CHARS.search(value):
                    return "a member's name as a profile never stores it"
    except ValueError:
        return "a member's name that does not read"
    return None


# -- the profile, between one clinician's devices ------------------------------------------------------

PROFILE = "profile"
# The profile's fields that are the clinician's, not the device's: each an item, so two devices that
# changed different ones both keep theirs. The tax id (which may be an SSN) stays on each computer:
# a setting is sealed under the practice key, which every colleague's vault holds.
CLINICIANS_OWN: dict[str, type] = {
    "name": str, "credentials": str, "contact": str, "locale": str, "npi": str,
    "retention_years_after_service": int, "retention_years_after_majority": int, "age_of_majority": int,
}


def _profiles(uow: UnitOfWork) -> SealedTable[PractitionerProfile]:
    return SealedTable(uow.ctx, "secret", PractitionerProfile, label="vault setting")


def _read_profile(uow: UnitOfWork) -> Items:
    """The stored profile's clinician fields (none before it was first saved: nothing to send)."""
    found = _profiles(uow).find(PROFILE_ID)
    if found is None:
        return {}
    return {name: json.dumps(getattr(found, name), ensure_ascii=False) for name in CLINICIANS_OWN}


def _profile_of(before: PractitionerProfile, items: Items) -> PractitionerProfile:
    changes = {name: json.loads(raw) for name, raw in items.items() if name in CLINICIANS_OWN}
    return replace(before, **changes)


def _write_profile(uow: UnitOfWork, items: Items, action: str = RECEIVED, /) -> None:
    table = _profiles(uow)
    before = table.find(PROFILE_ID)
    profile = _profile_of(before or uow.vault.profile(), items)
    _put(table, PROFILE_ID, profile, action)
    uow.vault.stage_profile(uow, profile)  # the vault's copy in memory follows once this commits


def _check_profile(_before: Items, after: Items) -> str | None:
    """Each field of its type, as services/profile.py stores it (a known country, years in range)."""
    try:
        for name, raw in after.items():
            value = json.loads(raw)
            kind = CLINICIANS_OWN.get(name)
            if kind is None or type(value) is not kind:
                return "a profile field that does not read"
            if isinstance(value, int) and not YEARS_MIN <= value <= YEARS_MAX:
                return "a profile's years out of range"
        profile = _profile_of(PractitionerProfile(), after)
        unknown_country = profile.locale and known_locale(profile.locale) != profile.locale
        if check_profile(profile) != profile or unknown_country:
            return "a profile as it is never stored"
    except (InvalidInput, ValueError):
        return "a profile as it is never stored"
    return None


KINDS: dict[str, SettingKind] = {
    kind.name: kind
    for kind in (
        SettingKind("instruments", INSTRUMENTS_ID, _read_instruments, _write_instruments, _check_instruments,
                    share=without_wording, mark=wording_mark, take=keep_wording),
        SettingKind("paperwork", PAPERWORK_ID, _read_paperwork, _write_paperwork, _check_paperwork),
        SettingKind("note-templates", TEMPLATE_SET_ID, _read_note_templates, _write_note_templates,
                    _check_note_templates),
        SettingKind("fees", FEE_SCHEDULE_ID, _read_fees, _write_fees, _check_fees, own=True),
        # Sent when the profile is saved: its row, not the received names', goes out (settings.wire).
        SettingKind(MEMBER_NAMES, PROFILE_ID, _read_member_names, _write_member_names,
                    _check_member_names, per_clinician=True),
        # The profile's own row is wired to member-names (above): settings.never_sent looks at this.
        SettingKind(PROFILE, PROFILE_ID, _read_profile, _write_profile, _check_profile, own=True,
                    every_push=True),
    )
}
BY_SECRET = {kind.secret_id: kind for kind in KINDS.values() if not kind.every_push}
