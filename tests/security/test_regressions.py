"""Defects the fuzzers found, each pinned by a test that would catch it again."""

from __future__ import annotations

from app.circles.models import Circle, CircleSession
from app.extensions import db
from tests.security.world import login, seed_demo


def facilitator_client(app):
    """River (the demo circle's facilitator) logged in, with the demo circle's and session's ids."""
    seed_demo(app)
    client = app.test_client()
    login(client, "river")
    with app.app_context():
        circle = db.session.scalar(db.select(Circle.id).order_by(Circle.id))
        session = db.session.scalar(
            db.select(CircleSession.id)
            .where(CircleSession.starts_at > db.func.now())
            .order_by(CircleSession.id)
        )
    return client, circle, session


def test_circle_edit_without_the_agreements_field_is_a_form_error_not_a_500(app):
    # The form is built with obj=circle: a POST lacking `agreements` left the stored *list* in a
    # text field and the control-character check crashed on it (TypeError, 500).
    client, circle, _ = facilitator_client(app)
    assert client.post(f"/circles/{circle}/edit", data={}).status_code == 400
    assert client.post(f"/circles/{circle}/edit", data={"name": "Renamed"}).status_code == 302


def test_session_edit_without_a_start_time_keeps_the_start_not_a_500(app):
    # The form is built with obj=session: a POST lacking `starts_at` left the stored datetime
    # in a text field and the parser called .strip() on it (AttributeError, 500).
    client, _, session = facilitator_client(app)
    url = f"/sessions/{session}/edit"
    assert client.post(url, data={}).status_code == 400
    assert client.post(url, data={"timezone": "\x00"}).status_code == 400
    assert client.post(url, data={"title": "Moved"}).status_code == 302
