"""Journal fixtures: writing entries through the real form, and circles to share into."""

from __future__ import annotations

import re

import pytest

ENTRY_URL = re.compile(r"/journal/(\d+)$")


def write_entry(http, title="A quiet evening", body="Some words.", mood="3", tags="", **extra):
    """POST /journal/new as the protocol describes; returns the new entry's id."""
    data = {"title": title, "body": body, "mood": mood, "tags": tags, **extra}
    response = http.post("/journal/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    match = ENTRY_URL.search(response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


@pytest.fixture
def make_circle(app, db):
    """Factory: make_circle(facilitator, members=[...]) -> circle id, memberships approved."""
    from app.circles.models import Circle
    from tests.support.factories import add_memberships

    def factory(facilitator, members=(), name="Evening circle", status="approved"):
        with app.app_context():
            circle = Circle(name=name, description="", agreements=["Be kind"])
            db.session.add(circle)
            db.session.flush()
            add_memberships(circle.id, facilitators=[facilitator])
            rows = {"approved": "members", "pending": "pending", "banned": "banned"}
            add_memberships(circle.id, **{rows[status]: members})
            db.session.commit()
            return circle.id

    return factory
