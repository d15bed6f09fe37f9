"""Everything SQLite-specific lives here: engine, pragmas, transactions, triggers, integrity checks.

A later PostgreSQL backend for group practices replaces this module, not the repositories.
"""

from __future__ import annotations

import sqlite3
import sys
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import StaticPool

MIN_SQLITE = (3, 37, 0)  # STRICT tables


@dataclass(frozen=True)
class Driver:
    """An engine's one SQLite connection, the statement that begins a transaction on it, and the
    later tables found in it so far (tables.has_table)."""

    connection: sqlite3.Connection
    begin: str
    tables: set[str] = field(default_factory=set)


# Each engine's driver, for the unit of work's statements (raw.py): a transaction it begins there
# is the one SQLAlchemy joins if a statement of its own follows (`_begin_unless_begun`).
DRIVERS: weakref.WeakKeyDictionary[Engine, Driver] = weakref.WeakKeyDictionary()


def _keep_driver(engine: Engine) -> None:
    """Forget an engine's driver once closed (a vault closed, then read again, reconnects)."""

    @event.listens_for(engine, "close")
    @event.listens_for(engine, "invalidate")
    def _forget(dbapi_connection: object, *_args: object) -> None:
        known = DRIVERS.get(engine)
        if known is not None and known.connection is dbapi_connection:
            del DRIVERS[engine]


def _begin_unless_begun(connection: Connection, begin: str) -> None:
    driver = connection.connection.driver_connection
    if isinstance(driver, sqlite3.Connection) and driver.in_transaction:
        return  # begun by the unit of work on the driver (raw.py): SQLAlchemy's statements join it
    connection.exec_driver_sql(begin)

TRIGGERS = (
    # A signed note or addendum can never change or disappear, whatever route the change takes.
    """CREATE TRIGGER IF NOT EXISTS note_signed_no_update BEFORE UPDATE ON note
       WHEN OLD.signed = 1 BEGIN SELECT RAISE(ABORT, 'note is signed and locked'); END""",
    """CREATE TRIGGER IF NOT EXISTS note_signed_no_delete BEFORE DELETE ON note
       WHEN OLD.signed = 1 BEGIN SELECT RAISE(ABORT, 'note is signed and locked'); END""",
    """CREATE TRIGGER IF NOT EXISTS addendum_no_update BEFORE UPDATE ON addendum
       WHEN OLD.signed = 1 BEGIN SELECT RAISE(ABORT, 'addendum is signed and locked'); END""",
    """CREATE TRIGGER IF NOT EXISTS addendum_no_delete BEFORE DELETE ON addendum
       WHEN OLD.signed = 1 BEGIN SELECT RAISE(ABORT, 'addendum is signed and locked'); END""",
    # The audit log is append-only.
    """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
)


# From migration 0002: signed rows can be deleted only inside a retention purge of their client.
PURGE_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS note_signed_no_delete BEFORE DELETE ON note
       WHEN OLD.signed = 1 AND NOT EXISTS (SELECT 1 FROM purge WHERE client_id = OLD.client_id)
       BEGIN SELECT RAISE(ABORT, 'note is signed and locked'); END""",
    """CREATE TRIGGER IF NOT EXISTS addendum_no_delete BEFORE DELETE ON addendum
       WHEN OLD.signed = 1 AND NOT EXISTS (SELECT 1 FROM purge WHERE client_id = OLD.client_id)
       BEGIN SELECT RAISE(ABORT, 'addendum is signed and locked'); END""",
)


def check_sqlite_version() -> None:
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise RuntimeError(f"SQLite {sqlite3.sqlite_version} is too old; 3.37 or newer is needed.")


def make_engine(path: Path, read_only: bool = False, create: bool = False) -> Engine:
    """One shared connection (the vault has one writer: us) with durable, leak-free settings."""
    check_sqlite_version()
    mode = "ro" if read_only else ("rwc" if create else "rw")
    url = f"sqlite+pysqlite:///file:{path.as_posix()}?mode={mode}&uri=true"
    engine = create_engine(
        url,
        poolclass=StaticPool,
        connect_args={"check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit transactions are not what we want).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        pragmas = [
            "PRAGMA foreign_keys=ON",
            "PRAGMA secure_delete=ON",
            "PRAGMA temp_store=MEMORY",
            "PRAGMA synchronous=FULL",
            "PRAGMA trusted_schema=OFF",
        ]
        if not read_only:
            pragmas.append("PRAGMA journal_mode=DELETE")
        if sys.platform == "darwin":
            pragmas.append("PRAGMA fullfsync=ON")
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()
        DRIVERS[engine] = Driver(dbapi_connection, begin)

    # Take the write lock up front so a write never fails half-way on lock upgrade.
    begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"
    _keep_driver(engine)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        _begin_unless_begun(connection, begin)

    return engine


def make_memory_engine(image: bytes) -> Engine:
    """A read-only engine over a SQLite image held in memory (backups are checked this way, so no
    copy of the vault is written anywhere while verifying)."""
    check_sqlite_version()
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.deserialize(image)
    conn.isolation_level = None
    conn.execute("PRAGMA query_only=ON")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA trusted_schema=OFF")
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)
    DRIVERS[engine] = Driver(conn, "BEGIN")
    _keep_driver(engine)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        _begin_unless_begun(connection, "BEGIN")

    return engine


def engine_integrity_problems(engine: Engine) -> list[str]:
    try:
        with engine.connect() as connection:
            rows = [r[0] for r in connection.exec_driver_sql("PRAGMA integrity_check")]
            problems = [r for r in rows if r != "ok"]
            fks = list(connection.exec_driver_sql("PRAGMA foreign_key_check"))
            return problems + [f"foreign key: {r}" for r in fks]
    except Exception as exc:  # any failure reading a damaged image means "damaged"
        return [type(exc).__name__]


def create_triggers(connection: Connection) -> None:
    for ddl in TRIGGERS:
        connection.exec_driver_sql(ddl)


def recover_after_crash(path: Path) -> bool:
    """If a crash left a hot rollback journal, let SQLite roll it back now (a read-only connection
    cannot, and would report the vault as unreadable). Returns True when a journal was found."""
    journal = path.with_name(path.name + "-journal")
    try:
        if not journal.exists() or journal.stat().st_size == 0:
            return False
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=rw", uri=True)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return False  # the integrity check that follows reports the damage
    return True


def integrity_problems(path: Path) -> list[str]:
    """Full integrity_check (quick_check misses damage: docs/design-notes.md §3) plus FK check."""
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        problems = [r for r in rows if r != "ok"]
        problems += [f"foreign key: {r}" for r in conn.execute("PRAGMA foreign_key_check")]
        return problems
    except (sqlite3.Error, UnicodeDecodeError, ValueError, MemoryError) as exc:
        # A damaged file can surface as any of these; all of them mean "damaged".
        return [type(exc).__name__]
    finally:
        conn.close()


def looks_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def backup_to(path: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (never copy a live database file)."""
    source = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()


def is_disk_full(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database or disk is full" in text or "no space left" in text


def is_read_only(exc: BaseException) -> bool:
    return "readonly database" in str(exc).lower() or "read-only" in str(exc).lower()
