"""The send path's statements on the driver's cursor (app/core/prepared.py), on both databases.

`message:send` reads the sender and stores the message outside the ORM session, in a
`hot_transaction` of its own. These tests hold it to what SQLAlchemy's `execute()` gave: the
same rows and types, errors raised as `sqlalchemy.exc`, nothing kept without a commit, and the
statements visible to the engine's listeners.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import NullPool

from app.core.database import utcnow
from app.core.prepared import hot_transaction
from app.extensions import db
from app.live import writes
from app.live.models import Message
from app.live.serialize import iso
from app.live.standing import READ_STANDING, STANDING, read_standing
from app.moderation.models import SessionParticipant
from tests.support.sql import statements_run


def _store(room, client_id: str, body: str = "hello", commit: bool = True):
    with hot_transaction() as hot:
        sender = read_standing(hot, room.alice.id, room.session.id)
        row = {
            "session_id": room.session.id,
            "author_id": room.alice.id,
            "client_id": client_id,
            "body": body,
            "content_warning": "",
            "created_at": datetime(2026, 11, 26, 12, 0, 1, 250_000, tzinfo=UTC),
        }
        if not commit:
            writes.STORE_MESSAGE.execute(hot, row)
            return None
        stored = writes.insert_message(hot, sender, room.session.id, body, client_id, "")
        hot.commit()
        return stored


def test_the_hot_read_returns_the_plain_querys_row_with_its_types(app, room, update_session):
    """Datetimes come back aware in UTC and booleans as booleans, as through `execute()`."""
    update_session(room.session, phase="sharing", talking_piece=True, locked=False)
    muted = utcnow().replace(microsecond=123_000) + timedelta(minutes=5)
    with app.app_context():
        db.session.add(
            SessionParticipant(session_id=room.session.id, user_id=room.alice.id, muted_until=muted)
        )
        db.session.commit()
        params = {"user_id": room.alice.id, "session_id": room.session.id}
        plain = db.session.execute(STANDING, params).one()
        db.session.rollback()
        with hot_transaction() as hot:
            hot_row = READ_STANDING.first(hot, params)
    assert tuple(hot_row)[: len(plain)] == tuple(plain)
    assert hot_row._fields[: len(plain)] == plain._fields
    assert hot_row.muted_until == muted and hot_row.muted_until.tzinfo is not None
    assert hot_row.talking_piece is True and hot_row.locked is False


def test_no_row_for_a_session_that_does_not_exist(app, room):
    with app.app_context(), hot_transaction() as hot:
        assert READ_STANDING.first(hot, {"user_id": room.alice.id, "session_id": 99_999}) is None


def test_the_stored_row_reads_back_as_written(app, room):
    with app.app_context():
        stored = _store(room, "typed")
        message = db.session.get(Message, stored.message["id"])
        assert message.body == "hello" and message.client_id == "typed"
        assert message.created_at.tzinfo is not None
        assert abs(message.created_at - utcnow()) < timedelta(minutes=1)
        assert stored.message["created_at"] == iso(message.created_at)


def test_leaving_without_a_commit_keeps_nothing(app, room):
    with app.app_context():
        _store(room, "never", commit=False)
        count = db.session.scalar(
            select(db.func.count()).select_from(Message).where(Message.client_id == "never")
        )
    assert count == 0


def test_a_retry_stores_nothing_and_leaves_the_transaction_usable(app, room):
    """A client_id this author already used inserts nothing and returns None, without an error:
    on PostgreSQL an error would abort the transaction, and with it a whole batch of sends."""
    with app.app_context():
        first = _store(room, "twice")
        with hot_transaction() as hot:
            sender = read_standing(hot, room.alice.id, room.session.id)
            retry = writes.insert_message(hot, sender, room.session.id, "again", "twice", "")
            after = writes.insert_message(hot, sender, room.session.id, "next", "after", "")
            hot.commit()
        bodies = db.session.scalars(
            select(Message.body).where(Message.session_id == room.session.id)
        ).all()
    assert retry is None
    assert after.previous_id == first.message["id"]
    assert bodies == ["hello", "next"]


def test_a_driver_error_is_an_sqlalchemy_error_without_values_and_the_pool_lives_on(app, room):
    row = {
        "session_id": room.session.id,
        "author_id": 999_999,  # nobody: the foreign key refuses it
        "client_id": "orphan",
        "body": "a private line",
        "content_warning": "",
        "created_at": utcnow(),
    }
    with app.app_context():
        with pytest.raises(IntegrityError) as refused, hot_transaction() as hot:
            writes.STORE_MESSAGE.execute(hot, row)
        assert "a private line" not in str(refused.value), "values stay out of errors (logs)"
        after = _store(room, "after")  # the pool handed out a clean connection
    assert after.message["body"] == "hello"


def test_the_engines_listeners_see_the_hot_statements(app, room):
    with app.app_context(), statements_run(db.engine) as seen:
        _store(room, "seen")
    reads = [s for s in seen if "hs_standing" in s or "circle_sessions" in s]
    inserts = [s for s in seen if "INSERT INTO messages" in s or "hs_store_message" in s]
    assert len(reads) >= 1 and len(inserts) >= 1, seen


@pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="needs PostgreSQL (TEST_DATABASE_URL)",
)
def test_a_lost_connection_is_reported_as_such_and_replaced(app, room):
    """The backend dies under a hot statement: a wrapped error that says the connection was
    invalidated, and the next send gets a working connection."""
    with app.app_context():
        killer = create_engine(db.engine.url, poolclass=NullPool)
        try:
            with hot_transaction() as hot:
                read_standing(hot, room.alice.id, room.session.id)
                hot.commit()
                pid = hot.pooled.dbapi_connection.get_backend_pid()
                with killer.connect() as other:
                    other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                with pytest.raises(DBAPIError) as lost:
                    read_standing(hot, room.alice.id, room.session.id)
            assert lost.value.connection_invalidated
            stored = _store(room, "after-loss")
            assert stored.message["id"] > 0
        finally:
            killer.dispose()
