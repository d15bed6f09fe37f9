"""Invitations for a second device of the same clinician (core/sync/devices.py): sealed under a one-time
code, valid until `expires_at` (the server's clock decides), deleted when used.

Revision ID: s0004
Revises: s0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0004"
down_revision = "s0002"
branch_labels = None
depends_on = None

DEVICE_ROLE = "notesdesk_device"


def upgrade() -> None:
    op.create_table(
        "device_invite",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("practice_id", sa.Text, sa.ForeignKey("practice.id"), nullable=False),
        sa.Column("kdf", sa.Text, nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    # A member's device leaves an invitation; only the administrator's login (used once by the joining
    # device) reads and deletes it, so a device role never sees another clinician's sealed keys.
    op.execute(f"GRANT INSERT ON device_invite TO {DEVICE_ROLE}")


def downgrade() -> None:
    op.drop_table("device_invite")
