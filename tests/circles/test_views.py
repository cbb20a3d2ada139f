"""Circle pages end to end through the forms the contract names."""

from __future__ import annotations

from datetime import timedelta

from app.circles.models import Circle, CircleSession, Membership
from app.core.database import utcnow
from app.extensions import db


def soon(days: int = 3) -> str:
    """A wall-clock start a few days ahead, as a datetime-local input sends it."""
    return (utcnow() + timedelta(days=days)).strftime("%Y-%m-%dT19:00")


def test_creating_a_circle_makes_me_its_facilitator(app, make_user, logged_in_client):
    river = make_user("river")
    client = logged_in_client(river)
    response = client.post(
        "/circles/new",
        data={"name": "Sunday circle", "description": "Gentle", "requires_approval": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        circle = db.session.scalar(db.select(Circle))
        assert response.headers["Location"].endswith(f"/circles/{circle.id}")
        assert circle.requires_approval and circle.is_public
        member = db.session.scalar(db.select(Membership))
        assert (member.user_id, member.role) == (river.id, "facilitator")
    page = client.get(f"/circles/{circle.id}").get_data(as_text=True)
    assert "Sunday circle" in page and "Tears are welcome here" in page


def test_join_approve_and_see_the_session(app, make_user, make_circle, logged_in_client):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river, requires_approval=True, name="Grief circle")
    facilitator = logged_in_client(river)
    response = facilitator.post(
        f"/circles/{circle.id}/sessions/new",
        data={"title": "First gathering", "starts_at": soon(), "timezone": "Europe/Berlin"},
    )
    assert response.status_code == 302
    with app.app_context():
        session = db.session.scalar(db.select(CircleSession))
    assert response.headers["Location"].endswith(f"/sessions/{session.id}")

    member = logged_in_client(sky)
    assert b"Grief circle" in member.get("/circles/?q=grief").data
    join_page = member.get(f"/circles/{circle.id}/join").get_data(as_text=True)
    assert "no advice unless someone asks" in join_page
    assert (
        member.post(f"/circles/{circle.id}/join", data={"accept_agreements": "y"}).status_code
        == 302
    )
    assert member.get(f"/sessions/{session.id}").status_code == 404  # still pending
    assert b"Waiting for a facilitator" in member.get("/circles/").data

    members_page = facilitator.get(f"/circles/{circle.id}/members").get_data(as_text=True)
    assert "Asking to join" in members_page and "Sky" in members_page
    response = facilitator.post(f"/circles/{circle.id}/members/{sky.id}/approve")
    assert response.status_code == 302
    page = member.get(f"/circles/{circle.id}").get_data(as_text=True)
    assert f'href="/sessions/{session.id}"' in page and "First gathering" in page
    assert member.get(f"/sessions/{session.id}").status_code == 200


def test_weekly_schedule_redirects_to_the_first_occurrence(
    app, make_user, make_circle, logged_in_client
):
    river = make_user("river")
    circle = make_circle(river)
    client = logged_in_client(river)
    response = client.post(
        f"/circles/{circle.id}/sessions/new",
        data={
            "title": "Weekly",
            "starts_at": soon(),
            "timezone": "Europe/Berlin",
            "repeat_weekly": "y",
            "talking_piece": "y",
            "waiting_room": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        sessions = db.session.scalars(db.select(CircleSession).order_by(CircleSession.starts_at))
        sessions = list(sessions)
    assert len(sessions) == 8 and all(s.talking_piece and s.waiting_room for s in sessions)
    assert response.headers["Location"].endswith(f"/sessions/{sessions[0].id}")
    page = client.get(f"/circles/{circle.id}").get_data(as_text=True)
    assert "Stop these weekly sessions" in page and page.count("data-localise") >= 8


def test_decline_leave_and_withdraw(app, make_user, make_circle, logged_in_client, membership):
    river, sky, wren = make_user("river"), make_user("sky"), make_user("wren")
    circle = make_circle(river, members=[sky], pending=[wren])
    facilitator = logged_in_client(river)
    assert facilitator.post(f"/circles/{circle.id}/members/{wren.id}/decline").status_code == 302
    assert membership(circle, wren).status == "declined"
    assert logged_in_client(sky).post(f"/circles/{circle.id}/leave").status_code == 302
    assert membership(circle, sky).status == "left"
    response = facilitator.post(f"/circles/{circle.id}/leave", follow_redirects=True)
    assert b"only facilitator" in response.data
    assert membership(circle, river).status == "approved"


def test_edit_circle_and_agreements(app, make_user, make_circle, logged_in_client):
    river = make_user("river")
    circle = make_circle(river)
    client = logged_in_client(river)
    form = client.get(f"/circles/{circle.id}/edit").get_data(as_text=True)
    assert "What is shared here stays here" in form
    response = client.post(
        f"/circles/{circle.id}/edit",
        data={
            "name": "Renamed",
            "topic": "grief",
            "description": "Line one\nLine two",
            "is_private": "y",
            "agreements": "Be gentle\n\nPass freely\n",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Circle, circle.id)
        assert (saved.name, saved.topic, saved.is_public) == ("Renamed", "grief", False)
        assert saved.agreements == ["Be gentle", "Pass freely"]


def test_add_co_facilitator_through_the_members_page(
    app, make_user, make_circle, logged_in_client, membership
):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river, members=[sky])
    client = logged_in_client(river)
    assert (
        client.post(f"/circles/{circle.id}/facilitators", data={"username": "sky"}).status_code
        == 302
    )
    assert membership(circle, sky).role == "facilitator"
    co = logged_in_client(sky)
    assert co.get(f"/circles/{circle.id}/edit").status_code == 200


def test_edit_and_cancel_a_session(app, make_user, make_circle, make_session, logged_in_client):
    river = make_user("river")
    circle = make_circle(river)
    session = make_session(circle)
    client = logged_in_client(river)
    form = client.get(f"/sessions/{session.id}/edit").get_data(as_text=True)
    assert "data-utc=" in form and 'value="UTC"' in form
    response = client.post(
        f"/sessions/{session.id}/edit",
        data={"title": "New title", "starts_at": soon(5), "timezone": "Asia/Tokyo"},
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(CircleSession, session.id)
        assert saved.title == "New title" and saved.starts_at.hour == 10  # 19:00 in Tokyo
    assert client.post(f"/sessions/{session.id}/cancel").status_code == 302
    assert client.get(f"/sessions/{session.id}").status_code == 404
    assert b"New title" not in client.get(f"/circles/{circle.id}").data


def test_live_sessions_show_as_live_now(make_user, make_circle, make_session, logged_in_client):
    river = make_user("river")
    circle = make_circle(river)
    make_session(circle, state="live", starts_at=utcnow() - timedelta(minutes=10))
    assert b"Live now" in logged_in_client(river).get(f"/circles/{circle.id}").data


def test_the_room_page_gets_session_circle_access_and_me(
    make_user, make_circle, make_session, logged_in_client
):
    river = make_user("river")
    circle = make_circle(river, name="Room circle")
    session = make_session(circle, title="Tonight")
    page = logged_in_client(river).get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "Tonight" in page


def test_a_circle_i_belong_to_is_listed_once(make_user, make_circle, logged_in_client):
    holder, sky = make_user("holder"), make_user("sky")
    make_circle(holder, [sky], name="Tuesday tears")
    make_circle(holder, name="Open evening")
    html = logged_in_client(sky).get("/circles/").get_data(as_text=True)
    assert html.count(">Tuesday tears</a>") == 1  # under "Your circles" only
    assert html.count(">Open evening</a>") == 1
    assert "Find another circle" in html


def test_a_live_session_is_marked_with_a_way_in(
    app, make_user, make_circle, make_session, logged_in_client
):
    holder, sky = make_user("holder"), make_user("sky")
    circle = make_circle(holder, [sky])
    live = make_session(circle, title="Happening now", state="live")
    html = logged_in_client(sky).get(f"/circles/{circle.id}").get_data(as_text=True)
    assert "Live now" in html and "Happening now is happening now" in html
    assert f'href="/sessions/{live.id}">Join the room' in html
    assert "Join now" in html
