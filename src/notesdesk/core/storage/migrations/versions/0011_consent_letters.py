"""Consent and agreements on a client (releases of information among them) and letters kept as sent.

Revision ID: 0011
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    for table in ("consent", "letter"):
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
