"""Defects the fuzzers found, each pinned by a test that would catch it again."""

from __future__ import annotations

from tests.security.world import login, seed_demo


def facilitator_client(app):
    """River (the demo circle's facilitator), logged in, in a seeded world."""
    seed_demo(app)
    client = app.test_client()
    login(client, "river")
    return client


def test_circle_edit_without_the_agreements_field_is_a_form_error_not_a_500(app):
    # The form is built with obj=circle: a POST lacking `agreements` left the stored *list* in a
    # text field and the control-character check crashed on it (TypeError, 500).
    client = facilitator_client(app)
    assert client.post("/circles/1/edit", data={}).status_code == 400
    assert client.post("/circles/1/edit", data={"name": "Renamed"}).status_code == 302


def test_session_edit_without_a_start_time_keeps_the_start_not_a_500(app):
    # The form is built with obj=session: a POST lacking `starts_at` left the stored datetime
    # in a text field and the parser called .strip() on it (AttributeError, 500).
    client = facilitator_client(app)
    assert client.post("/sessions/1/edit", data={}).status_code == 400
    assert client.post("/sessions/1/edit", data={"timezone": "\x00"}).status_code == 400
    assert client.post("/sessions/1/edit", data={"title": "Moved"}).status_code == 302
