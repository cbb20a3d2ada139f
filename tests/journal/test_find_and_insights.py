"""Finding entries, insight pictures and live-session check-ins in the member's own journal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.journal.checkins import CheckinError, record_checkin
from tests.conftest import AuthActions
from tests.journal.conftest import write_entry


@pytest.fixture
def sky(make_user, logged_in_client):
    """A logged-in member and their client."""
    user = make_user("sky")
    return user, logged_in_client(user)


def test_search_finds_words_in_title_body_and_tags_case_insensitively(sky):
    _, http = sky
    write_entry(http, title="Ocean", body="The WAVES came and went.", tags="sea")
    write_entry(http, title="Forest", body="Quiet trees.", tags="woods")
    html = http.post("/journal/search", data={"q": "waves"}).get_data(as_text=True)
    assert "1 entry found" in html and "Ocean" in html and "Forest" not in html
    html = http.post("/journal/search", data={"q": "woods quiet"}).get_data(as_text=True)
    assert "1 entry found" in html and "Forest" in html
    html = http.post("/journal/search", data={"q": "nothing-like-this"}).get_data(as_text=True)
    assert "0 entries found" in html


def test_tag_filter_and_search_pagination(sky):
    _, http = sky
    for number in range(23):
        write_entry(http, title=f"Tagged {number:02d}", tags="river")
    write_entry(http, title="Untagged one")
    page_one = http.post("/journal/search", data={"tag": "RIVER"}).get_data(as_text=True)
    assert "23 entries found" in page_one and "Untagged one" not in page_one
    assert "Tagged 22" in page_one and "Tagged 02" not in page_one
    page_two = http.post("/journal/search", data={"tag": "river", "page": "2"}).get_data(
        as_text=True
    )
    assert "Tagged 02" in page_two and "Tagged 00" in page_two and "Tagged 03" not in page_two
    # Search words never travel in a URL: pagination is posted too.
    assert 'action="/journal/search"' in page_one and "?q=" not in page_one


def test_the_search_page_lists_my_tags(sky):
    _, http = sky
    write_entry(http, tags="grief, music")
    html = http.get("/journal/search").get_data(as_text=True)
    assert "grief (1)" in html and "music (1)" in html


def _checkin(app, http, session_id, moment, score, feelings=()):
    """Record a check-in as the live room will, with this client's login and cookie key."""
    from app.auth.services import load_login
    from app.journal.sessions import COOKIE_FIELD

    with http.session_transaction() as cookie_session:
        cookie_key, token = cookie_session[COOKIE_FIELD], cookie_session["_user_id"]
    with app.app_context():
        user = load_login(token, touch=False)
        return record_checkin(
            user,
            user.current_login,
            session_id,
            moment,
            score,
            list(feelings),
            session_key=cookie_key,
        )


def test_insights_draw_mood_sessions_feelings_and_tags(app, sky):
    _, http = sky
    write_entry(http, title="Heavy morning", mood="2", tags="work", feelings=["heavy"])
    write_entry(http, title="Lighter evening", mood="4", tags="work, music", feelings=["lighter"])
    _checkin(app, http, 7, "arrival", 2, ["heavy"])
    _checkin(app, http, 7, "closing", 4, ["lighter", "calmer"])
    _checkin(app, http, 8, "arrival", 3)  # no closing: not a before/after pair
    html = http.get("/journal/insights").get_data(as_text=True)
    assert 'id="mood-chart"' in html and "<circle" in html
    assert "Heavy morning" in html and "Lighter evening" in html  # point labels
    assert "arrived at 2, closed at 4" in html
    assert "chart-session-up" in html
    assert "2.0 higher" in html
    assert "heavy: 2" in html and "work: 2" in html and "music: 1" in html
    assert "style=" not in html  # CSP: no inline styles anywhere


def test_insights_with_an_empty_journal_are_gentle(sky):
    _, http = sky
    html = http.get("/journal/insights").get_data(as_text=True)
    assert "When you note a mood" in html


