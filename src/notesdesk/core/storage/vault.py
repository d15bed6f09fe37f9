"""Create, unlock and close a vault file; change its passphrase.

Unlock order matters: nothing is written before the passphrase is proven, the header MAC checks out,
the authenticated audit head matches the vault's contents (head.py) and the vault is not older than
this computer's anchor or its backups (rollback.py), so a wrong passphrase, a damaged file or an old
copy leaves every byte as it was. Nothing at unlock decrypts the records or walks the audit history
(only the first unlock after a migration: 0004 checks the old way once, 0005 builds the client
summaries once).
"""

from __future__ import annotations

import contextlib
import hmac
import os
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock
from sqlalchemy import Engine, delete
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from notesdesk import paths
from notesdesk.core.backup.heads import BackupHead, authentic_heads
from notesdesk.core.crypto import kdf, keys, recovery, signing
from notesdesk.core.crypto.policy import passphrase_problem
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import (
    Conflict,
    InvalidInput,
    NotesdeskError,
    NotFound,
    VaultDamaged,
    WrongPassphrase,
)
from notesdesk.core.storage import migrate, summaries, summary_mark
from notesdesk.core.storage.anchor import LocalAnchor
from notesdesk.core.storage.audit import AuditLog
from notesdesk.core.storage.head import (
    META_FLAG,
    META_VALUE,
    Head,
    has_head_table,
    next_lineage,
)
from notesdesk.core.storage.header_repair import SLOT_SUMS, HeaderRepair, repair_plan, retired_keys
from notesdesk.core.storage.keyring import KeyRing, derive_keys
from notesdesk.core.storage.rollback import check_not_retired, check_not_rolled_back, refused
from notesdesk.core.storage.schema import check_structure
from notesdesk.core.storage.sqlite import (
    engine_integrity_problems,
    integrity_problems,
    looks_like_sqlite,
    make_engine,
    make_memory_engine,
    recover_after_crash,
)
from notesdesk.core.storage.tables import KeySlotRow, MetaRow
from notesdesk.core.storage.uow import UnitOfWork, translate_db_error
from notesdesk.core.storage.vault_header import (
    VAULT_FORMAT,
    header_damage,
    header_intact,
    read_header,
    replace_slots,
    unwrap,
    write_header_mac,
)
from notesdesk.core.storage.vault_lock import acquire
from notesdesk.core.storage.vault_settings import SigningKey, VaultSettings


@dataclass(frozen=True)
class Unlocked:
    vault_id: str
    owner_id: str
    dek: bytes = field(repr=False)


def unreadable(exc: BaseException) -> Exception:
    """What a failed read during an unlock means: a damaged file (SQLite found a bad page, or a
    value that is not what its column holds), or a passing failure of the disk."""
    if isinstance(exc, DBAPIError):
        return translate_db_error(exc)
    if isinstance(exc, UnicodeDecodeError) or any(
        word in str(exc).lower() for word in ("malformed", "not a database", "corrupt")
    ):
        return VaultDamaged(
            "The vault file is damaged (SQLite could not read part of it). Restore the newest backup "
            "(notesdesk restore), or run 'notesdesk verify' for details."
        )
    return NotesdeskError("The vault could not be read just now; nothing was changed. Try again.")


