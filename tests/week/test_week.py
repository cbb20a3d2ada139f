"""My week: circle sessions, plans with gentle reminders, and the private calendar feed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.auth.models import User
from app.circles import session_services
from app.core.database import utcnow
from app.extensions import db as _db
from app.week.models import CalendarToken, PlannedPractice

PLAN = {"kind": "practice", "weekdays": ["1", "4"], "time_of_day": "20:00", "timezone": "UTC"}


def feed_url(response) -> str:
    """The private address shown once after making a feed."""
    assert response.status_code == 200
    match = re.search(r'href="(http://[^"]+/week/calendar/[^"]+\.ics)"', response.get_data(True))
    assert match, "no feed address on the page"
    return match.group(1).replace("http://localhost", "")


def parse(body: bytes) -> list:
    """The events of an iCalendar body."""
    return list(Calendar.from_ical(body).walk("VEVENT"))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/week"),
        ("post", "/week/plans"),
        ("get", "/week/plans/1/edit"),
        ("post", "/week/plans/1/delete"),
        ("post", "/week/calendar"),
        ("post", "/week/calendar/revoke"),
    ],
)
def test_my_week_needs_login(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "token", ["x", "a" * 43, "../../etc/passwd", "%00" * 20, "A" * 200, "ü" * 40]
)
def test_unknown_or_malformed_feed_tokens_are_404(client, token):
    # NUL bytes are refused site-wide with a 400 before any route runs.
    expected = 400 if "%00" in token else 404
    assert client.get(f"/week/calendar/{token}.ics").status_code == expected


def test_upcoming_sessions_including_weekly_ones_show_on_my_week(
    app, make_user, make_circle, make_session, logged_in_client
):
    holder, sky = make_user("holder"), make_user("sky")
    circle = make_circle(holder, [sky], name="Tuesday tears")
    make_session(circle, title="One-off", state="scheduled", starts_at=utcnow() + timedelta(days=1))
    with app.app_context():
        session_services.schedule_series(
            _db.session.get(User, holder.id),
            circle.id,
            "Weekly gathering",
            utcnow() + timedelta(days=2),
            "Europe/Paris",
        )
    html = logged_in_client(sky).get("/week").get_data(as_text=True)
    assert "One-off" in html and "Tuesday tears" in html
    assert html.count("Weekly gathering") >= 2


def test_plans_are_mine_to_add_change_and_remove(app, make_user, logged_in_client):
    sky, rain = make_user("sky"), make_user("rain")
    http = logged_in_client(sky)
    assert http.post("/week/plans", data=PLAN).status_code == 302
    html = http.get("/week").get_data(as_text=True)
    assert "Tuesday and Friday at 20:00" in html
    with app.app_context():
        plan_id = _db.session.scalar(select(PlannedPractice.id))
    other = logged_in_client(rain)
    assert other.get(f"/week/plans/{plan_id}/edit").status_code == 404
    assert other.post(f"/week/plans/{plan_id}/edit", data=PLAN).status_code == 404
    assert other.post(f"/week/plans/{plan_id}/delete").status_code == 404
    changed = {
        **PLAN,
        "weekdays": ["0", "2", "4"],
        "time_of_day": "07:30",
        "timezone": "Asia/Tokyo",
    }
    assert http.post(f"/week/plans/{plan_id}/edit", data=changed).status_code == 302
    html = http.get("/week").get_data(as_text=True)
    assert "Monday, Wednesday and Friday at 07:30" in html and "Asia/Tokyo" in html
    assert http.post(f"/week/plans/{plan_id}/delete").status_code == 302
    with app.app_context():
        assert _db.session.scalar(select(PlannedPractice.id)) is None


@pytest.mark.parametrize(
    "changes",
    [
        {"weekdays": []},
        {"weekdays": ["9"]},
        {"weekdays": ["monday"]},
        {"time_of_day": "25:00"},
        {"time_of_day": "8pm"},
        {"time_of_day": ""},
        {"timezone": "Mars/Olympus_Mons"},
        {"timezone": "../../etc"},
        {"timezone": "x" * 80},
        {"timezone": "nul\x00"},
        {"kind": "streak"},
    ],
)
def test_bad_plans_are_form_errors_never_500(make_user, logged_in_client, changes):
    http = logged_in_client(make_user("sky"))
    response = http.post("/week/plans", data={**PLAN, **changes})
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)


def test_todays_plan_is_a_gentle_line_on_my_week_and_home(make_user, logged_in_client):
    http = logged_in_client(make_user("sky"))
    assert "You planned some quiet practice" not in http.get("/week").get_data(as_text=True)
    today = str(datetime.now(UTC).weekday())
    http.post("/week/plans", data={**PLAN, "weekdays": [today], "kind": "journal"})
    for path in ("/week", "/"):
        html = http.get(path).get_data(as_text=True)
        assert "a little time for your journal today" in html
        assert "streak" not in html.lower()


def test_calendar_feed_lists_only_my_sessions_in_utc(
    app, make_user, make_circle, make_session, logged_in_client, client
):
    holder, sky, stranger = make_user("holder"), make_user("sky"), make_user("stranger")
    mine = make_circle(holder, [sky], name="Tuesday tears")
    theirs = make_circle(stranger, name="Not mine")
    starts = (utcnow() + timedelta(days=1)).replace(microsecond=0)
    make_session(mine, title="Evening release", state="scheduled", starts_at=starts)
    make_session(theirs, title="Private elsewhere", state="scheduled", starts_at=starts)
    with app.app_context():
        session_services.schedule_series(
            _db.session.get(User, holder.id),
            mine.id,
            "Weekly gathering",
            starts + timedelta(hours=3),
            "Europe/Paris",
        )
    url = feed_url(logged_in_client(sky).post("/week/calendar"))
    response = client.get(url)  # no cookie: the token is the only key
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "no-store" in response.headers["Cache-Control"]
    events = parse(response.data)
    summaries = [str(event["SUMMARY"]) for event in events]
    assert "Evening release · Tuesday tears" in summaries
    assert sum("Weekly gathering" in s for s in summaries) >= 2
    assert not any("Private elsewhere" in s or "Not mine" in s for s in summaries)
    body = response.get_data(as_text=True)
    for name in ("holder", "Holder", "stranger", "Stranger", "Sky"):
        assert name not in body
    first = next(e for e in events if str(e["SUMMARY"]).startswith("Evening release"))
    assert first.decoded("DTSTART") == starts.astimezone(UTC)
    assert first.decoded("DTSTART").utcoffset() == timedelta(0)
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(minutes=90)


def test_feed_token_is_stored_hashed_renewable_and_revocable(app, make_user, logged_in_client):
    sky = make_user("sky")
    http = logged_in_client(sky)
    first = feed_url(http.post("/week/calendar"))
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    with app.app_context():
        stored = _db.session.scalars(select(CalendarToken.token_hash)).all()
    assert len(stored) == 1 and token not in stored[0] and len(stored[0]) == 64
    anonymous = app.test_client()
    assert anonymous.get(first).status_code == 200
    second = feed_url(http.post("/week/calendar"))
    assert second != first
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    assert http.post("/week/calendar/revoke").status_code == 302
    assert anonymous.get(second).status_code == 404


def test_another_members_feed_is_not_mine(app, make_user, logged_in_client):
    sky, rain = make_user("sky"), make_user("rain")
    sky_url = feed_url(logged_in_client(sky).post("/week/calendar"))
    rain_url = feed_url(logged_in_client(rain).post("/week/calendar"))
    assert sky_url != rain_url
    # Revoking mine leaves theirs alone, and theirs never opens mine.
    logged_in_client(rain).post("/week/calendar/revoke")
    assert app.test_client().get(rain_url).status_code == 404
    assert app.test_client().get(sky_url).status_code == 200


@pytest.mark.parametrize(
    ("kind", "shown", "reminder"),
    [
        ("movement", "Movement", "move your body a little today"),
        ("group", "Group time", "You have group time today"),
        ("therapy", "Therapy", "time with your therapist today"),
    ],
)
def test_movement_group_and_therapy_time_can_be_planned(
    app, make_user, logged_in_client, kind, shown, reminder
):
    http = logged_in_client(make_user("sky"))
    today = str(datetime.now(UTC).weekday())
    response = http.post("/week/plans", data={**PLAN, "kind": kind, "weekdays": [today]})
    assert response.status_code == 302
    week = http.get("/week").get_data(as_text=True)
    assert f"{shown}: " in week and reminder in week
    assert reminder in http.get("/").get_data(as_text=True)
    with app.app_context():
        assert _db.session.scalar(select(PlannedPractice.kind)) == kind
