"""Sync conflicts: a received edit kept, sealed, beside this vault's own until a person chooses.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("client_id", sa.Text(), sa.ForeignKey("client.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sqlite_strict=True,
    )
    op.create_index("ix_sync_conflict_client_id", "sync_conflict", ["client_id"])

