"""Table definitions. Only random ids, foreign keys, revision and the signed flag are in clear;
everything else lives in the sealed `data` column (see sealer.py)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, LargeBinary, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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


class SecretRow(Base):
    """Sealed vault-level values: the signing key, the practitioner profile, note templates."""

    __tablename__ = "secret"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    rev: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ClientRow(Base):
    __tablename__ = "client"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    rev: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


def _client_fk() -> Mapped[str]:
    return mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)


class EpisodeRow(Base):
    __tablename__ = "episode"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    client_id: Mapped[str] = _client_fk()
    rev: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class NoteRow(Base):
    __tablename__ = "note"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    client_id: Mapped[str] = _client_fk()
    rev: Mapped[int]
    signed: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AddendumRow(Base):
    __tablename__ = "addendum"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    note_id: Mapped[str] = mapped_column(ForeignKey("note.id", ondelete="RESTRICT"), index=True)
    client_id: Mapped[str] = _client_fk()
    rev: Mapped[int]
    signed: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PrivateNoteRow(Base):
    __tablename__ = "private_note"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    client_id: Mapped[str] = _client_fk()
    rev: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PlanRow(Base):
    __tablename__ = "plan"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    client_id: Mapped[str] = _client_fk()
    rev: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class HomeworkRow(Base):
    __tablename__ = "homework"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    client_id: Mapped[str] = _client_fk()
    rev: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class MilestoneRow(Base):
    __tablename__ = "milestone"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    client_id: Mapped[str] = _client_fk()
    rev: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PhaseRow(Base):
    __tablename__ = "phase"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    client_id: Mapped[str] = _client_fk()
    rev: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SafetyPlanRow(Base):
    __tablename__ = "safety_plan"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    client_id: Mapped[str] = _client_fk()
    rev: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class MeasureRow(Base):
    __tablename__ = "measure"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(primary_key=True)
    client_id: Mapped[str] = _client_fk()
    rev: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)



# Every sealed table, in dependency order, with the clear columns bound into each seal.
SEALED_TABLES: dict[str, tuple[str, ...]] = {
    "secret": ("rev",),
    "client": ("rev",),
    "episode": ("client_id", "rev"),
    "note": ("client_id", "rev", "signed"),
    "addendum": ("note_id", "client_id", "rev", "signed"),
    "private_note": ("client_id", "rev"),
    "plan": ("client_id", "rev"),
    "homework": ("client_id", "rev"),
    "milestone": ("client_id", "rev"),
    "phase": ("client_id", "rev"),
    "safety_plan": ("client_id", "rev"),
    "measure": ("client_id", "rev"),
}
