"""Let a record past its retention date be destroyed: signed rows may be deleted only while a purge
marker for their client exists, which the retention service sets inside the deleting transaction.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from notesdesk.core.storage.sqlite import PURGE_TRIGGERS

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "purge",
        sa.Column("client_id", sa.Text(), primary_key=True),
        sqlite_strict=True,
    )
    bind = op.get_bind()
    for name in ("note_signed_no_delete", "addendum_no_delete"):
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    for ddl in PURGE_TRIGGERS:
        bind.exec_driver_sql(ddl)
