"""What syncs, table by table, and how a received row is taken in (docs/design-notes.md §9).

Signed notes, addenda, plan reviews and agreements, phase entries, diagnoses, letters and payments are
append-only: a received one is added, never changed. Client details, homework (with its check-ins),
milestones, a signed plan version's status, episodes of care, measures, the next session, consents (a
withdrawal) and receipts (a void) are edited in place; safety plans
and signed plan versions are *versioned* (each save or activation is a new row). Every shared row of
those goes out inside a `Shared` envelope naming the revisions it was made from (its `base`): the
content token of the row as last synced for an edit in place, the id token of the client's newest
version for a new version. A received edit whose base holds what this vault has is applied; otherwise
it is kept, sealed, beside this vault's version in `sync_conflict` until a person chooses
(services/sync_conflicts.py), and nothing is overwritten."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, field, replace
from typing import Any

import msgspec

from notesdesk.core.crypto import signing
from notesdesk.core.domain.attachments import Attachment, AttachmentChunk
from notesdesk.core.domain.billing import Payment, Receipt
from notesdesk.core.domain.care import Homework, MeasureAdministration, Milestone, PhaseEntry, SafetyPlan
from notesdesk.core.domain.clients import Client, Episode
from notesdesk.core.domain.common import now
from notesdesk.core.domain.notes import Addendum, SessionNote
from notesdesk.core.domain.paperwork import Consent, Letter
from notesdesk.core.domain.plans import PlanAgreement, PlanStatus, SignedReview, TreatmentPlan
from notesdesk.core.domain.sync_conflicts import Kept, SyncConflict
from notesdesk.core.domain.visits import Diagnosis, NextSession
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.services.signatures import Signable, signature_claim, signature_valid
from notesdesk.core.storage.sealer import decode, encode
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync.access import client_of
from notesdesk.core.sync.arrivals import Arrivals
from notesdesk.core.sync.state import BASES_ID, identity


class Refused(NotesdeskError):
    """A received row that must not be taken in; pull names the device and refuses the batch."""


@dataclass(frozen=True)
class Spec:
    """How one table syncs. versioned: a new row is a new version of the client's record. editable: a
    shared row may change in place later. signed: verified under a practice member's key on arrival."""

    table: str
    repository: str
    kind: type[Any]
    versioned: bool = False
    editable: bool = True
    signed: bool = False
    enveloped: bool = True  # notes and addenda go bare, as they did before edits synced
    # removable: a removal here travels as a tombstone (core/sync/tombstones.py) and is applied there.
    removable: bool = False


# In dependency order: a row's parents are pushed (and so pulled) before it.
SPECS: dict[str, Spec] = {
    spec.table: spec
    for spec in (
        Spec("client", "clients", Client),
        Spec("note", "notes", SessionNote, editable=False, signed=True, enveloped=False),
        Spec("addendum", "addenda", Addendum, editable=False, signed=True, enveloped=False),
        Spec("plan", "plans", TreatmentPlan, versioned=True, signed=True),
        Spec("plan_review", "plan_reviews", SignedReview, editable=False, signed=True),
        Spec("plan_agreement", "plan_agreements", PlanAgreement, editable=False, signed=True),
        Spec("homework", "homework", Homework),
        Spec("milestone", "milestones", Milestone),
        Spec("safety_plan", "safety_plans", SafetyPlan, versioned=True, editable=False),
        # The rest of the clinical record. An episode is closed (discharge) and a measure unlinked
        # from a deleted draft note in place; phase entries and diagnoses are only ever added.
        Spec("episode", "episodes", Episode),
        Spec("phase", "phases", PhaseEntry, editable=False),
        Spec("measure", "measures", MeasureAdministration),
        Spec("diagnosis", "diagnoses", Diagnosis, editable=False, removable=True),
        Spec("next_session", "next_sessions", NextSession, removable=True),
        # Paperwork and billing: a withdrawal and a void are edits; letters (kept as sent) and payments
        # are only ever added.
        Spec("consent", "consents", Consent, removable=True),
        Spec("letter", "letters", Letter, editable=False),
        Spec("payment", "payments", Payment, editable=False, removable=True),
        Spec("receipt", "receipts", Receipt),
        # Attachments: the record (which binds its chunks' count, the file's size and SHA-256) before
        # its chunks; only ever added, sent bare like notes (a chunk is 1 MiB: no envelope to keep).
        Spec("attachment", "attachments", Attachment, editable=False, enveloped=False, removable=True),
        Spec("attachment_chunk", "attachment_chunks", AttachmentChunk, editable=False, enveloped=False,
             removable=True),
    )
}
SYNCED_TABLES = tuple(SPECS)
REMOVED_HERE = "removed"  # a row's base once its removal has gone out (tombstones.py)


