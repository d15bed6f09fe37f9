"""The practice server: a stock PostgreSQL reached with psycopg 3 through SQLAlchemy.

Two kinds of connection: the administrator's URL, used once by `practice init` and `practice join` to
migrate the schema and create a device's own login role (never stored), and each device's own role
and password (stored sealed in its vault), used for everything else."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from notesdesk.core.errors import InvalidInput, NotesdeskError

MIGRATIONS = Path(__file__).with_name("migrations")
DEVICE_ROLE = "notesdesk_device"
OUTDATED = frozenset({"42P01", "42703"})  # undefined table, undefined column: a server not yet migrated
# unique violation, serialization failure, deadlock: another device wrote the same thing meanwhile
CLASH = frozenset({"23505", "40001", "40P01"})
UNREACHABLE = (
    "The practice server could not be reached, or the connection was lost; nothing was lost "
    "or half-written. Run the same command again."
)


class ServerUnavailable(NotesdeskError):
    """The server refused, dropped or never answered a connection (safe to retry)."""


ADDRESS_SHAPE = "The server address must look like postgresql://USER@HOST:PORT/DATABASE."
"""No password in the example: the app and `practice init`/`join` ask for it apart from the address."""


def check_url(url: str) -> str:
    """A postgresql:// URL, or a one-line refusal that never repeats it (it may hold a password)."""
    try:
        parsed = make_url(url.strip())
        port = parsed.port  # a port that is not a number fails here or in make_url (ValueError)
    except (ArgumentError, ValueError):
        raise InvalidInput(ADDRESS_SHAPE) from None
    if parsed.get_backend_name() != "postgresql" or not parsed.host or not parsed.database:
        raise InvalidInput(ADDRESS_SHAPE)
    if port is not None and not 0 < port < 65536:
        raise InvalidInput(ADDRESS_SHAPE)
    return url.strip()


def has_password(url: str) -> bool:
    return make_url(check_url(url)).password is not None


def with_password(url: str, password: str) -> str:
    """The address with the administrator's password put in (asked for, never typed into the address)."""
    return make_url(check_url(url)).set(password=password).render_as_string(hide_password=False)


def engine_for(url: str, kept: bool = False) -> Engine:
    """An engine on the server (the driver is psycopg 3). By default each use opens a fresh connection
    (NullPool). `kept`: one connection kept for the engine's life (a whole sync: its pulls no longer
    each pay a login), pinged before each use, so a server restarted meanwhile is simply reconnected
    to; the caller disposes of it."""
    parsed = make_url(check_url(url)).set(drivername="postgresql+psycopg")
    arguments: dict[str, object] = {"connect_timeout": 10}
    if not kept:
        return create_engine(parsed, poolclass=NullPool, connect_args=arguments)
    # A second connection only while one is in use (one step of a sync inside another's transaction).
    # Statements go as text each time, as on a fresh connection: no server-side prepared statements
    # (which a pooler in front of the server may not keep) for psycopg to set up on a kept one.
    return create_engine(parsed, pool_size=1, max_overflow=2, pool_pre_ping=True,
                         connect_args=arguments | {"prepare_threshold": None})


def device_url(admin_url: str, role: str, password: str) -> str:
    """The administrator's address (host, port, database and options such as sslmode kept) with the
    device's own role and password in place of the administrator's login."""
    parsed = make_url(check_url(admin_url)).set(username=role, password=password)
    return parsed.render_as_string(hide_password=False)


def public_address(url: str) -> str:
    """host:port/database, for status lines: never the role's password."""
    parsed = make_url(url)
    return f"{parsed.host}:{parsed.port or 5432}/{parsed.database}"


@contextmanager
def connected(engine: Engine) -> Iterator[Connection]:
    """One server transaction; every driver failure becomes one line (never the URL or the SQL)."""
    try:
        with engine.begin() as connection:
            yield connection
    except DBAPIError as exc:
        # libpq gives no SQLSTATE for a refused login; its fixed English text names only the role or
        # database, which are not client data, but the message here repeats neither.
        text = str(exc.orig)
        if "password authentication failed" in text:
            raise NotesdeskError("The practice server refused the login: wrong role or password. "
                                 "Nothing was changed.") from exc
        if "database" in text and "does not exist" in text:
            raise NotesdeskError("The practice server has no database of that name: create it first "
                                 "(README, \"Group practice\"). Nothing was changed.") from exc
        if getattr(exc.orig, "sqlstate", None) in OUTDATED:
            raise NotesdeskError(
                "The practice server's schema is older than this version of NotesDesk: an "
                "administrator runs 'notesdesk practice upgrade-server --server URL'. Nothing was changed."
            ) from exc
        if _is_refusal(exc):
            raise NotesdeskError(
                "The practice server refused this device's change (permission denied)."
            ) from exc
        if is_clash(exc):
            raise NotesdeskError(
                "Another device changed the same thing on the practice server meanwhile: sync, then run "
                "the same command again. Nothing was changed."
            ) from exc
        raise ServerUnavailable(UNREACHABLE) from exc


def is_clash(exc: DBAPIError) -> bool:
    """The server refused a write because another device's, committed meanwhile, took its place (not a
    lost connection: trying again at once meets the same)."""
    return getattr(exc.orig, "sqlstate", None) in CLASH


def _is_refusal(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == "42501"  # insufficient_privilege


def migrate(engine: Engine) -> None:
    """Bring the server's schema to this version's head (its own alembic environment and version table)."""
    from alembic import command
    from alembic.config import Config

    with connected(engine) as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def new_device_role(connection: Connection) -> tuple[str, str]:
    """A new login role for one device, in the device group, in the caller's transaction: PostgreSQL's
    CREATE ROLE is transactional, so a join that fails later leaves no role behind. (role, password)"""
    role = "nd_device_" + secrets.token_hex(8)
    password = secrets.token_urlsafe(24)
    # Role names and passwords cannot be bound parameters; both are generated here, never typed.
    connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}' IN ROLE {DEVICE_ROLE}"))
    return role, password
