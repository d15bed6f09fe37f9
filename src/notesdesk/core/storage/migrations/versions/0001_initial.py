"""The first vault layout: sealed tables with clear ids, foreign keys, revision and signed flag.

Revision ID: 0001
Revises:
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from notesdesk.core.storage.sqlite import create_triggers

revision = "0001"
down_revision = None

STRICT = {"sqlite_strict": True}


def _sealed(name: str, *clear: sa.Column[Any]) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Text(), primary_key=True),
        *clear,
        sa.Column("rev", sa.Integer(), nullable=False),
        *(
            [sa.Column("signed", sa.Integer(), nullable=False)]
            if name in ("note", "addendum")
            else []
        ),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        **STRICT,
    )
    for column in clear:
        op.create_index(f"ix_{name}_{column.name}", name, [column.name])


def _client_fk() -> sa.Column[str]:
    return sa.Column(
        "client_id", sa.Text(), sa.ForeignKey("client.id", ondelete="RESTRICT"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        **STRICT,
    )
    op.create_table(
        "keyslot",
        sa.Column("kind", sa.Text(), primary_key=True),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        **STRICT,
    )
    op.create_table(
        "audit",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("mac", sa.LargeBinary(), nullable=False),
        **STRICT,
    )
    _sealed("secret")
    _sealed("client")
    _sealed("episode", _client_fk())
    _sealed("note", _client_fk())
    _sealed(
        "addendum",
        sa.Column(
            "note_id", sa.Text(), sa.ForeignKey("note.id", ondelete="RESTRICT"), nullable=False
        ),
        _client_fk(),
    )
    for name in ("private_note", "plan", "homework", "milestone", "phase", "safety_plan", "measure"):
        _sealed(name, _client_fk())
    create_triggers(op.get_bind())
