"""The vault's SQLite connection itself, inside the session's transaction.

The statements every save and every read of a few rows run (a row read, written or audited, the
audit head, a client summary) are plain SQL on the driver's connection: built through SQLAlchemy,
each cost more than the row's sealing and hashing together (bench/RESULTS.md). They run in the
transaction the session began (`BEGIN IMMEDIATE`, sqlite.py), so they commit or roll back with it,
and a failure is raised as SQLAlchemy's own error for it, so the unit of work tells a full disk, a
read-only vault and a damaged file apart as it does for every other statement (uow.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from notesdesk.core.errors import NotesdeskError

_DRIVER = "raw_driver_connection"

Params = Sequence[object]
Row = tuple[Any, ...]  # as SQLite gives it: str, int, bytes, float or None per column


def connection(session: Session) -> sqlite3.Connection:
    """The session's SQLite connection, its transaction begun. Kept in the session between
    statements; once the session's transaction has ended (a commit), asked again, which begins the
    next one: a statement here never runs outside a transaction."""
    driver: sqlite3.Connection | None = session.info.get(_DRIVER)
    if driver is None or not driver.in_transaction:
        found = session.connection().connection.driver_connection
        if not isinstance(found, sqlite3.Connection):
            raise NotesdeskError("The vault's connection is not a SQLite one.")
        driver = found
        session.info[_DRIVER] = driver
        if not driver.in_transaction:  # a bug (a transaction ended behind the session), never autocommit
            raise NotesdeskError("The vault could not begin a transaction; nothing was saved.")
    return driver


def execute(session: Session, sql: str, params: Params = ()) -> sqlite3.Cursor:
    """`sql` run in the session's transaction; SQLite's errors raised as SQLAlchemy's (DBAPIError),
    without the parameters (sealed values and ids have no place in an error message)."""
    try:
        return connection(session).execute(sql, params)
    except sqlite3.Error as exc:
        raise _wrapped(sql, exc) from exc


def one(session: Session, sql: str, params: Params = ()) -> Row | None:
    """The first row of `sql`, or None."""
    try:
        row: Row | None = connection(session).execute(sql, params).fetchone()
    except sqlite3.Error as exc:
        raise _wrapped(sql, exc) from exc
    return row


def rows(session: Session, sql: str, params: Params = ()) -> list[Row]:
    """Every row of `sql` (fetched here, so a damaged page is reported as the others are)."""
    try:
        return connection(session).execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        raise _wrapped(sql, exc) from exc


def _wrapped(sql: str, exc: sqlite3.Error) -> BaseException:
    return DBAPIError.instance(sql, None, exc, sqlite3.Error, hide_parameters=True)