@dataclass(frozen=True)
class Shared:
    """A shared row as it travels: its JSON and the revisions (tokens) it was made from."""

    row: str
    base: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncBases:
    """Per shared row (and per client's versioned record) the tokens it was last synced at: the base of
    the next edit this device pushes. Sealed in `secret`; never leaves the device."""

    bases: dict[str, list[str]] = field(default_factory=dict)
    id: str = BASES_ID


def content_token(row: bytes) -> str:
    return "c:" + hashlib.sha256(row).hexdigest()[:32]


def version_token(row_id: str) -> str:
    return "id:" + row_id


def row_key(table: str, row_id: str) -> str:
    return f"{table}/{row_id}"


def version_key(table: str, client_id: str) -> str:
    return f"{table}/client/{client_id}"


def repository_of(uow: UnitOfWork, table: str) -> SealedTable[Any]:
    repository: SealedTable[Any] = getattr(uow, SPECS[table].repository)
    return repository


def _bases_table(uow: UnitOfWork) -> SealedTable[SyncBases]:
    return SealedTable(uow.ctx, "secret", SyncBases, label="vault setting")


def load_bases(uow: UnitOfWork) -> dict[str, list[str]]:
    found = _bases_table(uow).find(BASES_ID)
    return {} if found is None else dict(found.bases)


def save_bases(uow: UnitOfWork, bases: dict[str, list[str]]) -> None:
    """Written only when changed: a sync that moved nothing leaves no write behind."""
    table = _bases_table(uow)
    found = table.find(BASES_ID)
    if found is None:
        if bases:
            table.add(SyncBases(bases))
    elif found.bases != bases:
        table.replace(SyncBases(bases))


def _shareable(obj: object) -> bool:
    """Drafts (of notes and of plans) belong to their author and stay here."""
    if isinstance(obj, SessionNote | TreatmentPlan):
        return obj.is_signed
    return True


def newest_version(uow: UnitOfWork, table: str, client_id: str, waiting: Iterable[Any] = ()) -> Any | None:
    """The client's current shared version of a versioned record: for plans the active signed version
    (else the newest signed one), for safety plans the newest. `waiting`: versions received in this
    pull and not inserted yet (arrivals.py), counted as if they were."""
    stored = repository_of(uow, table).where(client_id=client_id)
    also = [v for v in waiting if v.client_id == client_id]
    versions = [v for v in stored + also if _shareable(v)]
    active = [v for v in versions if isinstance(v, TreatmentPlan) and v.status is PlanStatus.ACTIVE]
    return max(active or versions, key=lambda v: (v.version, v.created_at)) if versions else None


def outgoing(
    uow: UnitOfWork, table: str, row_id: str, bases: MutableMapping[str, list[str]],
    keep: Callable[[Any], bool] = lambda _obj: True,
) -> tuple[bytes, int, Any] | None:
    """The row as it goes to the server (its payload, local revision and the record itself), or None
    when it stays here (deleted, a draft, or not `keep`: e.g. a supervisor's own writes of a client
    they only supervise); moves `bases` on to what is sent."""
    spec = SPECS[table]
    repository = repository_of(uow, table)
    found = repository.find(row_id)
    if found is None or not _shareable(found) or not keep(found):
        return None
    row = encode(found)
    rev = repository.rev_of(row_id)
    if not spec.enveloped:
        return row, rev, found
    key = row_key(table, row_id)
    first = key not in bases
    if not first:
        base = bases[key]
    elif spec.versioned:
        base = bases.get(version_key(table, found.client_id), [])
    else:
        base = []
    bases[key] = [content_token(row)]
    if spec.versioned and first:
        bases[version_key(table, found.client_id)] = [version_token(row_id)]
    return encode(Shared(row.decode(), tuple(base))), rev, found


