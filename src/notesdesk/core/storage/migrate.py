"""Schema migrations with alembic, run programmatically when a vault is opened.

Before an upgrade of an existing vault a safety copy is taken through SQLite's backup API; the copy
is as sealed as the vault itself. Alembic is imported only when a vault needs migrating (or to read
the migrations themselves): a vault already at the newest revision (schema_expected.HEAD, kept equal
to the migrations' head by tests/security/test_schema_snapshot.py) opens without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect

from notesdesk.core.storage import schema_expected
from notesdesk.core.storage.sqlite import backup_to

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def revisions() -> frozenset[str]:
    """Every revision a vault of this version may be at (each one it can migrate from)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(script.revision for script in ScriptDirectory.from_config(config).walk_revisions())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return revision_of(connection)


def revision_of(connection: Connection) -> str | None:
    """The schema revision, read on a connection the caller holds (a unit of work's)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    found = [row[0] for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")]
    if len(found) == 1:
        return str(found[0])
    from alembic.runtime.migration import MigrationContext  # none or several: alembic's answer

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, path: Path, safety_copy: bool) -> Path | None:
    """Bring the schema to head. Returns the safety copy's path when one was made."""
    current = current_revision(engine)
    if current == schema_expected.HEAD or current == head_revision():
        return None
    copy = None
    if safety_copy and current is not None:
        copy = path.with_name(f"{path.name}.pre-{current}.bak")
        backup_to(path, copy)
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(config(connection), "head")
    return copy
