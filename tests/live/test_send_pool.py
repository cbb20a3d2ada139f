"""A sender waiting for its batch holds no pooled connection (app/live/services.py).

Every socket event checks its login first, and when the cached answer is due that check reads
the login through the event's database session, which then keeps its pooled connection until
the event ends. A send that kept it while waiting in the group commit left the batch's leader
without a connection once the waiting senders held the whole pool: nothing was stored or
delivered until the pool's timeout (30 s). These tests shrink the pool to one connection, so a
single send whose login check is due shows it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.live import services
from app.live.models import Message
from tests.live.conftest import ack, received


@pytest.fixture
def app_config(app_config):
    """One pooled connection, given up after a second; every event re-checks its login."""
    return {
        **app_config,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0, "pool_timeout": 1},
        "SOCKET_LOGIN_CHECK_SECONDS": 0,
    }


def test_a_send_whose_login_check_read_the_database_is_stored_and_delivered(app, room):
    alice, bob = room.join(room.alice), room.join(room.bob)
    payload = {"session_id": room.session.id, "client_id": "pool-1", "body": "still here"}
    answer = ack(alice, "message:send", payload)
    assert answer["ok"], answer
    again = {**payload, "client_id": "pool-1b", "body": "and again"}  # the sends' kept
    assert ack(alice, "message:send", again)["ok"]  # connection holds no place in the pool
    heard = [news["message"]["body"] for news in received(bob, "message:new")]
    assert heard == ["still here", "and again"]
    with app.app_context():
        assert db.session.scalars(select(Message.body)).all() == ["still here", "and again"]


def test_post_message_gives_back_the_event_sessions_connection_before_waiting(app, room):
    """The service itself, called with the session holding the only connection."""
    room.join(room.alice)
    with app.app_context():
        assert db.session.scalars(select(Message.id)).all() == []  # checks the connection out
        stored = services.post_message(room.alice, room.session.id, "in turn", "pool-2")
        assert stored["body"] == "in turn"
        assert db.session.scalars(select(Message.body)).all() == ["in turn"]
