"""Session notes: drafts that autosave, signing, addenda, copy-forward; private process notes."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from notesdesk.core.codes.cpt import CPT_CODES
from notesdesk.core.crypto import signing
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import now, today
from notesdesk.core.domain.dates import check_record_date
from notesdesk.core.domain.notes import (
    Addendum,
    AddendumKind,
    NoteFormat,
    NoteTemplate,
    PrivateNote,
    Section,
    SessionNote,
    blank_sections,
)
from notesdesk.core.domain.pending import PendingKind
from notesdesk.core.errors import Conflict, InvalidInput, SignerUnknown
from notesdesk.core.services import pending
from notesdesk.core.services.links import clear_note_references, sync_assigned_homework
from notesdesk.core.services.signatures import make_signature, signature_claim
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync.state import signers as practice_signers


def build_sections(
    fmt: NoteFormat, texts: dict[str, str], template: NoteTemplate | None = None
) -> tuple[Section, ...]:
    """Fill a format's sections from KEY=TEXT pairs; an unknown key is an error naming the keys."""
    sections = blank_sections(fmt, template)
    known = [s.key for s in sections]
    unknown = [k for k in texts if k not in known]
    if unknown:
        raise InvalidInput(
            f"Unknown section '{unknown[0]}' for {template.name if template else fmt.value}; "
            f"use: {', '.join(known)}."
        )
    return tuple(replace(s, text=texts.get(s.key, "")) for s in sections)


def _open_episode_id(uow: UnitOfWork, client_id: str) -> str | None:
    return next((e.id for e in uow.episodes.where(client_id=client_id) if e.is_open), None)


def check_session(note: SessionNote) -> None:
    """The session's details hold together: an end after the start, a CPT code from the list."""
    minutes = note.minutes
    if minutes is not None and minutes <= 0:
        raise InvalidInput("The session's end time is not after its start time; correct the times.")
    if note.cpt_code and note.cpt_code not in CPT_CODES:
        raise InvalidInput(f"{note.cpt_code[:12]} is not one of the CPT codes NotesDesk knows.")


def create_note(uow: UnitOfWork, note: SessionNote) -> SessionNote:
    if note.signature is not None:
        raise InvalidInput("A new note starts as a draft.")
    check_record_date(note.session_date, "session date")
    check_session(note)
    with uow:
        uow.clients.get(note.client_id)
        if note.episode_id is None:
            note = replace(note, episode_id=_open_episode_id(uow, note.client_id))
        uow.notes.add(note)
        sync_assigned_homework(uow, note)
        uow.commit()
    return note


def save_draft(uow: UnitOfWork, note: SessionNote) -> SessionNote:
    """Autosave and explicit save both come here; a signed note refuses, whatever the caller.
    Homework ticked as assigned in the draft is linked to it, and unticked homework unlinked, in the
    same transaction."""
    check_record_date(note.session_date, "session date")
    with uow:
        stored = uow.notes.get(note.id)
        if stored.is_signed:
            raise Conflict("This note is signed and locked; add an addendum instead.")
        note = replace(note, signature=None, updated_at=now(), client_id=stored.client_id)
        uow.notes.replace(note)
        sync_assigned_homework(uow, note, before=stored.homework_assigned)
        uow.commit()
    return note


def delete_draft(uow: UnitOfWork, note_id: str) -> None:
    """Delete an unsigned draft; homework, check-ins, measures and milestones that referred to it lose
    the link in the same transaction (homework goes back to the last other note that assigned it)."""
    with uow:
        note = uow.notes.get(note_id)
        if note.is_signed:
            raise Conflict("A signed note can never be deleted.")
        clear_note_references(uow, note)
        uow.notes.remove(note_id)
        uow.commit()


