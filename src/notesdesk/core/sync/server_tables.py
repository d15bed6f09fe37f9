"""The server's tables (PostgreSQL). Everything about a client is inside `sealed`; in clear are only
ids, sequence numbers, sizes, times and public keys. Created by the server's own alembic environment
(core/sync/migrations), never by the vault's."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    func,
)

metadata = MetaData()

practice = Table(
    "practice",
    metadata,
    Column("id", Text, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # The practice recovery key's X25519 public half and a MAC under the practice key (crypto.py):
    # every new client key is wrapped for it. Empty for practices set up before per-client keys.
    Column("recovery_public", LargeBinary, nullable=True),
    Column("recovery_certificate", LargeBinary, nullable=True),
)

device = Table(
    "device",
    metadata,
    Column("id", Text, primary_key=True),
    Column("practice_id", Text, ForeignKey("practice.id"), nullable=False),
    Column("clinician_id", Text, nullable=False),
    Column("role_name", Text, nullable=False, unique=True),
    Column("sign_public", LargeBinary, nullable=False),
    Column("x25519_public", LargeBinary, nullable=False),
    Column("note_public", LargeBinary, nullable=False),
    # A MAC under the practice key written by the member who added the device (crypto.DeviceKeys).
    Column("certificate", LargeBinary, nullable=True),
    Column("added_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("removed_at", DateTime(timezone=True), nullable=True),
)

wrapped_key = Table(
    "wrapped_key",
    metadata,
    Column("practice_id", Text, ForeignKey("practice.id"), primary_key=True),
    Column("recipient", Text, primary_key=True),  # a clinician id, or "recovery"
    Column("key_version", Integer, primary_key=True),
    Column("wrapped", LargeBinary, nullable=False),
)

push = Table(
    "push",
    metadata,
    Column("server_seq", BigInteger, primary_key=True, autoincrement=True),
    Column("practice_id", Text, ForeignKey("practice.id"), nullable=False),
    Column("device_id", Text, ForeignKey("device.id"), nullable=False),
    Column("push_seq", BigInteger, nullable=False),
    Column("first_seq", BigInteger, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("previous", LargeBinary, nullable=False),
    Column("digest", LargeBinary, nullable=False),
    Column("audit_head", LargeBinary, nullable=False),
    Column("signature", LargeBinary, nullable=False),
    Column("pushed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("device_id", "push_seq", name="uq_push_device_seq"),
)

change = Table(
    "change",
    metadata,
    Column("server_seq", BigInteger, primary_key=True, autoincrement=True),
    Column("practice_id", Text, ForeignKey("practice.id"), nullable=False),
    Column("device_id", Text, ForeignKey("device.id"), nullable=False),
    Column("device_seq", BigInteger, nullable=False),
    Column("table_name", Text, nullable=False),
    Column("row_id", Text, nullable=False),
    Column("rev", Integer, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    # The client whose key seals the row, and which of its keys; empty for rows under the practice key.
    Column("client_id", Text, nullable=True),
    Column("key_id", Text, nullable=True),
    UniqueConstraint("device_id", "device_seq", name="uq_change_device_seq"),
    Index("ix_change_client", "practice_id", "client_id"),
)

client_key = Table(
    "client_key",
    metadata,
    Column("practice_id", Text, ForeignKey("practice.id"), primary_key=True),
    Column("client_id", Text, primary_key=True),
    Column("key_id", Text, primary_key=True),
    Column("recipient", Text, primary_key=True),  # a clinician id, or "recovery"
    Column("role", Text, nullable=False, server_default="clinician"),  # or "supervisor" (crypto.ROLES)
    Column("wrapped", LargeBinary, nullable=False),
    Column("certificate", LargeBinary, nullable=False),  # crypto.client_key_certificate
    Column("added_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

device_invite = Table(
    "device_invite",
    metadata,
    Column("id", Text, primary_key=True),
    Column("practice_id", Text, ForeignKey("practice.id"), nullable=False),
    Column("kdf", Text, nullable=False),  # Argon2id parameters (JSON): the salt is in here
    Column("sealed", LargeBinary, nullable=False),  # devices.InvitePayload under the code's key
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

key_rotation = Table(
    "key_rotation",
    metadata,
    # One practice key version after the first (core/sync/versions.py): signed by the device of the
    # member who rotated it, chained to the version before by `previous` (its record's hash).
    Column("practice_id", Text, ForeignKey("practice.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("previous", LargeBinary, nullable=False),
    Column("key_fingerprint", Text, nullable=False),
    Column("removed", Text, nullable=False),  # the clinician ids removed, space-separated
    Column("device_id", Text, ForeignKey("device.id"), nullable=False),
    Column("signature", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

certificate = Table(
    "certificate",
    metadata,
    # Certificates under practice key versions after the first (version 1's are in the `certificate`
    # columns of device and client_key and in practice.recovery_certificate).
    Column("practice_id", Text, ForeignKey("practice.id"), primary_key=True),
    Column("key_version", Integer, primary_key=True),
    Column("kind", Text, primary_key=True),  # versions.DEVICE, CLIENT_KEY or RECOVERY
    Column("subject", Text, primary_key=True),
    Column("certificate", LargeBinary, nullable=False),
)
