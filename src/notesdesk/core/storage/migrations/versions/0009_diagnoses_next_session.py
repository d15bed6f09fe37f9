"""Diagnoses (ICD-10-CM codes on a client) and each client's next session date and cadence.

Revision ID: 0009
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"


def upgrade() -> None:
    for table in ("diagnosis", "next_session"):
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
