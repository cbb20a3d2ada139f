"""Hot statements: those that store every `message:send`, run on the driver's own cursor.

A Core `execute()` spends far more of our CPU around the driver than in it: on each call it
looks the compiled statement up in a cache, builds an execution context, binds parameters by
walking the compiled form, wraps the cursor in a result and its rows in `Row` objects. For the
sender's read and the message's insert that machinery was about 30 % of the server's whole CPU
under load (py-spy, rooms of 10 at 700 msg/s on SQLite), against 9 % in the database itself.

A `HotStatement` compiles its statement once per dialect and keeps what that gives: the SQL
string, the order of its parameters, and the type processors of its parameters and columns
(so values go in and come back exactly as through `execute()`: aware UTC datetimes, booleans on
SQLite). Each call then binds a tuple, runs it on a cursor of a `hot_transaction`'s pooled
connection, and returns plain named tuples. What it keeps from SQLAlchemy's execution: listeners
of the engine's `before_cursor_execute` still see each statement, and a driver error is raised
as SQLAlchemy raises it (`sqlalchemy.exc.IntegrityError` and so on, values hidden; a lost
connection replaced along with the rest of the pool).

On PostgreSQL the statement is also `PREPARE`d once per pooled connection, then `EXECUTE`d:
psycopg2 sends text, so PostgreSQL would otherwise parse and plan the four-table read on every
send (planning 0.15 ms, running 0.05 ms). Prepared statements belong to the server connection:
they outlive a rolled-back transaction, and a connection the pool replaces starts with none, so
the bookkeeping lives in the pooled connection's own `info`. PostgreSQL re-plans them by itself
when a migration changes a table; one that changes the columns they return makes them fail
until the process restarts (a deploy restarts it after migrating). Behind a pooler in
transaction mode (PgBouncer) they would not work; Holdspace connects directly.
"""

from __future__ import annotations

import contextlib
import time
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NoReturn

from sqlalchemy import event, exc
from sqlalchemy.dialects.postgresql.psycopg2 import PGDialect_psycopg2
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.sql import ClauseElement

from app.core import database
from app.extensions import db

# Compiles with $1, $2, ... for PREPARE; only used to render, never to connect.
_DOLLAR = PGDialect_psycopg2(paramstyle="numeric_dollar")


@dataclass(frozen=True, slots=True)
class _Form:
    """A statement as one dialect runs it: SQL, parameter order and processors, row type."""

    sql: str
    prepare_sql: str | None
    names: tuple[str, ...]  # the parameters, in the order the driver takes them
    named: bool  # the driver takes a dict (pyformat) rather than a tuple
    binds: tuple[Callable | None, ...]  # per parameter of `names`
    results: tuple[Callable | None, ...]  # per column
    row: type  # a namedtuple of the columns

    def arguments(self, params: dict):
        values = [
            value if process is None else process(value)
            for value, process in zip((params[n] for n in self.names), self.binds, strict=True)
        ]
        return dict(zip(self.names, values, strict=True)) if self.named else tuple(values)

    def make_row(self, raw: tuple):
        return self.row._make(
            value if process is None else process(value)
            for value, process in zip(raw, self.results, strict=True)
        )


