"""Unsent text: an addendum or a plan-review summary being typed, kept sealed so that a lock or a
crash never loses it (adding or recording it is still the user's explicit act).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "pending_text",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column(
            "client_id", sa.Text(), sa.ForeignKey("client.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sqlite_strict=True,
    )
    op.create_index("ix_pending_text_client_id", "pending_text", ["client_id"])