@dataclass(frozen=True)
class Opened:
    """A received row decoded once: the record, its JSON and the base it names; `signed`: whether its
    signature holds under a member's key (None: not checked yet, or a table that is not signed)."""

    table: str
    obj: Any
    row: bytes
    base: tuple[str, ...]
    signed: bool | None = None


def open_received(table: str, row_id: str, payload: bytes) -> Opened:
    """A received row's payload decoded (Refused when it is of no synced kind or does not decode)."""
    spec = SPECS.get(table)
    if spec is None:
        raise Refused(f"holds a row of a kind this version does not sync ({table[:20]})")
    return Opened(table, *_opened(spec, row_id, payload))


def check_signatures(rows: list[Opened | None], signers: dict[str, bytes]) -> list[Opened | None]:
    """The rows with each signed record's signature checked (`_signed_by_member` of each), all of a
    push's together: signing.verify_many spreads them over both cores."""
    claims: dict[bytes, list[tuple[int, tuple[bytes, bytes]]]] = {}
    verdicts: dict[int, bool] = {}
    for n, item in enumerate(rows):
        if item is None or item.table not in SPECS or not SPECS[item.table].signed:  # not: a tombstone
            continue
        sig = item.obj.signature
        key = signers.get(sig.key_fingerprint) if sig is not None else None
        claim = signature_claim(item.obj) if key is not None else None
        if key is None or claim is None:
            verdicts[n] = False
        else:
            claims.setdefault(key, []).append((n, claim))
    for key, listed in claims.items():
        results = signing.verify_many(key, [claim for _n, claim in listed])
        verdicts.update((n, ok) for (n, _claim), ok in zip(listed, results, strict=True))
    return [
        replace(item, signed=verdicts[n]) if item is not None and n in verdicts else item
        for n, item in enumerate(rows)
    ]


def _signed_by_member(item: Signable, signers: dict[str, bytes]) -> bool:
    sig = item.signature
    key = signers.get(sig.key_fingerprint) if sig is not None else None
    return key is not None and signature_valid(item, key)


def _opened(spec: Spec, row_id: str, payload: bytes) -> tuple[Any, bytes, tuple[str, ...]]:
    try:
        if spec.enveloped:
            shared = decode(payload, Shared)
            row, base = shared.row.encode(), shared.base
        else:
            row, base = payload, ()
        obj = decode(row, spec.kind)
    except msgspec.DecodeError as exc:
        raise Refused("holds a row that fails its seal") from exc
    if obj.id != row_id:
        raise Refused("holds a row filed under another row's id")
    return obj, row, base


def _check_parents(arrivals: Arrivals, obj: Any) -> None:
    if isinstance(obj, Addendum) and not arrivals.exists("note", obj.note_id):
        raise Refused("holds an addendum whose note has not arrived")
    if isinstance(obj, SignedReview | PlanAgreement) and not arrivals.exists("plan", obj.plan_id):
        raise Refused("holds a plan review or agreement whose plan version is not here")
    if isinstance(obj, AttachmentChunk) and not arrivals.exists("attachment", obj.attachment_id):
        raise Refused("holds a part of an attachment that has not arrived")
    if not isinstance(obj, Client) and not arrivals.exists("client", obj.client_id):
        raise Refused("holds a record whose client has not arrived")


