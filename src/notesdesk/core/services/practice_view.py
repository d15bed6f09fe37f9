"""What the app shows of a group practice (docs/design-notes.md §9): its members with their devices and
state, and who can read one client now. Reads only: sharing and removing are practice_access's.

`overview` and `readers` ask the server (call them off the UI thread); `known_readers` reads the copy
each sync keeps in the vault (core/sync/known_readers.py) and asks nothing. The server holds no
clinician's name in the clear (README's practice section): a colleague is named by the name in their
profile, which travels sealed as a practice setting (sync/setting_kinds.py, "member-names"); before it
has arrived, by the name they sign with, taken from the signed notes and addenda in this vault whose
key is that clinician's certified note key; otherwise by the start of their clinician id. A name is
shown with its credentials, as a signature line shows them ("Dr Bob Ng, LCSW")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from notesdesk.core.crypto import signing
from notesdesk.core.domain.notes import Signature
from notesdesk.core.services import practice
from notesdesk.core.services.sync_state import to_resolve
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import access, crypto, roster, server
from notesdesk.core.sync import known_readers as known
from notesdesk.core.sync import state as st
from notesdesk.core.sync.setting_kinds import received_names

MEMBER = "member"
WAITING = "waiting"  # joined, not yet added by a member (its keys are not vouched for)
REMOVED = "removed"


@dataclass(frozen=True)
class Member:
    clinician_id: str
    name: str  # from their profile, or as they sign (signed_name); "" when neither is known here
    devices: int
    state: str  # MEMBER, WAITING or REMOVED
    you: bool = False

    @property
    def label(self) -> str:
        return clinician_label(self.clinician_id, self.name, self.you)


@dataclass(frozen=True)
class Reader:
    """One clinician who holds the key a client's new records are sealed under."""

    clinician_id: str
    name: str
    role: str  # crypto.CLINICIAN or crypto.SUPERVISOR
    you: bool = False

    @property
    def supervisor(self) -> bool:
        return self.role == crypto.SUPERVISOR

    @property
    def label(self) -> str:
        text = clinician_label(self.clinician_id, self.name, self.you)
        return f"{text} (supervisor)" if self.supervisor else text


@dataclass(frozen=True)
class PracticeView:
    status: practice.Status
    members: list[Member]
    to_resolve: int
    devices: dict[str, str] = field(default_factory=dict)  # device id -> its clinician's id


def signed_name(name: str, credentials: str) -> str:
    """'Dr Bob Ng, LCSW': a name with its credentials, as a signed note's signature line shows them."""
    return ", ".join(part for part in (name.strip(), credentials.strip()) if part) if name.strip() else ""


def clinician_label(clinician_id: str, name: str, you: bool = False) -> str:
    """'Dr Ada Byrne, LCSW', or 'clinician 3f2a91c0' when no name is known here; 'you' for this clinician."""
    text = name or f"clinician {clinician_id[:8]}"
    return f"{text} (you)" if you else text


def _names(signatures: Iterable[Signature | None], clinician_of_key: dict[str, str]) -> dict[str, str]:
    """Clinician id -> the name and credentials on their newest signature among these."""
    newest: dict[str, tuple[datetime, str]] = {}
    for sig in signatures:
        if sig is None or not sig.signer or sig.key_fingerprint not in clinician_of_key:
            continue
        who = clinician_of_key[sig.key_fingerprint]
        if who not in newest or newest[who][0] < sig.signed_at:
            newest[who] = (sig.signed_at, signed_name(sig.signer, sig.credentials))
    return {who: name for who, (_at, name) in newest.items()}


def _signatures(uow: UnitOfWork, client_id: str | None) -> list[Signature | None]:
    equals = {} if client_id is None else {"client_id": client_id}
    with uow:
        notes = [n.signature for n in uow.notes.where(signed=1, **equals)]
        addenda = [a.signature for a in uow.addenda.where(**equals)]
    return notes + addenda


def _own_name(uow: UnitOfWork) -> str:
    own = uow.vault.profile()
    return signed_name(own.name, own.credentials)


def _profile_names(uow: UnitOfWork) -> dict[str, str]:
    """Clinician id -> the name and credentials colleagues gave in their profile, as received here."""
    with uow:
        named = received_names(uow).items()
    return {who: signed_name(name, credentials) for who, (name, credentials) in named if name}


