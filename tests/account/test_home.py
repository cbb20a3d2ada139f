"""Home for a logged-in member, and pinned circle resources on the circle page and in the room."""

from __future__ import annotations

from datetime import timedelta

from app.auth.models import User
from app.core.database import utcnow
from app.extensions import db as _db
from app.resources.circle import pin_resource
from tests.support.routine import lock_journal


def test_logged_out_landing_page_is_unchanged(client):
    html = client.get("/").get_data(as_text=True)
    assert "A held space for the feelings that need to move." in html
    assert "Your next circle" not in html


def test_home_shows_next_session_prompt_recent_titles_and_quick_help(
    make_user, make_circle, make_session, logged_in_client
):
    holder, sky = make_user("holder"), make_user("sky")
    circle = make_circle(holder, [sky], name="Thursday circle")
    make_session(
        circle, title="Gentle evening", state="scheduled", starts_at=utcnow() + timedelta(hours=5)
    )
    http = logged_in_client(sky)
    http.post("/journal/new", data={"title": "my-private-title", "body": "words"})
    html = http.get("/").get_data(as_text=True)
    assert "Gentle evening" in html and "Thursday circle" in html
    assert "Write from this prompt" in html
    assert "my-private-title" in html
    assert "/practice" in html and "/help/crisis" in html and "/help/grounding" in html
    other = logged_in_client(holder).get("/").get_data(as_text=True)
    assert "my-private-title" not in other


def test_home_says_gently_when_the_journal_is_locked(make_user, logged_in_client):
    http = logged_in_client(make_user("sky"))
    http.post("/journal/new", data={"title": "my-private-title", "body": "words"})
    lock_journal(http)
    html = http.get("/").get_data(as_text=True)
    assert "my-private-title" not in html
    assert "journal is locked" in html and "/journal/unlock" in html


def test_pinned_notes_show_on_the_circle_page_and_in_the_room(
    app, make_user, make_circle, make_session, logged_in_client
):
    holder, sky, stranger = make_user("holder"), make_user("sky"), make_user("stranger")
    circle = make_circle(holder, [sky])
    session = make_session(circle)
    with app.app_context():
        pin_resource(
            _db.session.get(User, holder.id),
            circle.id,
            "note",
            "Bring water",
            body="Keep a glass of **water** near.",
        )
    member = logged_in_client(sky)
    for path in (f"/circles/{circle.id}", f"/sessions/{session.id}"):
        html = member.get(path).get_data(as_text=True)
        assert "Bring water" in html and "<strong>water</strong>" in html
    outsider = logged_in_client(stranger)
    assert "Bring water" not in outsider.get(f"/circles/{circle.id}").get_data(as_text=True)
    assert outsider.get(f"/sessions/{session.id}").status_code == 404