def chain_order(note: SessionNote, addenda: list[Addendum]) -> list[Addendum]:
    """Addenda in chain order, following each one's `addendum_of` hash from the note, each after
    what it follows. Addenda that follow the same item were written on two computers before either
    had the other's (a clinician's addendum and a supervisor's co-signature), so the chain is a tree:
    among those whose link is shown, the oldest (created_at, then id; timestamps tie within a second)
    comes next, so the tree reads in the order it was written. Anything that does not link in is put
    last, where verification fails it."""
    following: dict[str, list[Addendum]] = defaultdict(list)
    for addendum in addenda:
        following[addendum.addendum_of].append(addendum)
    ready: list[tuple[datetime, str, int, Addendum]] = []

    def release(content_hash: str) -> None:
        for addendum in following.pop(content_hash, []):
            heapq.heappush(ready, (addendum.created_at, addendum.id, id(addendum), addendum))

    if note.signature is not None:
        release(note.signature.content_hash)
    ordered: list[Addendum] = []
    while ready:
        addendum = heapq.heappop(ready)[-1]
        ordered.append(addendum)
        if addendum.signature is not None:
            release(addendum.signature.content_hash)
    linked = {id(a) for a in ordered}
    return ordered + sorted((a for a in addenda if id(a) not in linked), key=lambda a: (a.created_at, a.id))


def last_link(note: SessionNote, chain: list[Addendum], held: Callable[[Addendum], bool]) -> str:
    """The content hash a new addendum follows: the last addendum of `chain` (chain order) that is
    `held`, as is every one it follows (one another vault holds too), or the note."""
    assert note.signature is not None
    reached = {note.signature.content_hash}
    last = note.signature.content_hash
    for addendum in chain:
        if addendum.signature is not None and addendum.addendum_of in reached and held(addendum):
            reached.add(last := addendum.signature.content_hash)
    return last


def _signer(uow: UnitOfWork) -> tuple[bytes, str, str]:
    """The key, name and credentials every signature (note or addendum) is made with; SignerUnknown
    until both the name and the credentials are set, so nothing is ever signed by nobody."""
    profile = uow.vault.profile()
    if not profile.can_sign:
        raise SignerUnknown()
    return uow.vault.signing_private_key(), profile.name, profile.credentials


def sign_note(uow: UnitOfWork, note_id: str) -> SessionNote:
    key, signer, creds = _signer(uow)
    with uow:
        note = uow.notes.get(note_id)
        if note.is_signed:
            raise Conflict("This note is already signed.")
        if not any(s.text.strip() for s in note.sections):
            raise InvalidInput("An empty note cannot be signed.")
        if note.session_date > today():
            raise InvalidInput(
                f"A note cannot be signed before its session date ({note.session_date.isoformat()})."
            )
        check_session(note)
        signed = replace(note, signature=make_signature(note, key, signer, creds, now()))
        uow.notes.replace(signed, action="sign")
        uow.commit()
    return signed


def add_addendum(
    uow: UnitOfWork, note_id: str, kind: AddendumKind, text: str, discard_unsent: bool = False,
    held: Callable[[Addendum], bool] = lambda _addendum: True,
) -> Addendum:
    """A signed addition chained to the hash of the note or of the previous addendum. With
    `discard_unsent` (the app's addendum box), the box's kept unsent text goes in the same transaction.
    `held`: the addenda the new one may follow (a co-signature: those its clinician holds, cosign.py)."""
    if not text.strip():
        raise InvalidInput("An addendum needs some text.")
    key, signer, creds = _signer(uow)
    with uow:
        note = uow.notes.get(note_id)
        if not note.is_signed or note.signature is None:
            raise Conflict("Only a signed note takes addenda; edit the draft instead.")
        chain = chain_order(note, uow.addenda.where(note_id=note_id))
        addendum = Addendum(
            note_id=note_id,
            client_id=note.client_id,
            kind=kind,
            text=text.strip(),
            addendum_of=last_link(note, chain, held),
        )
        addendum = replace(addendum, signature=make_signature(addendum, key, signer, creds, now()))
        uow.addenda.add(addendum, action="addend")
        if discard_unsent:
            pending.drop_within(uow, note.client_id, PendingKind.ADDENDUM, note_id)
        uow.commit()
    return addendum