class HotConnection:
    """A pooled driver connection for the hot path, outside the ORM session (`hot_transaction`)."""

    __slots__ = ("dialect", "engine", "pool", "pooled")

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect
        self.pool = engine.pool  # replaced when a lost connection disposes of it (`fail`)
        self.pooled = engine.raw_connection()

    def commit(self) -> None:
        """Commit what this transaction wrote (a driver error is wrapped, as for a statement)."""
        try:
            self.pooled.commit()
        except Exception as error:
            self.fail(error, "COMMIT", None, None)

    def rollback(self) -> None:
        """Roll back whatever was not committed (after a commit the drivers send nothing)."""
        try:
            self.pooled.rollback()
        except Exception as error:
            self.fail(error, "ROLLBACK", None, None)

    def fail(self, error: Exception, sql: str, arguments, cursor) -> NoReturn:
        """Raise a driver error as SQLAlchemy would: wrapped in `sqlalchemy.exc` (values hidden),
        and when the connection is lost, this connection and the rest of the pool replaced (the
        sender gets an error ack; their resend finds fresh connections)."""
        dbapi_error = self.dialect.loaded_dbapi.Error
        if not isinstance(error, dbapi_error):
            raise error
        lost = self.dialect.is_disconnect(error, self.pooled.dbapi_connection, cursor)
        if lost:
            self.pooled.invalidate(error)
            self.engine.dispose(close=False)  # connections out now are dropped when returned
        raise exc.DBAPIError.instance(
            sql,
            arguments,
            error,
            dbapi_error,
            hide_parameters=True,
            connection_invalidated=lost,
            dialect=self.dialect,
        ) from error


class KeptConnections:
    """Connections a writer keeps between its transactions (the sends' group commit).

    Handing a connection out of SQLAlchemy's pool and taking it back cost 150-170 µs of CPU
    per batch of sends (the pool's events, locks and queue, and its rollback on return), about
    a quarter of a send's database work on SQLite; near capacity most batches hold one send.
    So the writer keeps up to `limit` connections (its batches at once), most recently used
    first. Each is taken from the pool once and detached from it: the pool opens another in its
    place when it needs one, so a kept connection never holds a place that a page or a login
    check is waiting for. A kept connection is closed after any error in its transaction; one
    idle for `database.PING_AFTER_IDLE_SECONDS` is pinged first, as the pool pings its own;
    and all are closed when the engine is disposed of (a lost connection does that, and so
    does every test's teardown: the pool's own `dispose` knows nothing of detached ones).
    """

    def __init__(self, engine: Engine, limit: int) -> None:
        self.engine = engine
        self.limit = limit
        self._idle: list[tuple[HotConnection, float]] = []  # with when each was kept
        event.listen(engine, "engine_disposed", self._close_all)

    def _close_all(self, engine: Engine) -> None:
        idle, self._idle = self._idle, []
        for hot, _ in idle:
            with contextlib.suppress(Exception):  # already lost, perhaps
                hot.pooled.close()

    def take(self) -> HotConnection:
        """A kept connection still fit to use, else a new one of our own."""
        now = time.monotonic()
        while True:
            try:
                hot, kept_at = self._idle.pop()  # atomic: batches may take side by side
            except IndexError:
                return self._detached()
            if hot.pool is self.engine.pool and (
                now - kept_at < database.PING_AFTER_IDLE_SECONDS
                or database.answers_ping(hot.pooled.dbapi_connection)
            ):
                return hot
            hot.pooled.close()  # detached: really closed (one in use at a dispose)

    def keep(self, hot: HotConnection) -> None:
        """Keep `hot` (its transaction over) for the next take, or close it when full."""
        if len(self._idle) < self.limit:
            self._idle.append((hot, time.monotonic()))
        else:
            hot.pooled.close()

    def _detached(self) -> HotConnection:
        hot = HotConnection(self.engine)
        hot.pooled.detach()  # its `info` (prepared statements) goes with it
        return hot


@contextmanager
def hot_transaction(kept: KeptConnections | None = None) -> Iterator[HotConnection]:
    """A transaction on its own pooled connection, for the statements of one batch of sends
    (app/live/services.py, `_write_sends`).

    The ORM session costs more than the statements it would run: beginning, handing out
    its connection and committing took about as long again as the statements themselves (cProfile
    of a send loop). So the send path runs its `HotStatement`s here and calls `commit()` itself;
    leaving the block without committing rolls back (also on an exception). The connection goes
    back to the pool, or, with `kept`, is kept for the next transaction when this one ended
    without an error. Nothing here touches `db.session`, whose work is its own.
    """
    hot = kept.take() if kept is not None else HotConnection(db.engine)
    try:
        yield hot
        if kept is not None:
            hot.rollback()  # what was left uncommitted; nothing after a commit
            kept.keep(hot)
            hot = None
    finally:
        if hot is not None:
            hot.pooled.close()  # back to the pool, which rolls back whatever was not committed


