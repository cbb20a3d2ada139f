"""Factories for circle tests: circles made through the services, and people in every standing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.auth.models import User
from app.circles import services
from app.circles.models import CircleSession, Membership
from app.core.database import utcnow
from app.extensions import db as _db
from tests.conftest import detached
from tests.support.factories import add_memberships


def fresh(model, row_id):
    """Load a row in the current app context."""
    return _db.session.get(model, row_id)


@pytest.fixture
def call(app):
    """Run a service as a user inside an app context: call(services.x, user, *args)."""

    def run(verb, actor, *args, **kwargs):
        with app.app_context():
            person = fresh(User, actor.id) if actor is not None else None
            result = verb(person, *args, **kwargs)
            return detached(result) if hasattr(result, "__table__") else result

    return run


@pytest.fixture
def make_circle(app):
    """Factory: make_circle(facilitator, members=[...], pending=[...], banned=[...], **fields)."""

    def factory(facilitator, members=(), *, pending=(), banned=(), name="Evening circle", **fields):
        with app.app_context():
            circle = services.create_circle(fresh(User, facilitator.id), name, "", **fields)
            add_memberships(circle.id, members=members, pending=pending, banned=banned)
            _db.session.commit()
            return detached(circle)

    return factory


@pytest.fixture
def make_session(app):
    """Factory: make_session(circle, **fields) -> a scheduled session an hour from now."""

    def factory(circle, **fields):
        fields.setdefault("title", "Sunday evening")
        fields.setdefault("starts_at", utcnow() + timedelta(hours=1))
        with app.app_context():
            session = CircleSession(circle_id=circle.id, **fields)
            _db.session.add(session)
            _db.session.commit()
            return detached(session)

    return factory


@pytest.fixture
def membership(app):
    """Look up a membership row: membership(circle, user) -> Membership | None."""

    def lookup(circle, user):
        with app.app_context():
            row = _db.session.scalar(
                _db.select(Membership).where(
                    Membership.circle_id == circle.id, Membership.user_id == user.id
                )
            )
            return detached(row) if row is not None else None

    return lookup
