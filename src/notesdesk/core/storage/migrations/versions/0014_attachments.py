"""Attachments: a file (PDF, PNG, JPEG) on a client, and its sealed chunks.

Revision ID: 0014
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"


def _owned(table: str, *extra: sa.schema.SchemaItem) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("client_id", sa.Text(), sa.ForeignKey("client.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        *extra,
        sqlite_strict=True,
    )
    op.create_index(f"ix_{table}_client_id", table, ["client_id"])


def upgrade() -> None:
    _owned("attachment")
    _owned(
        "attachment_chunk",
        sa.Column(
            "attachment_id", sa.Text(), sa.ForeignKey("attachment.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("part", sa.Integer(), nullable=False),
        # One chunk per place in the file; also the index a read goes through, chunk by chunk.
        sa.UniqueConstraint("attachment_id", "part"),
    )