class HotStatement:
    """One statement on the hot path, run on the driver's cursor (see the module docstring).

    `postgresql` replaces `statement` there (the same columns, plus what only PostgreSQL has).
    `column_keys` fixes the columns of an INSERT (every call must bind exactly those).
    """

    def __init__(
        self,
        name: str,
        statement: ClauseElement,
        postgresql: ClauseElement | None = None,
        column_keys: Iterable[str] | None = None,
    ) -> None:
        self.name = f"hs_{name}"
        self.statement = statement
        self.postgresql = postgresql if postgresql is not None else statement
        self.column_keys = list(column_keys) if column_keys is not None else None
        self._forms: dict[str, _Form] = {}

    def execute(self, hot: HotConnection, params: dict) -> list:
        """Run it in `hot`'s transaction: its rows, as named tuples."""
        form = self._forms.get(hot.dialect.name) or self._compile(hot.dialect)
        cursor = hot.pooled.cursor()
        sql = form.sql
        arguments = None
        try:
            if form.prepare_sql is not None:
                prepared = hot.pooled.info.setdefault("hot_statements", set())
                if self.name not in prepared:
                    sql = form.prepare_sql
                    _run(hot, cursor, sql, None)
                    prepared.add(self.name)
                    sql = form.sql
            arguments = form.arguments(params)
            _run(hot, cursor, sql, arguments)
            rows = cursor.fetchall()
        except Exception as error:
            hot.fail(error, sql, arguments, cursor)
        finally:
            cursor.close()
        return [form.make_row(raw) for raw in rows]

    def first(self, hot: HotConnection, params: dict):
        """The first row, or None."""
        rows = self.execute(hot, params)
        return rows[0] if rows else None

    def _compile(self, dialect: Dialect) -> _Form:
        if dialect.name == "postgresql":
            form = _postgresql_form(self.name, self.postgresql, self.column_keys, dialect)
        else:
            form = _plain_form(self.statement, self.column_keys, dialect)
        self._forms[dialect.name] = form
        return form


def _run(hot: HotConnection, cursor, sql: str, arguments) -> None:
    """Execute on the cursor, first telling the engine's `before_cursor_execute` listeners
    (with no `Connection`: there is none)."""
    for listener in hot.engine.dispatch.before_cursor_execute:
        sql, arguments = listener(None, cursor, sql, arguments, None, False)
    if arguments is None:
        cursor.execute(sql)
    else:
        cursor.execute(sql, arguments)


def _plain_form(statement: ClauseElement, column_keys, dialect: Dialect) -> _Form:
    """SQLite's form (its driver takes `?` parameters, in order); PostgreSQL has its own."""
    compiled = statement.compile(dialect=dialect, column_keys=column_keys)
    names = tuple(compiled.positiontup or ())
    return _form(compiled, compiled.string, None, names, False, dialect)


def _postgresql_form(name: str, statement: ClauseElement, column_keys, dialect: Dialect) -> _Form:
    dollar = statement.compile(dialect=_DOLLAR, column_keys=column_keys)
    names = tuple(dollar.positiontup or ())
    arguments = f"({', '.join(f'%({n})s' for n in names)})" if names else ""
    return _form(
        dollar,
        f"EXECUTE {name}{arguments}",
        f"PREPARE {name} AS {dollar.string}",
        names,
        True,
        dialect,
    )


def _form(compiled, sql, prepare_sql, names, named, dialect: Dialect) -> _Form:
    """Processors as `execute()` would apply them: the bound types' and the columns' own."""
    binds = tuple(
        compiled.binds[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names
    )
    columns = list(compiled.statement.exported_columns)
    results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)
    row = namedtuple("HotRow", [c.key for c in columns])
    return _Form(sql, prepare_sql, names, named, binds, results, row)
