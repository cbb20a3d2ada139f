"""The demo seed gives people a circle to explore and a session to try the live room."""

from __future__ import annotations

from app.circles import services
from app.circles.models import Circle, CircleSession, Membership
from app.extensions import db


def test_demo_seed_creates_the_sunday_circle(app, runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "Sunday evening circle" in result.output
    with app.app_context():
        circle = db.session.scalar(db.select(Circle).where(Circle.name == "Sunday evening circle"))
        people = {m.user.username: (m.role, m.status) for m in circle.memberships}
        assert people == {
            "river": ("facilitator", "approved"),
            "sky": ("member", "approved"),
            "wren": ("member", "approved"),
        }
        upcoming = services.upcoming_sessions_for_circle(circle.id, limit=50)
        assert any(s.series_id is None for s in upcoming)  # the one to try now
        assert sum(1 for s in upcoming if s.series_id) == services.MATERIALISE_AHEAD
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Circle.id))) == 1
        assert db.session.scalar(db.select(db.func.count(Membership.id))) == 3
        assert db.session.scalar(db.select(db.func.count(CircleSession.id))) == 9
