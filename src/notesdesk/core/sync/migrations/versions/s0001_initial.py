"""The first server schema: practices, devices, wrapped keys, the signed push log and sealed changes.

Revision ID: s0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0001"
down_revision = None
branch_labels = None
depends_on = None

DEVICE_ROLE = "notesdesk_device"


def upgrade() -> None:
    op.create_table(
        "practice",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "device",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("practice_id", sa.Text, sa.ForeignKey("practice.id"), nullable=False),
        sa.Column("clinician_id", sa.Text, nullable=False),
        sa.Column("role_name", sa.Text, nullable=False, unique=True),
        sa.Column("sign_public", sa.LargeBinary, nullable=False),
        sa.Column("x25519_public", sa.LargeBinary, nullable=False),
        sa.Column("note_public", sa.LargeBinary, nullable=False),
        sa.Column("certificate", sa.LargeBinary, nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "wrapped_key",
        sa.Column("practice_id", sa.Text, sa.ForeignKey("practice.id"), primary_key=True),
        sa.Column("recipient", sa.Text, primary_key=True),
        sa.Column("key_version", sa.Integer, primary_key=True),
        sa.Column("wrapped", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "push",
        sa.Column("server_seq", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("practice_id", sa.Text, sa.ForeignKey("practice.id"), nullable=False),
        sa.Column("device_id", sa.Text, sa.ForeignKey("device.id"), nullable=False),
        sa.Column("push_seq", sa.BigInteger, nullable=False),
        sa.Column("first_seq", sa.BigInteger, nullable=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("previous", sa.LargeBinary, nullable=False),
        sa.Column("digest", sa.LargeBinary, nullable=False),
        sa.Column("audit_head", sa.LargeBinary, nullable=False),
        sa.Column("signature", sa.LargeBinary, nullable=False),
        sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("device_id", "push_seq", name="uq_push_device_seq"),
    )
    op.create_table(
        "change",
        sa.Column("server_seq", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("practice_id", sa.Text, sa.ForeignKey("practice.id"), nullable=False),
        sa.Column("device_id", sa.Text, sa.ForeignKey("device.id"), nullable=False),
        sa.Column("device_seq", sa.BigInteger, nullable=False),
        sa.Column("table_name", sa.Text, nullable=False),
        sa.Column("row_id", sa.Text, nullable=False),
        sa.Column("rev", sa.Integer, nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("device_id", "device_seq", name="uq_change_device_seq"),
    )
    # Devices log in with their own roles, members of this group: they read everything (all sealed),
    # append pushes and changes, wrap keys and certify devices; they never update or delete a change.
    op.execute(f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{DEVICE_ROLE}') THEN
            CREATE ROLE {DEVICE_ROLE} NOLOGIN;
        END IF; END $$""")
    op.execute(f"GRANT SELECT ON practice, device, wrapped_key, push, change TO {DEVICE_ROLE}")
    op.execute(f"GRANT INSERT ON push, change, wrapped_key TO {DEVICE_ROLE}")
    op.execute(f"GRANT UPDATE (certificate) ON device TO {DEVICE_ROLE}")
    op.execute(f"GRANT USAGE ON SEQUENCE push_server_seq_seq, change_server_seq_seq TO {DEVICE_ROLE}")
    # A device appends only its own log: row-level security checks the device id against its login.
    for table in ("push", "change"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING (true)")
        op.execute(
            f"CREATE POLICY {table}_own ON {table} FOR INSERT WITH CHECK "
            "(device_id = (SELECT d.id FROM device d WHERE d.role_name = current_user))"
        )


def downgrade() -> None:
    for name in ("change", "push", "wrapped_key", "device", "practice"):
        op.drop_table(name)
