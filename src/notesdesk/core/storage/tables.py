"""Table definitions. Only random ids, foreign keys, revision and the signed flag are in clear;
everything else lives in the sealed `data` column (see sealer.py)."""

from __future__ import annotations

from sqlalchemy import Engine, ForeignKey, LargeBinary, Text, UniqueConstraint, inspect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column

from notesdesk.core.storage.entities import ENTITIES
from notesdesk.core.storage.sqlite import DRIVERS

STRICT = {"sqlite_strict": True}


class Base(DeclarativeBase):
    # STRICT tables accept only INTEGER, REAL, TEXT, BLOB and ANY.
    type_annotation_map = {str: Text(), bytes: LargeBinary()}


class MetaRow(Base):
    """Vault metadata in clear: vault id, format, seal schema, signing public key, header MAC."""

    __tablename__ = "meta"
    __table_args__ = STRICT
    key: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[str]


class KeySlotRow(Base):
    __tablename__ = "keyslot"
    __table_args__ = STRICT
    kind: Mapped[str] = mapped_column(primary_key=True)
    params: Mapped[str]
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)


class _Sealed:
    """The columns every sealed table has: a random id, a revision and the sealed data."""

    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    rev: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class _ClientOwned(_Sealed):
    @declared_attr
    def client_id(cls) -> Mapped[str]:  # noqa: N805 (SQLAlchemy's declared_attr takes the class)
        return mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)


class AuditRow(Base):
    __tablename__ = "audit"
    __table_args__ = STRICT
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    mac: Mapped[bytes] = mapped_column(LargeBinary)


class PurgeRow(Base):
    """Present only inside the transaction that destroys a client's record after retention."""

    __tablename__ = "purge"
    __table_args__ = STRICT
    client_id: Mapped[str] = mapped_column(primary_key=True)


class SecretRow(_Sealed, Base):
    """Sealed vault-level values: the signing key, the practitioner profile, note templates."""

    __tablename__ = "secret"


class ClientRow(_Sealed, Base):
    __tablename__ = "client"


class EpisodeRow(_ClientOwned, Base):
    __tablename__ = "episode"


class NoteRow(_ClientOwned, Base):
    __tablename__ = "note"
    signed: Mapped[int]


class AddendumRow(_ClientOwned, Base):
    __tablename__ = "addendum"
    note_id: Mapped[str] = mapped_column(ForeignKey("note.id", ondelete="RESTRICT"), index=True)
    signed: Mapped[int]


class PrivateNoteRow(_ClientOwned, Base):
    __tablename__ = "private_note"


class PlanRow(_ClientOwned, Base):
    __tablename__ = "plan"


class PlanReviewRow(_ClientOwned, Base):
    """A signed review of a signed plan version; from migration 0010. Append-only (a trigger)."""

    __tablename__ = "plan_review"
    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id", ondelete="RESTRICT"), index=True)


class PlanAgreementRow(_ClientOwned, Base):
    """The client's agreement to a signed plan version; from migration 0010. Append-only (a trigger)."""

    __tablename__ = "plan_agreement"
    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id", ondelete="RESTRICT"), index=True)


class HomeworkRow(_ClientOwned, Base):
    __tablename__ = "homework"


class MilestoneRow(_ClientOwned, Base):
    __tablename__ = "milestone"


class PhaseRow(_ClientOwned, Base):
    __tablename__ = "phase"


class SafetyPlanRow(_ClientOwned, Base):
    __tablename__ = "safety_plan"


class MeasureRow(_ClientOwned, Base):
    __tablename__ = "measure"


class PendingTextRow(_ClientOwned, Base):
    """Unsent text (an addendum or plan review being typed); from migration 0003."""

    __tablename__ = "pending_text"


class ClientSummaryRow(_Sealed, Base):
    """What the client list's flags are computed from, one row per client, its id the client's
    (storage/summaries.py); from migration 0005. Derived: rewritten in the unit of work of every
    write to its inputs, covered by the audit head but not audited itself."""

    __tablename__ = "client_summary"