def incoming(
    uow: UnitOfWork,
    table: str,
    row_id: str,
    device: str,
    payload: bytes,
    signers: dict[str, bytes],
    bases: dict[str, list[str]],
    arrivals: Arrivals | None = None,
    admit: Callable[[Any], str | None] = lambda _obj: None,
    opened: Opened | None = None,
) -> str:
    """Take one verified row in: "added", "applied" (an edit of what this vault holds), "same",
    "held" (an append-only record that differs here: kept as it is here) or "conflict" (kept beside);
    or what `admit` says of the opened record when it is not to be taken in (it may also refuse).
    A row new here (of a versioned record, a version made from the current one) waits in `arrivals`
    to be inserted with the rest of its push (without `arrivals`, at once); any other is taken in
    after the waiting ones are inserted. `opened`: the payload decoded already (open_received), its
    signature perhaps checked (check_signatures)."""
    alone = arrivals is None
    if arrivals is None:
        arrivals = Arrivals(uow)
    spec = SPECS.get(table)
    if spec is None:
        raise Refused(f"holds a row of a kind this version does not sync ({table[:20]})")
    if opened is None:
        opened = Opened(table, *_opened(spec, row_id, payload))
    obj, row, base = opened.obj, opened.row, opened.base
    declined = admit(obj)
    if declined is not None:
        return declined
    if spec.signed and not (_signed_by_member(obj, signers) if opened.signed is None else opened.signed):
        raise Refused("holds a signed record whose signature fails")
    if (isinstance(obj, AttachmentChunk) and not arrivals.exists("attachment", obj.attachment_id)
            and bases.get(row_key("attachment", obj.attachment_id)) == [REMOVED_HERE]):
        return "held"  # a later part of an attachment removed here while it was still arriving
    _check_parents(arrivals, obj)
    if _recorded_here_already(uow, obj, arrivals.waiting("diagnosis")):
        return "held"
    if not arrivals.exists(table, row_id) and _in_turn(uow, spec, obj, base, arrivals):
        arrivals.add(table, obj)
        if spec.enveloped:
            bases[row_key(table, row_id)] = [content_token(row)]
            if spec.versioned:
                bases[version_key(table, obj.client_id)] = [version_token(row_id)]
            if arrivals.conflicts_waiting():
                _settle(uow, table, obj, set(base))
        if alone:
            arrivals.settle()
        return "added"
    arrivals.settle()
    arrivals.forget(table, row_id)  # whatever happens to it below, it is asked about again after
    if not spec.enveloped:  # notes and addenda: append-only, no revisions to keep (20,000 of them)
        return _append_only(uow, spec, obj, row)
    repository = repository_of(uow, table)
    local = repository.find(row_id)
    token = content_token(row)
    if local is not None:
        mine = encode(local)
        if mine == row:  # also a choice made elsewhere that matches this vault's version
            bases[row_key(table, row_id)] = [token]
            _settle(uow, table, obj, set(base))
            return "same"
        if not spec.editable:
            return "held"
        if _chosen_here_first(uow, table, obj, set(base), device):
            return "same"
        aside = _held_aside(uow, table, row_id)
        aside_base = aside is not None and content_token(aside.theirs.encode()) in base
        if content_token(mine) not in base and not aside_base:
            _keep(uow, table, local, mine, content_token(mine), obj, row, token, device)
            return "conflict"
        if aside is not None and not {aside.mine_token, aside.theirs_token} <= set(base):
            # A further edit of a version still waiting for a choice: it stays aside, updated.
            uow.sync_conflicts.replace(replace(aside, theirs=row.decode()))
            obj = replace(obj, status=PlanStatus.SUPERSEDED)
        repository.replace(obj, action="receive")
    else:
        newest = newest_version(uow, table, obj.client_id) if spec.versioned else None
        if newest is not None and version_token(newest.id) not in base:
            _keep(uow, table, newest, encode(newest), version_token(newest.id), obj, row,
                  version_token(row_id), device)
            if not isinstance(obj, TreatmentPlan):
                return "conflict"
            # A signed plan version is stored, set aside as superseded until a person chooses (its
            # status is not signed), so its reviews and agreement can arrive after it.
            repository.add(replace(obj, status=PlanStatus.SUPERSEDED), action="receive")
            bases[row_key(table, row_id)] = [token]
            return "conflict"
        repository.add(obj, action="receive")
        if spec.versioned:
            bases[version_key(table, obj.client_id)] = [version_token(row_id)]
    bases[row_key(table, row_id)] = [token]
    _settle(uow, table, obj, set(base))
    return "applied" if local is not None else "added"


