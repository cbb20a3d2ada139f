"""The send path's prepared statements (PostgreSQL): same rows, prepared once, and ordered.

`message:send` reads the sender and stores the message through `HotStatement`s, which
PostgreSQL parses and plans once per connection (app/core/prepared.py). The read also takes the
session's message-order lock (app/live/standing.py) that keeps ids committing in order.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from app.core.prepared import hot_transaction
from app.extensions import db
from app.live import standing, writes
from app.live.standing import STANDING, STANDING_ORDERED, read_standing

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="needs PostgreSQL (TEST_DATABASE_URL)",
)


def test_the_prepared_read_returns_what_the_plain_query_returns(app, room, update_session):
    update_session(room.session, phase="sharing")
    with app.app_context():
        params = {"user_id": room.alice.id, "session_id": room.session.id}
        plain = db.session.execute(STANDING, params).one()
        db.session.rollback()
        with hot_transaction() as hot:
            prepared = standing.READ_STANDING.first(hot, params)
    assert prepared.message_order_lock in ("", None)  # the lock returns void
    assert tuple(prepared)[: len(plain)] == tuple(plain)
    assert prepared._fields[: len(plain)] == plain._fields


def test_each_connection_prepares_once_even_across_rollbacks(app, room):
    with app.app_context():
        db.engine.dispose()
        with hot_transaction() as hot:  # rolled back when it ends without a commit
            read_standing(hot, room.alice.id, room.session.id)
            first_pid = hot.pooled.dbapi_connection.get_backend_pid()
        with hot_transaction() as hot:  # the same pooled connection: no "already exists"
            assert hot.pooled.dbapi_connection.get_backend_pid() == first_pid
            read_standing(hot, room.alice.id, room.session.id)
            read_standing(hot, room.bob.id, room.session.id)
            cursor = hot.pooled.cursor()
            cursor.execute("SELECT name FROM pg_prepared_statements")
            assert {name for (name,) in cursor.fetchall()} >= {"hs_standing"}


def test_a_replaced_connection_prepares_again(app, room):
    with app.app_context():
        with hot_transaction() as hot:
            read_standing(hot, room.alice.id, room.session.id)
        db.engine.dispose()  # every pooled connection closed: the next one has no statements
        with hot_transaction() as hot:
            sender = read_standing(hot, room.alice.id, room.session.id)
    assert sender.display_name == "Alice"


def test_the_stored_message_and_its_previous_id(app, room):
    with app.app_context():
        with hot_transaction() as hot:
            sender = read_standing(hot, room.alice.id, room.session.id)
            first = writes.insert_message(hot, sender, room.session.id, "one", "p-1", "")
            hot.commit()
        with hot_transaction() as hot:
            sender = read_standing(hot, room.alice.id, room.session.id)
            second = writes.insert_message(hot, sender, room.session.id, "two", "p-2", "")
            hot.commit()
    assert second.previous_id == first.message["id"]
    assert second.message["created_at"].endswith("Z") or "+00:00" in second.message["created_at"]


def test_a_second_send_in_the_same_session_waits_for_the_first_to_commit(app, room, make_session):
    """The message-order lock: held from the sender's read until the commit, per session."""
    other_session = make_session(room.circle)
    with app.app_context():
        outside = create_engine(db.engine.url, poolclass=NullPool)
    sql = str(STANDING_ORDERED.compile(dialect=outside.dialect))

    def read_from_outside(session_id: int):
        with outside.connect() as other:
            other.exec_driver_sql("SET lock_timeout = '200ms'")
            params = {"user_id": room.bob.id, "session_id": session_id}
            return other.exec_driver_sql(sql, params).first()

    try:
        with app.app_context(), hot_transaction() as hot:
            read_standing(hot, room.alice.id, room.session.id)  # takes the lock
            with pytest.raises(OperationalError, match="lock timeout"):
                read_from_outside(room.session.id)
            assert read_from_outside(other_session.id) is not None  # another session: free
            hot.commit()  # the lock ends with the transaction
            assert read_from_outside(room.session.id) is not None
    finally:
        outside.dispose()


def test_a_batchs_read_takes_each_of_its_sessions_locks_until_the_commit(app, room, make_session):
    """One query reads a batch's senders and locks their sessions (each once, in ascending
    order); a session outside the batch stays free."""
    second, outside_batch = make_session(room.circle), make_session(room.circle)
    with app.app_context():
        outside = create_engine(db.engine.url, poolclass=NullPool)

    def locked_elsewhere(session_id: int) -> bool:
        with outside.connect() as other:
            sql = f"SELECT pg_try_advisory_xact_lock({standing.MESSAGE_ORDER_LOCK}, {session_id})"
            return not other.exec_driver_sql(sql).scalar()

    asked = [(room.bob.id, second.id), (room.alice.id, room.session.id), (room.bob.id, second.id)]
    try:
        with app.app_context(), hot_transaction() as hot:
            judged = standing.read_standings(hot, asked)
            assert [j.access.session.id for j in judged] == [second.id, room.session.id, second.id]
            assert locked_elsewhere(room.session.id) and locked_elsewhere(second.id)
            assert not locked_elsewhere(outside_batch.id)
            hot.commit()
        assert not locked_elsewhere(room.session.id) and not locked_elsewhere(second.id)
    finally:
        outside.dispose()


def test_the_batch_read_and_insert_are_prepared_once_per_connection(app, room):
    with app.app_context():
        db.engine.dispose()  # one fresh connection, handed out three times
        for n in range(3):
            with hot_transaction() as hot:
                (sender,) = standing.read_standings(hot, [(room.alice.id, room.session.id)])
                outgoing = writes.Outgoing(sender, room.session.id, "hi", f"prep-{n}", "")
                writes.insert_messages(hot, [outgoing])
                hot.commit()
                rows = hot.pooled.cursor()
                rows.execute("SELECT name FROM pg_prepared_statements ORDER BY name")
                names = [name for (name,) in rows.fetchall()]
                rows.close()
    assert names.count("hs_standings") == 1 and names.count("hs_store_messages") == 1