class DiagnosisRow(_ClientOwned, Base):
    """ICD-10-CM diagnoses on a client; from migration 0009."""

    __tablename__ = "diagnosis"


class NextSessionRow(_ClientOwned, Base):
    """The client's next session date and cadence; from migration 0009."""

    __tablename__ = "next_session"


class AttachmentRow(_ClientOwned, Base):
    """A file attached to a client (what it is, never its bytes); from migration 0014."""

    __tablename__ = "attachment"


class AttachmentChunkRow(_ClientOwned, Base):
    """One sealed chunk of an attachment's bytes; its attachment and its place in the file are clear
    columns bound into its seal; from migration 0014."""

    __tablename__ = "attachment_chunk"
    # One chunk per place in its file (as migration 0014 makes it): SQLAlchemy takes constraints and
    # options together as a tuple, where the base class has the options alone.
    __table_args__ = (UniqueConstraint("attachment_id", "part"), STRICT)  # type: ignore[assignment]
    attachment_id: Mapped[str] = mapped_column(ForeignKey("attachment.id", ondelete="RESTRICT"))
    part: Mapped[int]
class ConsentRow(_ClientOwned, Base):
    """What a client agreed to (consent, fees, telehealth, releases of information); from migration 0011."""

    __tablename__ = "consent"


class LetterRow(_ClientOwned, Base):
    """Letters as they were printed; from migration 0011."""

    __tablename__ = "letter"
class PaymentRow(_ClientOwned, Base):
    """What a client paid; from migration 0013."""

    __tablename__ = "payment"


class ReceiptRow(_ClientOwned, Base):
    """Receipts and superbills issued, each with its number and snapshot; from migration 0013."""

    __tablename__ = "receipt"


class SyncConflictRow(_ClientOwned, Base):
    """Both versions of a record edited on two devices from the same revision; from migration 0015."""

    __tablename__ = "sync_conflict"


# Every sealed table, in dependency order, with the clear columns bound into each seal (entities.py).
SEALED_TABLES: dict[str, tuple[str, ...]] = {entity.table: entity.clear for entity in ENTITIES}

# The tables the client list's flags are computed from: a write to one of them rewrites its client's
# summary in the same unit of work (storage/summaries.py).
FLAG_INPUT_TABLES = frozenset(
    {"note", "plan", "plan_review", "homework", "measure", "episode", "safety_plan"}
)

# Sealed tables added by a later migration: a vault opened read-only (or a backup being checked) is
# never migrated, so it may not have them yet. Reading one of them there finds no rows.
LATER_TABLES = frozenset(entity.table for entity in ENTITIES if entity.later)

# Sealed tables derived from the others (and rewritten with them): the audit head covers their rows,
# but they have no audited writes of their own, so `verify` checks them against a recomputation.
DERIVED_TABLES = frozenset({"client_summary"})


def missing_later_table(session: Session, name: str) -> bool:
    """True when `name` is a later table that this vault (older, and not migrated) does not have."""
    return name in LATER_TABLES and not has_table(session, name)


_FOUND = "later_tables_found"


def has_table(session: Session, name: str) -> bool:
    """Whether the vault has table `name`. A table found is remembered on the SQLite connection (a
    table is never dropped while a vault is open; one not found yet may be added by a migration),
    and the session keeps that memory at hand: the catalogue query, or even asking the session for
    its connection, cost as much as the read that asks (every save asks for several tables)."""
    found: set[str] | None = session.info.get(_FOUND)
    if found is None:
        known = DRIVERS.get(session.bind) if isinstance(session.bind, Engine) else None
        # Kept with the driver (sqlite.py): asking SQLAlchemy for its connection would begin its
        # own transaction where the unit of work's is under way on the driver (raw.py).
        found = known.tables if known is not None else session.connection().info.setdefault(_FOUND, set())
        session.info[_FOUND] = found
    if name in found:
        return True
    if inspect(session.connection()).has_table(name):
        found.add(name)
        return True
    return False
