"""Versioned practice keys (core/sync/versions.py): each rotation is a signed record chained to the one
before it, and the certificates made under versions after the first are kept in their own table.

Revision ID: s0005
Revises: s0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0005"
down_revision = "s0004"
branch_labels = None
depends_on = None

DEVICE_ROLE = "notesdesk_device"


def upgrade() -> None:
    op.create_table(
        "key_rotation",
        sa.Column("practice_id", sa.Text, sa.ForeignKey("practice.id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("previous", sa.LargeBinary, nullable=False),
        sa.Column("key_fingerprint", sa.Text, nullable=False),
        sa.Column("removed", sa.Text, nullable=False),
        sa.Column("device_id", sa.Text, sa.ForeignKey("device.id"), nullable=False),
        sa.Column("signature", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "certificate",
        sa.Column("practice_id", sa.Text, sa.ForeignKey("practice.id"), primary_key=True),
        sa.Column("key_version", sa.Integer, primary_key=True),
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("subject", sa.Text, primary_key=True),
        sa.Column("certificate", sa.LargeBinary, nullable=False),
    )
    # Both are append-only for devices: a rotation or a certificate, once written, is never changed by
    # a device (an operator who changes one is caught by every member: versions.py).
    op.execute(f"GRANT SELECT, INSERT ON key_rotation, certificate TO {DEVICE_ROLE}")
    # Only a device still in the practice adds one, and a rotation only in its own name: a removed
    # device's login cannot fill the next version's place with a record that every member refuses.
    active = "(SELECT d.id FROM device d WHERE d.role_name = current_user AND d.removed_at IS NULL)"
    checks = {"key_rotation": f"device_id = {active}", "certificate": f"EXISTS {active}"}
    for table, check in checks.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING (true)")
        op.execute(f"CREATE POLICY {table}_member ON {table} FOR INSERT WITH CHECK ({check})")


def downgrade() -> None:
    op.drop_table("certificate")
    op.drop_table("key_rotation")
