"""The client summary (storage/summaries.py): what the client list's flags are computed from, one
sealed row per client, so the list's flags need no decryption of the whole practice. And a narrow
index over the audit table's sequence numbers, so that counting the entries at unlock (head.py) reads
a few bytes per entry instead of every entry.

A migration has no key, so it only makes the table; the first unlock of the migrated vault builds
the summaries from the records (Vault._unlock), as it does the audit head.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "client_summary",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sqlite_strict=True,
    )
    op.create_index("ix_audit_seq", "audit", ["seq"])
