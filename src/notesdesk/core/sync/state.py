"""What a device keeps about the practice, sealed in its vault's `secret` table like the signing key:
its identity and keys, how far it has pushed and pulled, each other device's verified log position, a
push prepared but not yet acknowledged, and the note-signing keys of the practice's members."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from notesdesk.core.errors import NotesdeskError
from notesdesk.core.storage.sealer import decode
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync.crypto import GENESIS

IDENTITY_ID = "sync-identity"
STATE_ID = "sync-state"
SIGNERS_ID = "practice-signers"
CLIENT_KEYS_ID = "client-keys"  # core/sync/access.py
BASES_ID = "sync-bases"  # core/sync/shared.py: the revision each shared row was last synced at
KNOWN_READERS_ID = "known-readers"  # core/sync/known_readers.py: who can read each client, as of a sync
KEPT_ROWS_ID = "kept-rows"  # core/sync/kept_rows.py: which supervised rows were written here, as judged
FIRST_TABLES = ("client", "note", "addendum", "plan", "plan_review", "plan_agreement", "homework",
                "milestone", "safety_plan")
"""The kinds of record pushes covered before episodes, measures, diagnoses and the rest synced: what a
device's state saved by an earlier version has pushed (core/sync/push.py sends the rest once)."""
DEVICE_ONLY = frozenset({IDENTITY_ID, STATE_ID, CLIENT_KEYS_ID, BASES_ID, KNOWN_READERS_ID, KEPT_ROWS_ID})
"""This device's place in the practice: never copied into a practice export (an imported copy would be
a clone of the device, with its role, keys and log position)."""


@dataclass(frozen=True)
class SyncIdentity:
    practice_id: str
    clinician_id: str
    device_id: str
    server_url: str  # this device's own role and password: sealed like every other secret here
    x25519_private: str
    device_sign_private: str
    practice_fingerprint: str
    practice_key: str = ""  # empty until a member has added this clinician (practice add-clinician)
    id: str = IDENTITY_ID
    # The practice key's version this vault accepted (core/sync/versions.py): certificates are checked
    # under `practice_key`, this version's, only. The earlier versions' keys (hex, version 1 first) open
    # rows sealed under them; the clinicians removed by accepted rotations may sign none.
    key_version: int = 1
    earlier_keys: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rotation_hash: str = GENESIS.hex()  # the accepted version's rotation record (GENESIS for version 1)

    @property
    def key(self) -> bytes:
        return bytes.fromhex(self.practice_key)

    def key_of(self, version: int) -> bytes | None:
        """The practice key of an accepted version (None for one this vault does not hold)."""
        if version == self.key_version:
            return self.key
        if 1 <= version <= len(self.earlier_keys):
            return bytes.fromhex(self.earlier_keys[version - 1])
        return None


@dataclass(frozen=True)
class DeviceLog:
    """Where another device's log was last verified: its push number, that push's hash, its row number."""

    push_seq: int = 0
    hash: str = GENESIS.hex()
    last_seq: int = 0


@dataclass(frozen=True)
class PendingRow:
    table: str
    row_id: str
    rev: int
    device_seq: int
    sealed: str
    client_id: str = ""  # whose key seals it (core/sync/access.py); empty: the practice key
    key_id: str = ""


@dataclass(frozen=True)
class PendingPush:
    """A push sealed and signed, kept in the vault before it is sent: sent again until acknowledged, so
    an interruption anywhere neither loses nor duplicates it."""

    push_seq: int
    first_seq: int
    last_seq: int
    previous: str
    digest: str
    audit_head: str
    signature: str
    rows: list[PendingRow]
    audit_cursor: int


@dataclass(frozen=True)
class GivenProfile:
    """Of a device that joined with a one-time code: the pushes the profile it was given already
    holds (the inviting device's own up to `push`, and all it had pulled, up to server revision
    `until`). A profile change among them is older than what this device holds, not an edit to weigh
    (sync/pull.py leaves it out)."""

    device: str = ""
    push: int = 0
    until: int = 0

    def holds(self, server_seq: int, device: str, push_seq: int) -> bool:
        return server_seq <= self.until or (device == self.device and push_seq <= self.push)


@dataclass(frozen=True)
class SyncState:
    audit_cursor: int = 0  # the local audit entries up to here have been pushed
    device_seq: int = 0
    push_seq: int = 0
    push_hash: str = GENESIS.hex()
    pull_cursor: int = 0  # the server's push revisions up to here have been pulled
    logs: dict[str, DeviceLog] = field(default_factory=dict)
    outbox: PendingPush | None = None
    last_sync: datetime | None = None
    pushed_rows: int = 0
    received_rows: int = 0
    held: int = 0  # client details received that differ from this vault's: kept as they are here
    # The kinds this device's pushes cover (shared.SYNCED_TABLES as last pushed). When a version syncs
    # more kinds, this device's own writes of them up to `refill_until` (where it had pushed) are
    # pushed once, and only those (push.py).
    tables: tuple[str, ...] = FIRST_TABLES
    refill: tuple[str, ...] = ()
    refill_until: int = 0
    given: GivenProfile = field(default_factory=GivenProfile)
    id: str = STATE_ID


@dataclass(frozen=True)
class PracticeSigners:
    """Note-signing public keys (hex) of the practice's certified members, by fingerprint: a note signed
    by a colleague verifies in this vault too (services/notes.verify_note)."""

    keys: dict[str, str] = field(default_factory=dict)
    id: str = SIGNERS_ID


def _table[T: (SyncIdentity, SyncState, PracticeSigners)](uow: UnitOfWork, kind: type[T]) -> SealedTable[T]:
    return SealedTable(uow.ctx, "secret", kind, label="vault setting")


def identity(uow: UnitOfWork) -> SyncIdentity | None:
    return _table(uow, SyncIdentity).find(IDENTITY_ID)


def required_identity(uow: UnitOfWork) -> SyncIdentity:
    found = identity(uow)
    if found is None:
        raise NotesdeskError(
            "This vault is not part of a practice: run 'notesdesk practice init' or "
            "'notesdesk practice join' first."
        )
    return found


def state(uow: UnitOfWork) -> SyncState:
    return _table(uow, SyncState).find(STATE_ID) or SyncState()


def signers(uow: UnitOfWork) -> dict[str, bytes]:
    found = _table(uow, PracticeSigners).find(SIGNERS_ID)
    return {} if found is None else {fp: bytes.fromhex(key) for fp, key in found.keys.items()}


def signers_of(payload: str | None) -> dict[str, bytes]:
    """The note-signing keys in a practice export's copy of the setting (JSON), by fingerprint."""
    if payload is None:
        return {}
    found = decode(payload.encode(), PracticeSigners)
    return {fp: bytes.fromhex(key) for fp, key in found.keys.items()}


def save[T: (SyncIdentity, SyncState, PracticeSigners)](uow: UnitOfWork, value: T) -> None:
    table = _table(uow, type(value))
    if table.find(value.id) is None:
        table.add(value)
    else:
        table.replace(value)


def with_key(found: SyncIdentity, key: bytes) -> SyncIdentity:
    return replace(found, practice_key=key.hex())
