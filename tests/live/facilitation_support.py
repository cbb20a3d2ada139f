"""Shared setup for the facilitation tests: a circle with its keepers, and the audit log."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db as _db
from app.live.models import Message

_client_ids = itertools.count(1)


@pytest.fixture
def circle_room(app, make_user, make_circle, make_session, socket_client):
    """A live session with its facilitator, two members, another circle's facilitator, a site
    moderator and an admin."""

    class CircleRoom:
        facilitator = make_user("keeper", role="facilitator", display_name="Keeper")
        alice = make_user("alice", display_name="Alice")
        bob = make_user("bob", display_name="Bob")
        elsewhere = make_user("elsewhere", role="facilitator", display_name="Elsewhere")
        moderator = make_user("mod", role="moderator", display_name="Mod")
        admin = make_user("admin", role="admin", display_name="Admin")
        circle = make_circle(facilitator, [alice, bob])
        other_circle = make_circle(elsewhere, [], name="Another circle")
        session = make_session(circle)

        def actor(self, who):
            """One of the people by role name."""
            return {
                "member": self.alice,
                "other_facilitator": self.elsewhere,
                "facilitator": self.facilitator,
                "moderator": self.moderator,
                "admin": self.admin,
            }[who]

        def connect(self, user):
            """A socket for this person, not yet in the room."""
            return socket_client(user)

        def join(self, user, session=None):
            """A socket for this person, in the room, with its inbox emptied."""
            sock = socket_client(user)
            answer = sock.emit(
                "session:join", {"session_id": (session or self.session).id}, callback=True
            )
            assert answer["ok"], answer
            sock.get_received()
            return sock

        def message_by(self, user, body="something I wanted to say", session=None):
            """Store a message as if this person had sent it; returns its id."""
            with app.app_context():
                message = Message(
                    session_id=(session or self.session).id,
                    author_id=user.id,
                    client_id=f"c{next(_client_ids)}",
                    body=body,
                )
                _db.session.add(message)
                _db.session.commit()
                return message.id

    return CircleRoom()


def audit_entries(app, **where) -> list[AuditEntry]:
    """Every audit entry (oldest first), optionally filtered by column values, detached."""
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.id)
        for key, value in where.items():
            query = query.where(getattr(AuditEntry, key) == value)
        rows = list(_db.session.scalars(query))
        for row in rows:
            _db.session.expunge(row)
        return rows
