"""The vault's structure (tables, indexes, triggers, `alembic_version`) checked before any migration.

The expected structure of each revision is not a hand-kept copy: it is what `sqlite_master` holds in
an empty database brought to that revision by the same migrations that made or upgraded the vault
(migrate.py). Running the migrations costs about 0.2 s per process, so their result is kept in a
generated snapshot (schema_expected.py, written by `python -m notesdesk.core.storage.schema`), and a
test regenerates it and fails when the migrations and the snapshot differ
(tests/security/test_schema_snapshot.py). A dropped trigger (the ones refusing changes to signed
notes and to the audit log, sqlite.py) or a planted table, index, view or trigger is damage.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.pool import StaticPool

from notesdesk.core.errors import NotesdeskError, VaultDamaged
from notesdesk.core.storage import migrate, schema_expected

SNAPSHOT = Path(__file__).with_name("schema_expected.py")
REGENERATE = ".venv/bin/python -m notesdesk.core.storage.schema"

Entry = tuple[str, str, str, str]  # type, name, table, SQL with its whitespace collapsed

# SQLite's own statistics tables may appear after ANALYZE or PRAGMA optimize: not ours, harmless.
_OWN = "sqlite_stat"


def structure(connection: Connection) -> frozenset[Entry]:
    rows = connection.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master").all()
    return frozenset(
        (str(kind), str(name), str(table), " ".join(str(sql or "").split()))
        for kind, name, table, sql in rows
        if not str(name).startswith(_OWN)
    )


@cache
def expected(revision: str) -> frozenset[Entry]:
    """The structure an empty vault has at `revision`: from the snapshot, or (a revision it lacks)
    made now by the migrations themselves."""
    known = schema_expected.EXPECTED.get(revision)
    if known is not None:
        return frozenset(known)
    return derived(revision)


def derived(revision: str) -> frozenset[Entry]:
    """The structure an empty vault has at `revision`, made now by the migrations themselves."""
    from alembic import command  # only here: importing alembic is most of the cost

    engine = create_engine("sqlite://", poolclass=StaticPool)
    try:
        with engine.begin() as connection:
            command.upgrade(migrate.config(connection), revision)
        with engine.connect() as connection:
            return structure(connection)
    finally:
        engine.dispose()


def check_structure(engine: Engine) -> None:
    """Raise VaultDamaged unless the vault's structure is exactly that of its recorded revision.
    Reads only: a refused vault is left as it was."""
    with engine.connect() as connection:
        found = structure(connection)
        tables = {name for kind, name, _table, _sql in found if kind == "table"}
        if "alembic_version" not in tables:
            raise VaultDamaged("The vault's structure is damaged or altered (no schema revision).")
        revisions = [row[0] for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")]
    if len(revisions) != 1:
        raise VaultDamaged("The vault's structure is damaged or altered (its schema revision is unclear).")
    revision = revisions[0]
    if revision not in schema_expected.EXPECTED and revision not in migrate.revisions():
        raise NotesdeskError(
            "This vault's layout is not one this version of NotesDesk knows: it was made by a newer "
            "NotesDesk, or altered. Nothing was changed."
        )
    wanted = expected(revision)
    if found != wanted:
        extra = sorted(f"{kind} {name}" for kind, name, _t, _s in found - wanted)
        missing = sorted(f"{kind} {name}" for kind, name, _t, _s in wanted - found)
        what = "; ".join(
            part for part in (
                f"unexpected or changed: {', '.join(extra)}" if extra else "",
                f"missing or changed: {', '.join(missing)}" if missing else "",
            ) if part
        )
        raise VaultDamaged(
            f"The vault's structure was altered ({what}); it was not opened and nothing was changed."
        )


def _chain() -> list[tuple[str, str | None]]:
    """Every revision with the one it follows, oldest first."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    scripts = list(ScriptDirectory.from_config(config).walk_revisions())  # newest first
    chain: list[tuple[str, str | None]] = []
    for script in reversed(scripts):
        follows = script.down_revision
        assert follows is None or isinstance(follows, str), "the migrations are one line, never merged"
        chain.append((script.revision, follows))
    return chain


def snapshot_source() -> str:
    """The text of schema_expected.py, derived from the migrations: each revision as what it adds to
    and takes from the one it follows, so the file grows by a migration's tables, not a whole schema."""
    lines = [
        '"""Generated from the migrations by `python -m notesdesk.core.storage.schema`: do not edit.',
        "",
        "Each revision's expected structure (type, name, table, SQL with its whitespace collapsed), as",
        "schema.py reads it: written as what each migration adds to and removes from the revision it",
        "follows, and folded into EXPECTED below; tests/security/test_schema_snapshot.py fails when it",
        "differs from the migrations.",
        '"""',
        "",
        "# ruff: noqa: E501",
        "",
        "Entry = tuple[str, str, str, str]",
        "",
        f"HEAD = {migrate.head_revision()!r}",
        "",
        "# revision: (the revision it follows, entries added, entries removed)",
        "CHANGES: dict[str, tuple[str | None, tuple[Entry, ...], tuple[Entry, ...]]] = {",
    ]
    for revision, follows in _chain():
        now = derived(revision)
        before = derived(follows) if follows is not None else frozenset()
        lines.append(f"    {revision!r}: (")
        lines.append(f"        {follows!r},")
        for part in (now - before, before - now):
            lines.append("        (")
            lines += [f"            {entry!r}," for entry in sorted(part)]
            lines.append("        ),")
        lines.append("    ),")
    lines += [
        "}",
        "",
        "EXPECTED: dict[str, frozenset[Entry]] = {}",
        "for _revision, (_follows, _added, _removed) in CHANGES.items():  # oldest first",
        "    _base = EXPECTED[_follows] if _follows is not None else frozenset()",
        "    EXPECTED[_revision] = (_base - frozenset(_removed)) | frozenset(_added)",
    ]
    return "\n".join([*lines, ""])


if __name__ == "__main__":
    SNAPSHOT.write_text(snapshot_source(), encoding="utf-8")
    print(f"wrote {SNAPSHOT}", file=sys.stderr)
