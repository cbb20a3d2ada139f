"""The send path's prepared statements (PostgreSQL): same rows, prepared once, and ordered.

`message:send` reads the sender and stores the message through `HotStatement`s, which
PostgreSQL parses and plans once per connection (app/core/prepared.py). The read also takes the
session's message-order lock (app/live/standing.py) that keeps ids committing in order.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from app.extensions import db
from app.live import standing, writes
from app.live.standing import STANDING, STANDING_ORDERED, read_standing

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="needs PostgreSQL (TEST_DATABASE_URL)",
)


def _prepared_names() -> set[str]:
    found = db.session.execute(text("SELECT name FROM pg_prepared_statements"))
    return set(found.scalars())


def test_the_prepared_read_returns_what_the_plain_query_returns(app, room, update_session):
    update_session(room.session, phase="sharing")
    with app.app_context():
        params = {"user_id": room.alice.id, "session_id": room.session.id}
        plain = db.session.execute(STANDING, params).one()
        prepared = standing.READ_STANDING.execute(params).one()
        db.session.rollback()
    assert prepared._mapping["message_order_lock"] in ("", None)  # the lock returns void
    assert tuple(prepared)[: len(plain)] == tuple(plain)
    assert prepared._fields[: len(plain)] == plain._fields


def test_each_connection_prepares_once_even_across_rollbacks(app, room):
    with app.app_context():
        read_standing(room.alice.id, room.session.id)
        assert "hs_standing" in _prepared_names()
        db.session.rollback()  # a PREPARE outlives its transaction
        read_standing(room.alice.id, room.session.id)  # no "already exists": it is reused
        read_standing(room.bob.id, room.session.id)
        assert _prepared_names() >= {"hs_standing"}
        db.session.rollback()


def test_a_replaced_connection_prepares_again(app, room):
    with app.app_context():
        read_standing(room.alice.id, room.session.id)
        db.session.rollback()
        db.engine.dispose()  # every pooled connection closed: the next one has no statements
        sender = read_standing(room.alice.id, room.session.id)
        assert sender.display_name == "Alice"
        db.session.rollback()


def test_the_stored_message_and_its_previous_id(app, room):
    with app.app_context():
        sender = read_standing(room.alice.id, room.session.id)
        first = writes.insert_message(sender, room.session.id, "one", "p-1", "")
        sender = read_standing(room.alice.id, room.session.id)
        second = writes.insert_message(sender, room.session.id, "two", "p-2", "")
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
        with app.app_context():
            read_standing(room.alice.id, room.session.id)  # takes the lock, not yet committed
            with pytest.raises(OperationalError, match="lock timeout"):
                read_from_outside(room.session.id)
            assert read_from_outside(other_session.id) is not None  # another session: free
            db.session.commit()  # the lock ends with the transaction
            assert read_from_outside(room.session.id) is not None
    finally:
        outside.dispose()