def addenda_counts(uow: UnitOfWork, client_id: str) -> dict[str, int]:
    """How many addenda each of a client's notes has (for lists: reading counts is not a 'view')."""
    with uow:
        addenda = uow.addenda.where(client_id=client_id)
    return dict(Counter(a.note_id for a in addenda))


def count_drafts(uow: UnitOfWork) -> int:
    """How many session notes, across every client, are still unsigned; nothing is decrypted (whether
    a note is signed is stored in clear)."""
    with uow:
        return len(uow.notes.ids(signed=0))


def count_notes(uow: UnitOfWork, client_id: str) -> int:
    """How many session notes the client has, signed or not; nothing is decrypted."""
    with uow:
        return len(uow.notes.ids(client_id=client_id))


def list_notes(uow: UnitOfWork, client_id: str) -> list[SessionNote]:
    with uow:
        notes = uow.notes.where(client_id=client_id)
    return sorted(notes, key=lambda n: (n.session_date, n.created_at), reverse=True)


def get_note(uow: UnitOfWork, note_id: str) -> tuple[SessionNote, list[Addendum]]:
    with uow:
        note = uow.notes.get(note_id)
        addenda = chain_order(note, uow.addenda.where(note_id=note_id))
        uow.record("view", "note", note_id)
        uow.commit()
    return note, addenda


def verify_note(uow: UnitOfWork, note: SessionNote, addenda: list[Addendum]) -> bool:
    """True when the note and every addendum verify and the addendum chain is unbroken: each item under
    this vault's key or, in a group practice, under the key of the colleague who signed it."""
    if uow.session is None:  # called outside a unit of work: the practice's keys are read in one
        with uow:
            return verify_note(uow, note, addenda)
    return chain_valid(note, addenda, signer_keys(uow))


def signer_keys(uow: UnitOfWork) -> dict[str, bytes]:
    """The public keys notes may be signed with, by fingerprint: this vault's and, in a group practice,
    its colleagues'. Read once per unit of work (`verify` checks every signed note); call inside one."""
    assert uow.session is not None
    keys: dict[str, bytes] | None = uow.session.info.get("note-signers")
    if keys is None:
        own = uow.vault.signing_public_key()
        keys = uow.session.info["note-signers"] = practice_signers(uow) | {signing.fingerprint(own): own}
    return keys


Claim = tuple[str, bytes, bytes]
"""One signature left to check: (the signing key's fingerprint, the signature, the digest it signs)."""


def chain_valid(note: SessionNote, addenda: list[Addendum], public: bytes | Mapping[str, bytes]) -> bool:
    """verify_note with a given public key (an export's, checked before it is imported), or keys by
    fingerprint (a practice's members)."""
    claims = chain_claims(note, addenda)
    if claims is None:
        return False
    if isinstance(public, bytes):
        return all(signing.verify(public, sig, digest) for _key, sig, digest in claims)
    return all(signing.verify(public.get(key, b""), sig, digest) for key, sig, digest in claims)


def chain_claims(note: SessionNote, addenda: list[Addendum]) -> list[Claim] | None:
    """The signatures chain_valid checks, once every content hash and every link of the chain holds;
    None at the first that does not. `verify` checks the claims of every note together, grouped by
    signing key (crypto/signing.py verify_many)."""
    first = signature_claim(note)
    if first is None or note.signature is None:
        return None
    claims = [(note.signature.key_fingerprint, *first)]
    linked = {note.signature.content_hash}  # each addendum follows the note or one before it in order
    for addendum in addenda:
        claim = signature_claim(addendum) if addendum.addendum_of in linked else None
        if claim is None or addendum.signature is None:
            return None
        claims.append((addendum.signature.key_fingerprint, *claim))
        linked.add(addendum.signature.content_hash)
    return claims


@dataclass(frozen=True)
class NoteView:
    """A note as it is shown: its addenda in chain order, its client, and whether the signatures
    hold (None for a draft, which has none)."""

    note: SessionNote
    addenda: list[Addendum]
    client: Client
    signature_valid: bool | None


