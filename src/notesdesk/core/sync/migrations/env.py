"""The server's alembic environment (PostgreSQL), separate from the vault's: run by core/sync/server.py
with an open connection."""

from __future__ import annotations

from alembic import context

from notesdesk.core.sync.server_tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, version_table="alembic_version_sync")
with context.begin_transaction():
    context.run_migrations()
