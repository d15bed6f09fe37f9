"""The authenticated audit head (storage/head.py): one row, rewritten with every audit entry.

A migration has no key, so it only makes the table; the first unlock of the migrated vault checks
the whole audit chain and every row the old way once, then writes the head (Vault._establish_head).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("chain", sa.LargeBinary(), nullable=False),
        sa.Column("rows", sa.LargeBinary(), nullable=False),
        sa.Column("lineage", sa.Text(), nullable=False),
        sa.Column("mac", sa.LargeBinary(), nullable=False),
        sqlite_strict=True,
    )
