"""The vault's SQLite connection itself, and the unit of work's transaction on it.

The statements every save and every read of a few rows run (a row read, written or audited, the
audit head, a client summary) are plain SQL on the driver's connection: built through SQLAlchemy,
each cost more than the row's sealing and hashing together, and so did SQLAlchemy's own beginning,
committing and rolling back of each unit of work's transaction (bench/RESULTS.md). So the unit of
work begins its one transaction on the driver (`BEGIN IMMEDIATE`, sqlite.py), and a statement made
through SQLAlchemy in the same unit of work joins it (sqlite.py, `_begin_unless_begun`): SQLAlchemy
commits or rolls back the same transaction. `commit` and `rollback` here end it when SQLAlchemy had
no part in it. A failure is raised as SQLAlchemy's own error for it, so the unit of work tells a full
disk, a read-only vault and a damaged file apart as it does for every other statement (uow.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from notesdesk.core.errors import NotesdeskError
from notesdesk.core.storage.sqlite import DRIVERS

_DRIVER = "raw_driver_connection"

Params = Sequence[object]
Row = tuple[Any, ...]  # as SQLite gives it: str, int, bytes, float or None per column


def connection(session: Session) -> sqlite3.Connection:
    """The session's SQLite connection, in a transaction: the one under way (begun here or by
    SQLAlchemy), else a new one begun here. A statement here never runs outside a transaction."""
    driver: sqlite3.Connection | None = session.info.get(_DRIVER)
    if driver is not None and driver.in_transaction:
        return driver
    known = DRIVERS.get(session.bind) if isinstance(session.bind, Engine) else None
    if known is None:  # an engine sqlite.py did not make, or not connected yet: SQLAlchemy begins
        found = session.connection().connection.driver_connection
        if not isinstance(found, sqlite3.Connection):
            raise NotesdeskError("The vault's connection is not a SQLite one.")
        driver = found
    else:
        driver = known.connection
        if not driver.in_transaction:
            try:
                driver.execute(known.begin)
            except sqlite3.Error as exc:
                raise _wrapped(known.begin, exc) from exc
    session.info[_DRIVER] = driver
    if not driver.in_transaction:  # a bug (a transaction ended behind the session), never autocommit
        raise NotesdeskError("The vault could not begin a transaction; nothing was saved.")
    return driver


def commit(session: Session) -> None:
    """End the unit of work's transaction on the driver, if one is still under way (after the
    session's commit, which ends it when SQLAlchemy had joined it)."""
    _end(session, "COMMIT")


def rollback(session: Session) -> None:
    _end(session, "ROLLBACK")


def _end(session: Session, statement: str) -> None:
    driver: sqlite3.Connection | None = session.info.get(_DRIVER)
    if driver is None or not driver.in_transaction:
        return
    try:
        driver.execute(statement)
    except sqlite3.Error as exc:
        raise _wrapped(statement, exc) from exc


def execute(session: Session, sql: str, params: Params = ()) -> sqlite3.Cursor:
    """`sql` run in the session's transaction; SQLite's errors raised as SQLAlchemy's (DBAPIError),
    without the parameters (sealed values and ids have no place in an error message)."""
    try:
        return connection(session).execute(sql, params)
    except sqlite3.Error as exc:
        raise _wrapped(sql, exc) from exc


def execute_many(session: Session, sql: str, many: Sequence[Params]) -> None:
    """`execute` of one statement over many parameter rows (a pulled batch's rows and entries)."""
    try:
        connection(session).executemany(sql, many)
    except sqlite3.Error as exc:
        raise _wrapped(sql, exc) from exc


def one(session: Session, sql: str, params: Params = ()) -> Row | None:
    """The first row of `sql`, or None."""
    try:
        row: Row | None = connection(session).execute(sql, params).fetchone()
    except sqlite3.Error as exc:
        raise _wrapped(sql, exc) from exc
    return row


def stream(session: Session, sql: str, params: Params = ()) -> Iterator[Row]:
    """The rows of `sql` one at a time, as SQLite reads them (a full table is never held twice: its
    sealed rows and what they decrypt to); a failure while reading is raised as `execute` raises it."""
    try:
        cursor = connection(session).execute(sql, params)
        while chunk := cursor.fetchmany(_CHUNK):
            yield from chunk
    except sqlite3.Error as exc:
        raise _wrapped(sql, exc) from exc


_CHUNK = 256


def rows(session: Session, sql: str, params: Params = ()) -> list[Row]:
    """Every row of `sql` (fetched here, so a damaged page is reported as the others are)."""
    try:
        return connection(session).execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        raise _wrapped(sql, exc) from exc


def _wrapped(sql: str, exc: sqlite3.Error) -> BaseException:
    return DBAPIError.instance(sql, None, exc, sqlite3.Error, hide_parameters=True)
