"""Signed plan reviews and client agreements: append-only records beside the plan version they are
about (a signed version never changes; docs/design-notes.md, "Signed plans").

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"

APPEND_ONLY = {"plan_review": "plan review is signed and append-only",
               "plan_agreement": "plan agreement is append-only"}


def upgrade() -> None:
    for table, refusal in APPEND_ONLY.items():
        op.create_table(
            table,
            sa.Column("id", sa.Text(), primary_key=True),
            sa.Column("plan_id", sa.Text(), sa.ForeignKey("plan.id", ondelete="RESTRICT"), nullable=False),
            sa.Column(
                "client_id", sa.Text(), sa.ForeignKey("client.id", ondelete="RESTRICT"), nullable=False
            ),
            sa.Column("rev", sa.Integer(), nullable=False),
            sa.Column("data", sa.LargeBinary(), nullable=False),
            sqlite_strict=True,
        )
        op.create_index(f"ix_{table}_client_id", table, ["client_id"])
        op.create_index(f"ix_{table}_plan_id", table, ["plan_id"])
        # Like a signed addendum: no update ever, deletion only while retention destroys the record.
        op.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN NOT EXISTS (SELECT 1 FROM purge WHERE client_id = OLD.client_id) "
            f"BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
        )