def test_many_days_draw_a_line(app, db, sky):
    from app.auth.services import load_login
    from app.core.database import utcnow
    from app.journal.services import create_entry
    from app.journal.sessions import COOKIE_FIELD, vault_for_login

    _, http = sky
    write_entry(http, mood="3")
    with http.session_transaction() as cookie_session:
        cookie_key, token = cookie_session[COOKIE_FIELD], cookie_session["_user_id"]
    with app.app_context():
        login_user = load_login(token, touch=False)
        vault = vault_for_login(login_user, login_user.current_login, cookie_key)
        for days in range(1, 80):
            when = utcnow() - timedelta(days=days)
            create_entry(vault, body="x", mood=days % 5 + 1, created_at=when, commit=False)
        db.session.commit()
    html = http.get("/journal/insights").get_data(as_text=True)
    assert "<polyline" in html
    assert html.count('class="chart-point"') == 60  # the most recent 60 days


def test_checkins_appear_in_the_journal(app, sky):
    _, http = sky
    record = _checkin(app, http, 3, "closing", 5, ["grounded"])
    html = http.get(f"/journal/{record.entry_id}").get_data(as_text=True)
    assert "Closing check-in" in html and "grounded" in html and "5 of 5" in html
    assert "Closing check-in" in http.get("/journal/").get_data(as_text=True)


@pytest.mark.parametrize(
    "session_id, moment, score, feelings",
    [
        (1, "middle", 3, []),
        (1, "arrival", 0, []),
        (1, "arrival", 6, []),
        (1, "arrival", "3", []),
        (1, "arrival", True, []),
        (0, "arrival", 3, []),
        ("1", "arrival", 3, []),
        (1, "arrival", 3, ["not-a-feeling"]),
        (1, "arrival", 3, "lighter"),
        (1, "arrival", 3, [1, 2]),
    ],
)
def test_bad_checkins_are_refused_as_invalid(app, sky, session_id, moment, score, feelings):
    _, http = sky
    with pytest.raises(CheckinError) as error:
        _checkin(app, http, session_id, moment, score, feelings)
    assert error.value.code == "invalid"


def test_checkin_without_an_unlocked_key_is_locked(app, sky):
    from app.auth.services import load_login

    _, http = sky
    with http.session_transaction() as cookie_session:
        token = cookie_session["_user_id"]
    with app.app_context():
        user = load_login(token, touch=False)
        with pytest.raises(CheckinError) as error:
            record_checkin(user, user.current_login, 1, "arrival", 3, [], session_key=None)
    assert error.value.code == "locked"


def test_a_socket_handler_records_a_checkin_from_the_connect_time_session(
    app, make_user, socket_client
):
    """The live room's handler needs nothing but the session copy Flask-SocketIO gives it."""
    from flask_login import current_user

    from app.extensions import socketio

    def on_test_checkin(data):
        try:
            record = record_checkin(
                current_user, current_user.current_login, data["session_id"], "arrival", 4, []
            )
        except CheckinError as error:
            return {"ok": False, "error": {"code": error.code}}
        return {"ok": True, "entry_id": record.entry_id}

    socketio.on_event("test:checkin", on_test_checkin)
    user = make_user("socketeer")
    http = app.test_client()
    AuthActions(http).login("socketeer")
    sock = socket_client(user, http_client=http)
    ack = sock.emit("test:checkin", {"session_id": 5}, callback=True)
    assert ack["ok"] is True
    assert "Arrival check-in" in http.get(f"/journal/{ack['entry_id']}").get_data(as_text=True)
    AuthActions(http).logout()  # logout deletes the sealed key: the old socket copy opens nothing
    with app.app_context():
        from sqlalchemy import select

        from app.extensions import db
        from app.journal.models import JournalSessionKey

        assert db.session.scalar(select(JournalSessionKey)) is None