def show_note(uow: UnitOfWork, note_id: str) -> NoteView:
    """Read a note to show it, in one unit of work, audited as a view of that note."""
    with uow:
        note = uow.notes.get(note_id)
        addenda = chain_order(note, uow.addenda.where(note_id=note_id))
        client = uow.clients.get(note.client_id)
        valid = verify_note(uow, note, addenda) if note.is_signed else None
        uow.record("view", "note", note_id)
        uow.commit()
    return NoteView(note, addenda, client, valid)


def edit_draft(
    uow: UnitOfWork, note_id: str, change: Callable[[SessionNote], SessionNote]
) -> SessionNote:
    """Change a draft: `change` gets the stored note and returns it changed (what the user gave, over
    what the draft has). Written by save_draft, so every check of a draft's save applies (a signed
    note refuses)."""
    with uow:
        stored = uow.notes.get(note_id)
    return save_draft(uow, change(stored))


CARRIED_SECTION = "plan"
"""The one section whose text copy forward carries: what was planned is what this session picks up."""


def copy_forward(uow: UnitOfWork, client_id: str, session_date: date) -> tuple[SessionNote, bool]:
    """A draft for `session_date` that carries the structure of the client's latest note — format,
    session type, objectives and interventions, the homework it assigned (to review now) — and the
    text of its Plan section only; every other section starts empty (a cloned note is not a record of
    this session). When the client already has a draft dated that day, that draft is returned and
    nothing is made. Returns (the draft, whether it was made now)."""
    with uow:
        uow.clients.get(client_id)
        listed = sorted(uow.notes.where(client_id=client_id), key=lambda n: (n.session_date, n.created_at))
        same_day = [n for n in listed if n.session_date == session_date and not n.is_signed]
        if same_day:
            return same_day[-1], False
        earlier = [n for n in listed if n.session_date <= session_date] or listed
        if not earlier:
            raise InvalidInput("This client has no earlier note to copy from.")
        last = earlier[-1]
        draft = SessionNote(
            client_id=client_id,
            session_date=session_date,
            episode_id=_open_episode_id(uow, client_id),
            format=last.format,
            template_name=last.template_name,
            session_type=last.session_type,
            sections=tuple(replace(s, text=s.text if s.key == CARRIED_SECTION else "")
                           for s in last.sections),
            objectives_addressed=last.objectives_addressed,
            interventions=last.interventions,
            homework_reviewed=last.homework_assigned,
        )
        uow.notes.add(draft)
        uow.commit()
    return draft, True


# -- psychotherapy (private process) notes ---------------------------------------------------------


def add_private_note(uow: UnitOfWork, note: PrivateNote) -> PrivateNote:
    if not note.text.strip():
        raise InvalidInput("A psychotherapy note needs some text.")
    with uow:
        uow.clients.get(note.client_id)
        uow.private_notes.add(note)
        uow.commit()
    return note


def update_private_note(uow: UnitOfWork, note: PrivateNote) -> PrivateNote:
    note = replace(note, updated_at=now())
    with uow:
        uow.private_notes.replace(note)
        uow.commit()
    return note


def get_private_note(uow: UnitOfWork, note_id: str) -> PrivateNote:
    with uow:
        note = uow.private_notes.get(note_id)
        uow.record("view", "private_note", note_id)
        uow.commit()
    return note


def show_private_note(uow: UnitOfWork, note_id: str) -> tuple[PrivateNote, Client]:
    """A psychotherapy note and its client, in one unit of work, audited as a view of that note."""
    with uow:
        note = uow.private_notes.get(note_id)
        client = uow.clients.get(note.client_id)
        uow.record("view", "private_note", note_id)
        uow.commit()
    return note, client


def list_private_notes(uow: UnitOfWork, client_id: str) -> list[PrivateNote]:
    with uow:
        notes = uow.private_notes.where(client_id=client_id)
        uow.record("view", "private_note", client_id)
        uow.commit()
    return sorted(notes, key=lambda n: (n.note_date, n.created_at), reverse=True)
