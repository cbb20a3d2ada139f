"""Every circle and session form turns bad input into a kind form error, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.circles.models import Circle, CircleSession
from app.core.database import utcnow
from app.extensions import db

FUTURE = (utcnow() + timedelta(days=10)).strftime("%Y-%m-%dT19:00")
HOSTILE_NAME = '<script>alert("x")</script>'


@pytest.fixture
def facilitator_client(make_user, make_circle, logged_in_client):
    """A facilitator's client and their circle."""
    river = make_user("river")
    return logged_in_client(river), make_circle(river)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 81},
        {"name": "ok", "topic": "t" * 61},
        {"name": "ok", "description": "d" * 2001},
        {"name": "bad\x00name"},
        {"name": "two\nlines"},
        {"name": "bidi\u202eoverride"},
        {"name": ["a", "b"], "description": "\x07bell"},
    ],
)
def test_bad_circle_forms_are_refused(app, make_user, logged_in_client, data):
    client = logged_in_client(make_user("river"))
    response = client.post("/circles/new", data=data)
    assert response.status_code == 400
    assert b'class="error"' in response.data
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Circle.id))) == 0


def test_hostile_names_are_shown_escaped_everywhere(app, make_user, logged_in_client):
    client = logged_in_client(make_user("river"))
    response = client.post(
        "/circles/new", data={"name": HOSTILE_NAME, "topic": "<b>t</b>", "description": "<img>"}
    )
    location = response.headers["Location"]
    for url in (location, "/circles/", "/circles/?q=script", f"{location}/members"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<b>t</b>" not in page, url
        assert "&lt;script&gt;" in page, url


@pytest.mark.parametrize(
    "agreements",
    ["", "  \n \n", "\n".join(f"Agreement {i}" for i in range(13)), "a" * 201, "ok\x00"],
)
def test_bad_agreements_are_refused(facilitator_client, agreements):
    client, circle = facilitator_client
    response = client.post(
        f"/circles/{circle.id}/edit", data={"name": "Circle", "agreements": agreements}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["", "nope", "y" * 100, "\x00"])
def test_join_needs_the_agreements_ticked(make_user, make_circle, logged_in_client, value):
    circle = make_circle(make_user("river"))
    client = logged_in_client(make_user("sky"))
    data = {"accept_agreements": value} if value != "" else {}
    response = client.post(f"/circles/{circle.id}/join", data=data)
    assert response.status_code == 400
    assert b"accept the circle" in response.data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"starts_at": FUTURE}, b"title"),
        ({"title": "x" * 121, "starts_at": FUTURE}, b"Titles are"),
        ({"title": "Hi"}, b"when the session starts"),
        ({"title": "Hi", "starts_at": "garbage"}, b"like 2026-12-06T19:00"),
        ({"title": "Hi", "starts_at": "2026-02-30T19:00"}, b"like 2026-12-06T19:00"),
        ({"title": "Hi", "starts_at": "9" * 500}, b"like 2026-12-06T19:00"),
        ({"title": "Hi", "starts_at": "2001-01-01T19:00"}, b"already passed"),
        ({"title": "Hi", "starts_at": "2099-01-01T19:00"}, b"two years"),
        ({"title": "Hi", "starts_at": FUTURE, "timezone": "Mars/Base"}, b"time zone"),
        ({"title": "Hi", "starts_at": FUTURE, "timezone": "../../x"}, b"time zone"),
        ({"title": "Hi", "starts_at": FUTURE, "timezone": "x" * 300}, b"time zone"),
        ({"title": "<script>", "starts_at": "2001-01-01T19:00"}, b"&lt;script&gt;"),
        ({"title": "a\x00b", "starts_at": FUTURE}, b"ordinary letters"),
    ],
)
def test_bad_session_forms_are_refused(app, facilitator_client, data, message):
    client, circle = facilitator_client
    response = client.post(f"/circles/{circle.id}/sessions/new", data=data)
    assert response.status_code == 400
    assert message in response.data
    assert b"<script>" not in response.data.replace(b'<script type="module"', b"")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CircleSession.id))) == 0


def test_bad_session_edit_is_refused(facilitator_client, make_session):
    client, circle = facilitator_client
    session = make_session(circle)
    response = client.post(
        f"/sessions/{session.id}/edit", data={"title": "", "starts_at": "soon", "timezone": "?"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("username", ["", "no spaces allowed", "x" * 40, "<script>", "ghost"])
def test_bad_co_facilitator_usernames_are_refused(facilitator_client, username):
    client, circle = facilitator_client
    response = client.post(f"/circles/{circle.id}/facilitators", data={"username": username})
    assert response.status_code == 400
    assert b'class="error"' in response.data


@pytest.mark.parametrize("q", ["x" * 81, "a\x00b"])
def test_bad_searches_get_a_form_error(make_user, logged_in_client, q):
    response = logged_in_client(make_user("sky")).get("/circles/", query_string={"q": q})
    assert response.status_code == 400


def test_search_treats_wildcards_as_plain_text(make_user, make_circle, logged_in_client):
    river = make_user("river")
    make_circle(river, name="Grief circle")
    make_circle(river, name="100% here", topic="presence")
    client = logged_in_client(make_user("sky"))
    page = client.get("/circles/", query_string={"q": "%"}).get_data(as_text=True)
    assert "100% here" in page and "Grief circle" not in page
    page = client.get("/circles/", query_string={"q": "PRESENCE"}).get_data(as_text=True)
    assert "100% here" in page


@pytest.mark.parametrize("url", ["/circles/abc", "/circles/-1", "/sessions/1e3", "/circles/0/join"])
def test_malformed_ids_are_not_found(make_user, logged_in_client, url):
    assert logged_in_client(make_user("sky")).get(url).status_code == 404