class Vault(VaultSettings):
    """An unlocked vault: its engine, its keys (in memory only) and its single-instance lock."""

    def __init__(
        self, path: Path, engine: Engine, unlocked: Unlocked, lock: FileLock | None, read_only: bool
    ) -> None:
        self.path = path
        self.engine = engine
        self.vault_id = unlocked.vault_id
        self.read_only = read_only
        self._lock = lock
        self._use_keys(derive_keys(unlocked.dek, self.vault_id), unlocked.owner_id)
        # Marks of this vault's earlier data keys (rekey.py): the anchor refuses copies made under them.
        self.retired_keys: list[str] = []
        self._signing_private: bytes | None = None
        self._profile: PractitionerProfile | None = None
        self._demo = False
        self._in_memory = False
        self._restoring = False
        # Found at a repairing unlock (header_repair.py); written with the next key slot change.
        self.header_repair: HeaderRepair | None = None
        self._work_lock = threading.Lock()
        self._work_owner: int | None = None

    def _use_keys(self, ring: KeyRing, actor: str) -> None:
        self._ring = ring
        self.sealer = ring.sealer
        self._header_key = ring.header_key
        self.audit = AuditLog(ring.sealer, ring.audit_key, actor, ring.heads)
        self.anchor = LocalAnchor(paths.anchor_dir(), self.vault_id, ring.anchor_key)
        self._dek = ring.dek

    def enter_work(self) -> None:
        if self._work_owner == threading.get_ident():
            raise RuntimeError("a unit of work was opened inside another on the same thread")
        self._work_lock.acquire()
        self._work_owner = threading.get_ident()

    def leave_work(self) -> None:
        self._work_owner = None
        self._work_lock.release()

    # -- lifecycle -------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str) -> tuple[Vault, str]:
        """Make a new vault; returns it unlocked with the recovery key text (shown once)."""
        path = Path(path)
        if path.exists():
            raise Conflict(f"A file already exists at {path}; choose another place for the vault.")
        problem = passphrase_problem(passphrase)
        if problem:
            raise InvalidInput(problem)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = acquire(path)
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.creating")
        try:
            secret = recovery.new_recovery_secret()
            unlocked = Unlocked(str(uuid.uuid4()), str(uuid.uuid4()), os.urandom(keys.DEK_LEN))
            engine = make_engine(partial, create=True)
            migrate.upgrade(engine, partial, safety_copy=False)
            building = cls(partial, engine, unlocked, lock, read_only=False)
            building._initialise(passphrase, secret)
            engine.dispose()
            os.chmod(partial, 0o600)
            os.replace(partial, path)
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            lock.release()
            raise
        vault = cls(path, make_engine(path), unlocked, lock, read_only=False)
        vault._signing_private, vault._profile = building._signing_private, building._profile
        return vault, recovery.encode(secret)

    def _initialise(self, passphrase: str, secret: bytes) -> None:
        dek, vid = self._dek, self.vault_id
        signing_private = signing.new_private_key_bytes()
        slots = [
            keys.passphrase_slot(passphrase, kdf.new_params(), dek, vid),
            keys.recovery_slot(secret, dek, vid),
        ]
        meta = {
            "vault_id": vid,
            "format": VAULT_FORMAT,
            "owner_id": self.audit.actor,
            "signing_public": signing.public_key_bytes(signing_private).hex(),
            META_FLAG: META_VALUE,
            summary_mark.META_FLAG: summary_mark.META_VALUE,  # an empty vault's summaries are all there
        }
        with self.unit_of_work() as uow:
            session = uow.session
            assert session is not None
            for key, value in meta.items():
                session.add(MetaRow(key=key, value=value))
            for slot in slots:
                session.add(KeySlotRow(kind=slot.kind, params=slot.params, wrapped=slot.wrapped))
            session.flush()
            write_header_mac(session, self._header_key, self.vault_id)
            self._secret_table(uow, SigningKey).add(SigningKey(signing_private.hex()))
            # Stored from the start, country unset: a vault without this row predates the question.
            self._secret_table(uow, PractitionerProfile).add(PractitionerProfile())
            uow.record("create vault")
            uow.commit()
        self._signing_private = signing_private
        self._profile = PractitionerProfile()

    @classmethod
    def open(
        cls,
        path: Path,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        read_only: bool = False,
        backups: Sequence[Path] | None = None,
        restoring: str | None = None,
        repair: bool = False,
    ) -> Vault:
        """Unlock. `backups`: the folders whose backups the vault must not be older than (default:
        the backup folder). `restoring`: only for `restore`, which has just put an older vault in
        place on purpose: the lineage of the vault it replaced ("" for none). The restored vault
        starts a new lineage and resets the local anchor instead of being refused. `repair`: for the
        commands that replace a key slot (a new passphrase, a new recovery key): a damaged header is
        accepted, what was damaged is in `header_repair`, and the repair is written with the new slot."""
        path = Path(path)
        if not path.exists():
            raise NotFound(f"No vault at {path}. Create one with 'notesdesk init'.")
        if not looks_like_sqlite(path):
            raise VaultDamaged("This file is not a NotesDesk vault, or its first bytes are damaged.")
        if not read_only and not os.access(path, os.W_OK):
            read_only = True
        lock = None if read_only else acquire(path)
        folders = [paths.backup_dir()] if backups is None else list(backups)
        try:
            secrets = (passphrase, recovery_key)
            return cls._unlock(path, secrets, read_only, lock, folders, restoring, repair)
        except (sqlite3.DatabaseError, DBAPIError, UnicodeDecodeError) as exc:
            if lock is not None:
                lock.release()
            raise unreadable(exc) from exc
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def _unlock(
        cls,
        path: Path,
        secrets: tuple[str | None, str | None],
        read_only: bool,
        lock: FileLock | None,
        folders: list[Path],
        restoring: str | None,
        repair: bool,
    ) -> Vault:
        if not read_only:
            recover_after_crash(path)
        # No full integrity_check here: it reads every page, the whole audit history included, so an
        # unlock would grow with every event ever recorded. SQLite reports a damaged page when it reads
        # one (this unlock reads every record's page for the head check), the head and the seals catch
        # tampering, and the full check runs in `verify`, before every backup and in the restore drill
        # (docs/design-notes.md §3).
        # Read the header through a read-only engine: a wrong passphrase must not write a byte.
        probe = make_engine(path, read_only=True)
        try:
            # Before any migration or write: a dropped guard trigger or a planted table or trigger
            # would otherwise act on (or fail to refuse) everything that follows (schema.py).
            check_structure(probe)
            meta, slots = read_header(probe)
        finally:
            probe.dispose()
        passphrase, recovery_key = secrets
        dek = unwrap(meta, slots, passphrase, recovery_key)
        used = keys.SLOT_PASSPHRASE if recovery_key is None else keys.SLOT_RECOVERY
        unlocked = Unlocked(meta["vault_id"], meta.get("owner_id", ""), dek)
        engine = make_engine(path, read_only=read_only)
        vault = cls(path, engine, unlocked, lock, read_only)
        vault.retired_keys = retired_keys(meta)
        try:
            intact = header_intact(vault._header_key, vault.vault_id, meta, slots)
            if not intact and not repair:
                raise header_damage(meta, slots, used)
            backups = [] if restoring is not None else authentic_heads(folders, vault.vault_id, dek)
            if not read_only:
                migrate.upgrade(engine, path, safety_copy=True)
            with vault.unit_of_work() as uow:
                assert uow.session is not None
                head = vault._checked_head(uow.session, meta, backups)
                if restoring is None:
                    check_not_retired(vault.anchor, folders, backups, head.lineage)
                    anchor = vault.anchor
                    check_not_rolled_back(
                        uow.session, vault.audit, head, anchor.load(), backups, anchor.pending()
                    )
                vault._load_secrets(uow)
                if not intact:
                    vault.header_repair = repair_plan(vault, uow.session, meta, slots, used)
                    vault.audit.actor = vault.header_repair.meta["owner_id"]
                elif SLOT_SUMS not in meta and not read_only:
                    write_header_mac(uow.session, vault._header_key, vault.vault_id)  # an older vault
                vault._establish_summaries(uow)
                if restoring is not None:
                    # A new lineage: the backups this restore went back behind no longer count, and
                    # the backups made from now on refuse the vault it replaced (rollback.py).
                    lineage = next_lineage(head.lineage, restoring)
                    vault.audit.record(uow.session, "restore", lineage=lineage)
                    vault._restoring = True  # the anchor is staged, not moved (committed)
                else:
                    uow.record("unlock")
                if not read_only:
                    uow.commit()
        except BaseException:
            engine.dispose()
            raise
        return vault

    @classmethod
    def open_image(cls, image: bytes, dek: bytes) -> Vault:
        """A read-only vault over an in-memory SQLite image (a backup), checked like an unlock."""
        engine = make_memory_engine(image)
        try:
            if engine_integrity_problems(engine):
                raise VaultDamaged("The vault inside the backup is damaged (integrity check failed).")
            check_structure(engine)
            meta, slots = read_header(engine)
            vault = cls(Path(":memory:"), engine, Unlocked(meta["vault_id"], meta.get("owner_id", ""), dek),
                        None, read_only=True)
            vault._in_memory = True
            if not header_intact(vault._header_key, vault.vault_id, meta, slots):
                raise VaultDamaged("The vault inside the backup has damaged key slots or settings.")
            with vault.unit_of_work() as uow:
                assert uow.session is not None
                vault.audit.verify(uow.session)  # a backup is checked in full (the restore drill)
                head = vault.audit.heads.read(uow.session)
                if head is not None:
                    vault.audit.heads.check(uow.session, head)
                elif meta.get(META_FLAG):
                    raise VaultDamaged("The vault inside the backup lost its audit head: it was altered.")
                vault._load_secrets(uow)
        except BaseException:
            engine.dispose()
            raise
        return vault

    def _checked_head(self, session: Session, meta: dict[str, str], backups: list[BackupHead]) -> Head:
        """The authenticated head, checked against the vault's contents; VaultDamaged naming the
        backup to restore when it does not match. An older vault without a head is checked the old
        way (the whole chain, every row) once, then given one."""
        try:
            head = self.audit.heads.read(session)
            if head is not None:
                self.audit.heads.check(session, head)
                return head
            if meta.get(META_FLAG):
                raise VaultDamaged("The vault's audit head is missing: the vault was altered.")
            return self._establish_head(session)
        except VaultDamaged as exc:
            raise refused(exc.message, backups) from exc

    def write_slots(self, session: Session, *new_slots: keys.KeySlot, header_key: bytes | None = None
                    ) -> None:
        """Replace key slots and the header MAC (under `header_key`: a rekey's new one) in the
        caller's transaction, with a pending header repair (header_repair.py)."""
        key = self._header_key if header_key is None else header_key
        replace_slots(session, key, self.vault_id, self.header_repair, *new_slots)

    def key_ring(self) -> KeyRing:
        """For rekey.py only (and backups, through data_key)."""
        return self._ring

    def use_key_ring(self, ring: KeyRing, retired: list[str]) -> None:
        """After a rekey has committed: the new keys from now on."""
        self._use_keys(ring, self.audit.actor)
        self.retired_keys = retired
        self.header_repair = None

    def _establish_head(self, session: Session) -> Head:
        self.audit.verify(session)
        newest = self.audit.head(session)
        head = Head(newest[0], bytes.fromhex(newest[1]), self.audit.heads.live_rows(session))
        if self.read_only or not has_head_table(session):
            return head  # an older vault opened read-only: checked in full, nothing written
        self.audit.heads.write(session, head)
        session.add(MetaRow(key=META_FLAG, value=META_VALUE))
        session.flush()
        write_header_mac(session, self._header_key, self.vault_id)
        session.info["audit_head"] = head
        return head

    def _establish_summaries(self, uow: UnitOfWork) -> None:
        """A vault migrated to 0005 gets every client's summary once, at its first unlock (the
        migration has no key), as does one whose summaries are of an earlier format; from then on
        every write keeps them (storage/summaries.py)."""
        session = uow.session
        assert session is not None
        if self.read_only or not summaries.has_table(session):
            return
        if summaries.ready(session):
            # A release with other rules or instruments: the standings scored again, once, here
            # (until then each list would score the questionnaires of every client again).
            if summaries.scored_under_other_rules(uow):
                summaries.rescore_all(uow)
            return
        summaries.build_all(uow)
        session.execute(delete(MetaRow).where(MetaRow.key == summary_mark.META_FLAG))
        session.add(MetaRow(key=summary_mark.META_FLAG, value=summary_mark.META_VALUE))
        session.flush()
        write_header_mac(session, self._header_key, self.vault_id)

    def committed(self, session: Session) -> None:
        """After a commit (uow.py): keep this computer's anchor at the head just written."""
        adopted = session.info.pop("adopted", None)
        if adopted is not None:
            self._signing_private, self._profile = adopted
        received = session.info.pop("profile", None)  # vault_settings.stage_profile
        if received is not None:
            self._profile = received
        head = session.info.get("audit_head")
        if session.info.pop("head_moved", False) and head is not None and not self._in_memory:
            if self._restoring:
                self.anchor.stage(head.seq, head.chain)  # a restore not yet in place (backup/service.py)
            else:
                self.anchor.save(head.seq, head.chain, self.retired_keys)

    def integrity_problems(self) -> list[str]:
        if self._in_memory:
            return engine_integrity_problems(self.engine)
        return integrity_problems(self.path)

    def key_slots(self) -> dict[str, keys.KeySlot]:
        return self._header()[1]

    def _header(self) -> tuple[dict[str, str], dict[str, keys.KeySlot]]:
        """Read under the work lock: the engine's one connection is shared by every thread."""
        self.enter_work()
        try:
            return read_header(self.engine)
        finally:
            self.leave_work()

    def data_key(self) -> bytes:
        """The data key itself, for the two places that derive a key of their own from it: a backup's
        file key (core/backup) and the search child's fields key (services/search_process.py, which
        hands the child only the derived key, never this one)."""
        return self._dek

    def opens_with(self, passphrase: str) -> bool:
        """Whether this passphrase opens this vault as its passphrase slot stands now (a held lock's
        check): derives the key, so it takes a second or two; writes nothing."""
        meta, slots = self._header()
        try:
            dek = unwrap(meta, slots, passphrase, None)
        except WrongPassphrase:
            return False
        return hmac.compare_digest(dek, self._dek)

    def close(self) -> None:
        with self._work_lock:  # never pull the connection from under a running unit of work
            self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self)

    # -- keys ----------------------------------------------------------------------------------

    def change_passphrase(self, new_passphrase: str) -> None:
        """Rewrap the data key under a new passphrase: one slot and the header MAC, one transaction."""
        problem = passphrase_problem(new_passphrase)
        if problem:
            raise InvalidInput(problem)
        slot = keys.passphrase_slot(new_passphrase, kdf.new_params(), self._dek, self.vault_id)
        with self.unit_of_work() as uow:
            session = uow.session
            assert session is not None
            self.write_slots(session, slot)
            uow.record("change passphrase", detail="header repaired" if self.header_repair else "")
            uow.commit()
        self.header_repair = None