def _recorded_here_already(uow: UnitOfWork, obj: Any, waiting: Iterable[Any]) -> bool:
    """A diagnosis whose code this vault already records on the client (under another id: both devices
    recorded it offline), stored or waiting in this pull to be: the first stays and the code is not
    listed twice."""
    if not isinstance(obj, Diagnosis):
        return False
    here = [*uow.diagnoses.where(client_id=obj.client_id), *waiting]
    return any(d.client_id == obj.client_id and d.code == obj.code and d.id != obj.id for d in here)


def _in_turn(uow: UnitOfWork, spec: Spec, obj: Any, base: tuple[str, ...], arrivals: Arrivals) -> bool:
    """A row new here that is simply added: of a table that is not versioned, or a version made from
    the client's current one here (among those stored and those waiting to be)."""
    if not spec.versioned:
        return True
    newest = newest_version(uow, spec.table, obj.client_id, arrivals.waiting(spec.table))
    return newest is None or version_token(newest.id) in base


def _append_only(uow: UnitOfWork, spec: Spec, obj: Any, row: bytes) -> str:
    repository = repository_of(uow, spec.table)
    local = repository.find(obj.id)
    if local is not None:
        return "same" if encode(local) == row else "held"
    repository.add(obj, action="receive")
    return "added"


def _chosen_here_first(uow: UnitOfWork, table: str, obj: Any, base: set[str], device: str) -> bool:
    """Both devices chose between the same two versions before either heard of the other's choice: the
    choice of the device with the smaller id stands on both (each applies the same rule), so they
    converge instead of swapping versions."""
    for kept in uow.sync_conflicts.where(client_id=client_of(table, obj)):
        if kept.table == table and kept.kept in (Kept.MINE, Kept.THEIRS, Kept.MERGED) and {
            kept.mine_token, kept.theirs_token
        } <= base:
            found = identity(uow)
            return found is not None and found.device_id < device
    return False


def _held_aside(uow: UnitOfWork, table: str, row_id: str) -> SyncConflict | None:
    """The open conflict holding this row as the other device's version, set aside here (plans)."""
    if table != "plan":
        return None
    row = uow.plans.find(row_id)
    if row is None:
        return None
    for kept in uow.sync_conflicts.where(client_id=row.client_id):
        if kept.is_open and kept.table == table and kept.theirs_id == row_id:
            return kept
    return None


def _keep(
    uow: UnitOfWork,
    table: str,
    mine: Any,
    mine_row: bytes,
    mine_token: str,
    theirs: Any,
    theirs_row: bytes,
    theirs_token: str,
    device: str,
) -> None:
    """Both versions, sealed, in `sync_conflict` (audited like every write); this vault's stays live."""
    client_id = client_of(table, theirs)
    for kept in uow.sync_conflicts.where(client_id=client_id):
        if kept.table == table and kept.theirs_token == theirs_token and kept.mine_token == mine_token:
            return
    uow.sync_conflicts.add(
        SyncConflict(
            client_id=client_id,
            table=table,
            row_id=mine.id,
            theirs_id=theirs.id,
            mine=mine_row.decode(),
            theirs=theirs_row.decode(),
            mine_token=mine_token,
            theirs_token=theirs_token,
            theirs_device=device,
        )
    )


def _settle(uow: UnitOfWork, table: str, obj: Any, base: set[str]) -> None:
    """A choice made on another device arrived: the conflicts it names both sides of are closed here."""
    for kept in uow.sync_conflicts.where(client_id=client_of(table, obj)):
        if kept.is_open and kept.table == table and {kept.mine_token, kept.theirs_token} <= base:
            uow.sync_conflicts.replace(replace(kept, kept=Kept.ELSEWHERE, resolved_at=now()))
