"""Pooled PostgreSQL connections: pinged after sitting idle, not on every checkout.

Every `message:send` checks a connection out; SQLAlchemy's `pool_pre_ping` would add a round
trip to each. app/core/database.py pings only a connection that sat idle for a while. These
tests tell the two apart by killing the connection's server process behind the pool's back.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from app.config import normalise_database_url
from app.core import database

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="needs PostgreSQL (TEST_DATABASE_URL)",
)


@pytest.fixture
def engine():
    url = normalise_database_url(os.environ["TEST_DATABASE_URL"])
    engine = create_engine(url, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def _backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(engine, pid: int) -> None:
    killer = create_engine(engine.url, poolclass=NullPool)
    with killer.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()


def test_an_idle_connection_that_died_is_replaced_before_use(engine, monkeypatch):
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
    first = _backend_pid(engine)
    _terminate(engine, first)

    second = _backend_pid(engine)  # no error: the ping found it dead and the pool reconnected

    assert second != first


def test_a_connection_in_steady_use_is_not_pinged(engine, monkeypatch):
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600.0)
    first = _backend_pid(engine)
    _terminate(engine, first)

    # No ping: the dead connection is handed out and the statement fails as a disconnect...
    with pytest.raises(OperationalError) as failure:
        _backend_pid(engine)
    assert failure.value.connection_invalidated
    # ...after which the pool has been emptied, and the next checkout connects afresh.
    assert _backend_pid(engine) != first


def test_the_ping_leaves_no_transaction_open(engine, monkeypatch):
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
    _backend_pid(engine)
    with engine.connect() as connection:  # pinged on checkout
        raw = connection.connection.dbapi_connection
        # psycopg2: 0 = idle, no transaction was left open by the ping
        assert raw.get_transaction_status() == 0
