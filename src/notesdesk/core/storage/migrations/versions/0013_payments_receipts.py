"""Payments a client made and the receipts (and superbills) issued to them, each receipt with its
number and the sealed snapshot it reprints from. The fee schedule and the last receipt number are
vault-level settings in `secret` and need no table.

Revision ID: 0013
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"


def upgrade() -> None:
    for table in ("payment", "receipt"):
        op.create_table(
            table,
            sa.Column("id", sa.Text(), primary_key=True),
            sa.Column(
                "client_id", sa.Text(), sa.ForeignKey("client.id", ondelete="RESTRICT"), nullable=False
            ),
            sa.Column("rev", sa.Integer(), nullable=False),
            sa.Column("data", sa.LargeBinary(), nullable=False),
            sqlite_strict=True,
        )
        op.create_index(f"ix_{table}_client_id", table, ["client_id"])
