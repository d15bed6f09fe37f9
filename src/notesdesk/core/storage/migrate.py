"""Schema migrations with alembic, run programmatically when a vault is opened.

Before an upgrade of an existing vault a safety copy is taken through SQLite's backup API; the copy
is as sealed as the vault itself.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from notesdesk.core.storage.sqlite import backup_to

MIGRATIONS = Path(__file__).with_name("migrations")


def config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def revisions() -> frozenset[str]:
    """Every revision a vault of this version may be at (each one it can migrate from)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(script.revision for script in ScriptDirectory.from_config(config).walk_revisions())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, path: Path, safety_copy: bool) -> Path | None:
    """Bring the schema to head. Returns the safety copy's path when one was made."""
    current = current_revision(engine)
    if current == head_revision():
        return None
    copy = None
    if safety_copy and current is not None:
        copy = path.with_name(f"{path.name}.pre-{current}.bak")
        backup_to(path, copy)
    with engine.begin() as connection:
        command.upgrade(config(connection), "head")
    return copy
