"""Factories for the live room: circles with members, sessions, and joined socket clients."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.circles.models import CircleSession
from app.core.database import utcnow
from app.extensions import db as _db
from tests.conftest import detached
from tests.live.facilitation_support import circle_room  # noqa: F401  (facilitation tests)
from tests.support.factories import add_circle


@pytest.fixture
def app_config(app_config):
    """Room tests send quickly; the send limit has its own test."""
    return {**app_config, "LIVE_SEND_LIMIT": None}


@pytest.fixture
def make_circle(app):
    """Factory: make_circle(facilitator, members=[...], pending=[...], banned=[...]) -> Circle."""

    def factory(facilitator, members=(), *, pending=(), banned=(), name="Evening circle"):
        with app.app_context():
            circle = add_circle(
                facilitator,
                members,
                pending=pending,
                banned=banned,
                name=name,
                created_by_id=facilitator.id,
            )
            return detached(circle)

    return factory


@pytest.fixture
def make_session(app):
    """Factory: make_session(circle, phase=..., talking_piece=..., ...) -> CircleSession."""

    def factory(circle, **fields):
        fields.setdefault("title", "Thursday evening")
        fields.setdefault("state", "live")
        fields.setdefault("starts_at", utcnow() - timedelta(minutes=5))
        with app.app_context():
            session = CircleSession(circle_id=circle.id, **fields)
            _db.session.add(session)
            _db.session.commit()
            return detached(session)

    return factory


@pytest.fixture
def update_session(app):
    """Change a session's fields as a facilitator's controls later will (phase, holder...)."""

    def update(session, **fields):
        with app.app_context():
            row = _db.session.get(CircleSession, session.id)
            for key, value in fields.items():
                setattr(row, key, value)
            _db.session.commit()

    return update


def ack(sock, event, payload=None):
    """Emit with an ack callback and return the ack."""
    return sock.emit(event, payload, callback=True)


def received(sock, name):
    """The payloads of every `name` event this test client got since the last call."""
    return [event["args"][0] for event in sock.get_received() if event["name"] == name]


@pytest.fixture
def room(make_user, make_circle, make_session, socket_client):
    """A live session with a facilitator and two members, all connected (not yet joined)."""

    class Room:
        facilitator = make_user("holder", display_name="Holder")
        alice = make_user("alice", display_name="Alice")
        bob = make_user("bob", display_name="Bob")
        circle = make_circle(facilitator, [alice, bob])
        session = make_session(circle)

        def join(self, user):
            sock = socket_client(user)
            answer = ack(sock, "session:join", {"session_id": self.session.id})
            assert answer["ok"], answer
            sock.get_received()
            return sock

    return Room()
