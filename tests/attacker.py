"""The file without the key: what someone who copies or edits a vault with the sqlite3 module can do.
Shared by the integrity tests (core, CLI and app) so that each attack is made the same way."""

from __future__ import annotations

import sqlite3
from pathlib import Path

Rows = list[tuple[object, ...]]


def edit(path: Path, *statements: tuple[str, tuple[object, ...]]) -> list[Rows]:
    """Run statements on the vault file, each one's rows returned. Triggers are dropped for the edit
    and put back after it, as a careful attacker would: a vault missing one is refused before anything
    else is checked (storage/schema.py)."""
    conn = sqlite3.connect(path)
    try:
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger'").fetchall()
        for name, _ddl in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        results = [conn.execute(text, params).fetchall() for text, params in statements]
        for _name, ddl in triggers:
            conn.execute(ddl)
        conn.commit()
        return results
    finally:
        conn.close()


def edit_one(path: Path, statement: str, *params: object) -> Rows:
    """`edit` of one statement: its rows."""
    return edit(path, (statement, params))[0]
