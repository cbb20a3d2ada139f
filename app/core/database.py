"""Database engine tuning and the column types every model shares."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import DateTime, bindparam, column, event, exc, literal_column, text
from sqlalchemy.dialects.postgresql import psycopg2
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

from app.core.private_files import create_private_file, tighten

SQLITE_BUSY_TIMEOUT_MS = 15_000

# A pooled server connection idle longer than this is pinged before it is handed out (see
# _ping_when_idle); one in steady use is not.
PING_AFTER_IDLE_SECONDS = 1.0


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, hands back aware UTC datetimes on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        """Convert aware values to naive UTC before they reach the database."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        """Mark values read back as UTC."""
        return None if value is None else value.replace(tzinfo=UTC)


def init_app(app: Flask) -> None:
    """Tune SQLite connections (WAL, busy timeout, foreign keys) when SQLite is in use."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    # Failed statements must never copy message or journal text into error logs.
    options.setdefault("hide_parameters", True)
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        prepare_sqlite_file(uri)
    else:
        options.setdefault("pool_size", 10)
        options.setdefault("max_overflow", 20)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def prepare_sqlite_file(uri: str) -> None:
    """Create the database file 0600 before SQLite first opens it.

    SQLite gives the -wal, -shm and -journal files the mode of the database file, so they are
    private too. Files made by an older version are tightened. A missing folder is not created:
    a mistyped path must fail as before rather than start on an empty database.
    """
    database = make_url(uri).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database).expanduser().absolute()
    if not path.parent.is_dir():
        return
    if not create_private_file(path):
        for suffix in ("", "-wal", "-shm", "-journal"):
            tighten(Path(f"{path}{suffix}"))


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record) -> None:
    """WAL lets readers and a writer work side by side; the busy timeout waits out locks."""
    if not _is_sqlite(dbapi_connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Pool, "checkin")
def _note_checkin(dbapi_connection, connection_record) -> None:
    """Remember when a connection went back to the pool (for _ping_when_idle)."""
    if connection_record is not None:
        connection_record.info["checked_in_at"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_when_idle(dbapi_connection, connection_record, connection_proxy) -> None:
    """Hand out a live server connection: ping one that sat idle, replace it if it is dead.

    SQLAlchemy's `pool_pre_ping` pings on every checkout: one more round trip for each
    `message:send`, a sixth of its trips to PostgreSQL. A connection given back within the last
    second was working then; if the server died since, the statement fails as a disconnect,
    SQLAlchemy drops the whole pool, the caller answers with an error and the client's resend
    finds fresh connections. A connection idle for longer (a quiet night, a restarted database)
    is pinged first, and a dead one is swapped for a new one before anyone uses it.
    """
    checked_in_at = connection_record.info.get("checked_in_at")
    if checked_in_at is None or time.monotonic() - checked_in_at < PING_AFTER_IDLE_SECONDS:
        return  # fresh from connect, or in steady use
    if not answers_ping(dbapi_connection):
        raise exc.DisconnectionError("idle connection failed its ping")


def answers_ping(dbapi_connection) -> bool:
    """Does this server connection still answer? (A SQLite file always does.) Leaves no
    transaction open behind the ping."""
    if _is_sqlite(dbapi_connection):
        return True
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()
    except Exception:
        return False
    return True


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, millisecond precision (every timestamp the API sends)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Prepared:
    """A hot Core statement that each PostgreSQL connection prepares once (SQL `PREPARE`), then
    runs with `EXECUTE`: the server parses and plans it once per connection, not on every call.

    `build(*placeholders)` makes the statement with `$1..$n` where its parameters go; `params`
    names them, in order, with their types. `call()` is the typed `EXECUTE`, optionally after
    other SQL sent in the same round trip.
    """

    def __init__(self, name: str, build, params: dict) -> None:
        placeholders = [literal_column(f"${n}", kind) for n, kind in enumerate(params.values(), 1)]
        statement = build(*placeholders)
        compiled = statement.compile(
            dialect=psycopg2.dialect(), compile_kwargs={"literal_binds": True}
        )
        self.name, self.sql = name, str(compiled)
        self._binds = [bindparam(key, type_=kind) for key, kind in params.items()]
        self._columns = [column(c.name, c.type) for c in statement.exported_columns]
        self._arguments = ", ".join(f":{key}" for key in params)
        self._calls: dict[str, object] = {}

    def call(self, connection, before: str = ""):
        """The statement to execute on `connection` (prepared there first if it is new)."""
        prepared = connection.info.setdefault("holdspace.prepared", set())
        if self.name not in prepared:
            connection.exec_driver_sql(f"PREPARE {self.name} AS {self.sql}")
            prepared.add(self.name)
        if before not in self._calls:
            sql = f"{before}EXECUTE {self.name}({self._arguments})"
            self._calls[before] = text(sql).bindparams(*self._binds).columns(*self._columns)
        return self._calls[before]