def overview(uow: UnitOfWork) -> PracticeView:
    """The practice as this vault sees it: the status `practice status` prints, every clinician the
    server lists (a device is a member's only when certified under the practice key this vault holds;
    a vault waiting to be added holds none, and lists only itself), and the received versions waiting
    to be resolved."""
    status = practice.status(uow)
    with uow:
        ident = st.required_identity(uow)
        waiting = to_resolve(uow)
    engine = server.engine_for(ident.server_url)
    try:
        with server.connected(engine) as connection:
            listed = roster.devices(connection, ident.practice_id)
            removed = access.removed_devices(connection, ident.practice_id)
            trusted = (
                roster.certified(connection, ident.practice_id, ident.key, ident.key_version)
                if ident.practice_key else {}
            )
    finally:
        engine.dispose()
    states: dict[str, list[str]] = {}
    for device_id, entry in listed.items():
        if not ident.practice_key and device_id != ident.device_id:
            continue  # nothing the server lists can be checked before a member adds this clinician
        if device_id in removed or entry.keys.clinician_id in ident.removed:
            state = REMOVED
        elif device_id in trusted:
            state = MEMBER
        else:
            state = WAITING
        states.setdefault(entry.keys.clinician_id, []).append(state)
    key_owner = {signing.fingerprint(k.note_public): k.clinician_id for k in trusted.values()}
    names = _names(_signatures(uow, None), key_owner) if key_owner else {}
    names |= _profile_names(uow)
    names[ident.clinician_id] = _own_name(uow)
    members = [
        Member(
            who,
            names.get(who, ""),
            len(found),
            # A clinician is a member while any of their devices is; removed when all are.
            MEMBER if MEMBER in found else WAITING if WAITING in found else REMOVED,
            who == ident.clinician_id,
        )
        for who, found in states.items()
    ]
    order = {MEMBER: 0, WAITING: 1, REMOVED: 2}
    members.sort(key=lambda m: (order[m.state], not m.you, not m.name, m.label.casefold()))
    devices = {device_id: entry.keys.clinician_id for device_id, entry in listed.items()}
    return PracticeView(status, members, waiting, devices)


def _named(
    uow: UnitOfWork,
    ident: st.SyncIdentity,
    client_id: str,
    holding: dict[str, str],
    key_owner: dict[str, str],
) -> list[Reader]:
    """The holders of a client's key as readers, each named from what this vault holds."""
    names = _profile_names(uow)
    names[ident.clinician_id] = _own_name(uow)
    if key_owner and any(who not in names for who in holding if who != crypto.RECOVERY):
        # Only then the client's signed records are read (the overview's line is read as it opens).
        names = _names(_signatures(uow, client_id), key_owner) | names
    found = [
        Reader(who, names.get(who, ""), role, who == ident.clinician_id)
        for who, role in holding.items()
        if who != crypto.RECOVERY
    ]
    found.sort(key=lambda r: (not r.you, r.supervisor, not r.name, r.label.casefold()))
    return found


def readers(uow: UnitOfWork, client_id: str) -> list[Reader]:
    """Who holds the key this client's new records are sealed under, as the server lists it (only
    copies a member certified count), the practice recovery key left out. Empty for a client not yet
    shared from this vault (its first key is drawn at the next sync)."""
    with uow:
        ident = st.required_identity(uow)
        keys = access.load(uow)
    name = access.current(keys, client_id)
    if name is None or not ident.practice_key:
        return []
    engine = server.engine_for(ident.server_url)
    try:
        with server.connected(engine) as connection:
            holding = access.holders(connection, ident, client_id, name)
            trusted = roster.certified(connection, ident.practice_id, ident.key, ident.key_version)
    finally:
        engine.dispose()
    key_owner = {signing.fingerprint(k.note_public): k.clinician_id for k in trusted.values()}
    return _named(uow, ident, client_id, holding, key_owner)


@dataclass(frozen=True)
class KnownReaders:
    """Who can read a client as the vault last learnt it (core/sync/known_readers.py): no server asked."""

    readers: list[Reader]
    filled_at: datetime | None  # the sync that last refreshed who reads what; None: never yet
    outdated: bool  # never filled, or a sync failed since: the server may say otherwise now


def known_readers(uow: UnitOfWork, client_id: str) -> KnownReaders | None:
    """The overview's line from the vault alone; None for a vault that is not a member of a practice.
    A client missing from the copy is read by this clinician only (nobody else holds its key: it was
    made here after the last sync, or its first key is drawn at the next one)."""
    with uow:
        ident = st.identity(uow)
        if ident is None or not ident.practice_key:
            return None
        copy = known.load(uow)
    holding = copy.readers.get(client_id) or {ident.clinician_id: crypto.CLINICIAN}
    return KnownReaders(
        _named(uow, ident, client_id, holding, copy.note_keys), copy.filled_at, copy.outdated
    )


def shared_with(found: Iterable[Reader]) -> str:
    """The overview's line: 'Shared with: Dr A. Byrne, PsyD; B. Okafor, LCSW (supervisor)' (yourself
    left out; a semicolon between clinicians, as credentials hold commas); '' for a client nobody
    else can read."""
    others = [r.label for r in found if not r.you]
    return f"Shared with: {'; '.join(others)}" if others else ""
