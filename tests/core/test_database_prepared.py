"""Statements PostgreSQL prepares once per connection (`app.core.database.Prepared`).

The send's standing read and insert are planned by the server once per connection instead of
on every message. These tests pin what that must never change: the same rows, the same types,
one PREPARE per connection, and a fresh one after the connection is replaced.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from app.core.database import Prepared, UTCDateTime
from tests.support.sql import statements_run

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="needs PostgreSQL (TEST_DATABASE_URL)",
)

metadata = MetaData()
notes = Table(
    "prepared_test_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_id", Integer, nullable=False),
    Column("body", String(100), nullable=False),
    Column("written_at", UTCDateTime(), nullable=False),
)
NOTE_PARAMS = {"owner_id": Integer(), "body": String(), "written_at": UTCDateTime()}
ADD = Prepared(
    "prepared_test_add",
    lambda owner, body, at: (
        postgresql.insert(notes)
        .values(owner_id=owner, body=body, written_at=at)
        .returning(notes.c.id, notes.c.written_at)
    ),
    NOTE_PARAMS,
)
READ = Prepared(
    "prepared_test_read",
    lambda owner: (
        select(notes.c.body, notes.c.written_at)
        .where(notes.c.owner_id == owner)
        .order_by(notes.c.id)
    ),
    {"owner_id": Integer()},
)
MOMENT = datetime(2026, 12, 8, 1, 2, 3, tzinfo=UTC)


@pytest.fixture
def engine(database_url):
    """This worker's own database (a table of the test's own, beside the app's)."""
    engine = create_engine(database_url, pool_size=1, max_overflow=0)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    yield engine
    engine.dispose()
    metadata.drop_all(create_engine(database_url, poolclass=NullPool))


def _add(connection, owner: int, body: str):
    row = connection.execute(
        ADD.call(connection), {"owner_id": owner, "body": body, "written_at": MOMENT}
    ).one()
    connection.commit()
    return row


def test_rows_and_types_are_those_of_the_core_statement(engine):
    with engine.connect() as connection:
        added = _add(connection, 7, "it's 'quoted'; -- and safe")
        rows = connection.execute(READ.call(connection), {"owner_id": 7}).all()
        stored = connection.execute(select(notes.c.written_at)).scalar_one()
    assert added.written_at == MOMENT and added.written_at.tzinfo is not None
    assert [(row.body, row.written_at) for row in rows] == [("it's 'quoted'; -- and safe", MOMENT)]
    assert stored == MOMENT  # the bind went through UTCDateTime on the way in too


def test_each_connection_prepares_once(engine):
    with engine.connect() as connection:
        _add(connection, 1, "first")
    with statements_run(engine) as statements, engine.connect() as connection:
        _add(connection, 1, "second")
        connection.execute(READ.call(connection), {"owner_id": 1}).all()
        connection.execute(READ.call(connection), {"owner_id": 1}).all()
    kinds = [statement.split()[0] for statement in statements]
    assert kinds == ["EXECUTE", "PREPARE", "EXECUTE", "EXECUTE"]
    assert "prepared_test_read" in statements[1]  # only the read was new to this connection


def test_a_replaced_connection_prepares_again(engine):
    with engine.connect() as connection:
        _add(connection, 2, "before")
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        connection.commit()
    killer = create_engine(engine.url, poolclass=NullPool)
    with killer.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()
    with pytest.raises(OperationalError), engine.connect() as connection:
        connection.execute(text("SELECT 1"))  # the dead connection is found out and replaced
    with engine.connect() as connection:
        _add(connection, 2, "after")
        bodies = connection.execute(READ.call(connection), {"owner_id": 2}).scalars().all()
    assert bodies == ["before", "after"]


def test_sql_sent_before_travels_in_the_same_round_trip(engine):
    with engine.connect() as connection:
        _add(connection, 3, "kept")
        connection.execute(READ.call(connection), {"owner_id": 3}).all()  # prepared now
        connection.commit()
        with statements_run(engine) as statements:
            call = READ.call(connection, before="SELECT pg_advisory_xact_lock(1, :owner_id); ")
            rows = connection.execute(call, {"owner_id": 3}).all()
        locks = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        held = connection.execute(text(locks)).scalar_one()
    assert [row.body for row in rows] == ["kept"]
    assert len(statements) == 1 and held == 1  # the lock came with the read, one statement
