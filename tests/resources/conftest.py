"""Factories for resource tests: circles with members, and library loading."""

from __future__ import annotations

import pytest

from app.circles.models import Circle, Membership, MembershipRole, MembershipStatus
from app.core.database import utcnow
from tests.conftest import detached


@pytest.fixture
def make_circle(app, db):
    """Factory: make_circle(facilitator, members=[...], public=True) -> Circle."""

    def factory(facilitator, members=(), *, public=True, pending=(), banned=(), name="Evening"):
        with app.app_context():
            circle = Circle(name=name, description="", is_public=public, agreements=[])
            db.session.add(circle)
            db.session.flush()
            rows = [(facilitator, MembershipRole.FACILITATOR, MembershipStatus.APPROVED)]
            rows += [(m, MembershipRole.MEMBER, MembershipStatus.APPROVED) for m in members]
            rows += [(m, MembershipRole.MEMBER, MembershipStatus.PENDING) for m in pending]
            rows += [(m, MembershipRole.MEMBER, MembershipStatus.BANNED) for m in banned]
            for user, role, status in rows:
                db.session.add(
                    Membership(
                        circle_id=circle.id,
                        user_id=user.id,
                        role=role.value,
                        status=status.value,
                        agreements_accepted_at=utcnow(),
                    )
                )
            db.session.commit()
            return detached(circle)

    return factory


@pytest.fixture
def library(app, db):
    """Load the library's own articles into the test database; returns the load report."""
    from app.resources.library import load_library

    with app.app_context():
        return load_library()
