"""Scheduling: one-off and weekly sessions, editing, cancelling, and what's coming up."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from werkzeug.exceptions import NotFound

from app.circles import services
from app.circles.models import CircleSession, SessionSeries
from app.circles.schedule import ScheduleError, occurrences_from, parse_starts_at, zone_for
from app.core.database import utcnow
from app.extensions import db
from app.live.access import read_standing
from app.live.errors import LiveError

BERLIN = ZoneInfo("Europe/Berlin")


def test_weekly_time_keeps_its_local_hour_across_the_october_clock_change():
    first = datetime(2026, 10, 18, 19, 0, tzinfo=BERLIN)  # CEST, UTC+2
    found = occurrences_from(first.astimezone(UTC), "Europe/Berlin", first.astimezone(UTC), 4)
    local = [moment.astimezone(BERLIN) for moment in found]
    assert [m.strftime("%Y-%m-%d %H:%M") for m in local] == [
        "2026-10-18 19:00",
        "2026-10-25 19:00",  # the last Sunday of October: clocks went back that morning
        "2026-11-01 19:00",
        "2026-11-08 19:00",
    ]
    assert [m.hour for m in found] == [17, 18, 18, 18]  # so UTC moves by an hour


def test_weekly_time_keeps_its_local_hour_across_the_march_clock_change():
    first = datetime(2027, 3, 21, 9, 30, tzinfo=BERLIN)
    found = occurrences_from(first.astimezone(UTC), "Europe/Berlin", first.astimezone(UTC), 2)
    assert [m.astimezone(BERLIN).hour for m in found] == [9, 9]
    assert [m.hour for m in found] == [8, 7]


def test_occurrences_skip_what_has_passed():
    first = datetime(2026, 1, 4, 18, 0, tzinfo=UTC)
    after = datetime(2026, 11, 26, tzinfo=UTC)
    found = occurrences_from(first, "UTC", after, 3)
    assert found[0] == datetime(2026, 11, 29, 18, 0, tzinfo=UTC)
    assert all(b - a == timedelta(days=7) for a, b in itertools.pairwise(found))


@pytest.mark.parametrize(
    ("value", "zone", "expected"),
    [
        ("2026-12-06T19:00", "Europe/Berlin", datetime(2026, 12, 6, 18, 0, tzinfo=UTC)),
        ("2026-12-06T19:00", "", datetime(2026, 12, 6, 19, 0, tzinfo=UTC)),
        ("2026-12-06T19:00Z", "Europe/Berlin", datetime(2026, 12, 6, 19, 0, tzinfo=UTC)),
        ("2026-12-06T19:00:00+05:30", "UTC", datetime(2026, 12, 6, 13, 30, tzinfo=UTC)),
        ("2026-07-06T19:00", "America/New_York", datetime(2026, 7, 6, 23, 0, tzinfo=UTC)),
    ],
)
def test_start_times_are_read_in_the_viewers_zone_unless_they_carry_an_offset(
    value, zone, expected
):
    assert parse_starts_at(value, zone) == expected


@pytest.mark.parametrize("value", ["", "tomorrow", "2026-13-01T19:00", "19:00", "x" * 200])
def test_unreadable_start_times_are_refused(value):
    with pytest.raises(ScheduleError):
        parse_starts_at(value, "UTC")


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "Europe/", "a" * 80])
def test_bogus_time_zones_are_refused(zone):
    with pytest.raises(ScheduleError):
        zone_for(zone)


def test_a_one_off_session_is_scheduled_in_utc(make_user, make_circle, call):
    river = make_user("river")
    circle = make_circle(river)
    starts = parse_starts_at((utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"), "UTC")
    session = call(
        services.schedule_session, river, circle.id, " Gathering ", starts, talking_piece=True
    )
    assert session.title == "Gathering" and session.starts_at == starts
    assert (session.state, session.talking_piece, session.waiting_room) == (
        "scheduled",
        True,
        False,
    )


@pytest.mark.parametrize("delta", [timedelta(days=-1), timedelta(days=800)])
def test_sessions_are_not_scheduled_long_ago_or_years_ahead(make_user, make_circle, call, delta):
    river = make_user("river")
    circle = make_circle(river)
    with pytest.raises(services.SessionError):
        call(services.schedule_session, river, circle.id, "Late", utcnow() + delta)


def test_only_facilitators_schedule(make_user, make_circle, call):
    river, sky, harbor = make_user("river"), make_user("sky"), make_user("harbor", role="moderator")
    circle = make_circle(river, members=[sky])
    for person in (sky, harbor):
        with pytest.raises(NotFound):
            call(services.schedule_session, person, circle.id, "Mine", utcnow())


def test_a_weekly_series_materialises_the_next_eight_and_tops_up(make_user, make_circle, call, app):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river, members=[sky])
    first = utcnow() + timedelta(hours=2)
    series = call(services.schedule_series, river, circle.id, "Weekly", first, "Europe/Berlin")
    with app.app_context():
        upcoming = services.upcoming_sessions_for_circle(circle.id, limit=50)
        assert len(upcoming) == services.MATERIALISE_AHEAD
        assert {s.series_id for s in upcoming} == {series.id}
        later = first + timedelta(days=7 * 3, hours=1)
        upcoming = services.upcoming_sessions_for_circle(circle.id, now=later, limit=50)
        assert len(upcoming) == services.MATERIALISE_AHEAD
        assert upcoming[0].starts_at > later - timedelta(hours=2)
        assert db.session.scalar(db.select(db.func.count(CircleSession.id))) == 11
        assert services.top_up_series(db.session.get(SessionSeries, series.id), later) == 0


def test_a_cancelled_occurrence_is_not_recreated_and_its_room_is_gone(
    make_user, make_circle, call, app
):
    river, sky = make_user("river"), make_user("sky")
    circle = make_circle(river, members=[sky])
    series = call(services.schedule_series, river, circle.id, "Weekly", utcnow(), "UTC")
    with app.app_context():
        first = services.first_session_of_series(series.id)
        first_id = first.id
    call(services.cancel_session, river, first_id)
    with app.app_context():
        upcoming = services.upcoming_sessions_for_circle(circle.id, limit=50)
        assert first_id not in [s.id for s in upcoming]
        assert len(upcoming) == services.MATERIALISE_AHEAD - 1
    with app.app_context(), pytest.raises(LiveError):
        read_standing(sky.id, first_id)


def test_cancelling_a_series_cancels_what_has_not_begun(make_user, make_circle, call, app):
    river = make_user("river")
    circle = make_circle(river)
    series = call(services.schedule_series, river, circle.id, "Weekly", utcnow(), "UTC")
    call(services.cancel_series, river, series.id)
    with app.app_context():
        assert services.upcoming_sessions_for_circle(circle.id) == []
        assert services.active_series_for_circle(circle.id) == []
    with pytest.raises(NotFound):
        call(services.cancel_series, river, series.id)


def test_editing_a_session_and_keeping_a_series_time(make_user, make_circle, call, app):
    river = make_user("river")
    circle = make_circle(river)
    one_off = call(services.schedule_session, river, circle.id, "Once", utcnow())
    moved = utcnow() + timedelta(days=1)
    edited = call(
        services.update_session,
        river,
        one_off.id,
        title="Moved",
        starts_at=moved,
        talking_piece=True,
        waiting_room=True,
    )
    assert (edited.title, edited.starts_at, edited.waiting_room) == ("Moved", moved, True)
    series = call(services.schedule_series, river, circle.id, "Weekly", utcnow(), "UTC")
    with app.app_context():
        occurrence = services.first_session_of_series(series.id)
        occurrence_id, occurrence_start = occurrence.id, occurrence.starts_at
    with pytest.raises(services.SessionError):
        call(
            services.update_session,
            river,
            occurrence_id,
            title="x",
            starts_at=occurrence_start + timedelta(hours=1),
            talking_piece=False,
            waiting_room=False,
        )


def test_sessions_that_have_begun_cannot_be_edited_or_cancelled(
    make_user, make_circle, make_session, call
):
    river = make_user("river")
    circle = make_circle(river)
    live = make_session(circle, state="live")
    with pytest.raises(services.SessionError):
        call(services.cancel_session, river, live.id)


def test_upcoming_for_a_user_covers_only_circles_they_belong_to(
    make_user, make_circle, make_session, app
):
    river, sky, wren = make_user("river"), make_user("sky"), make_user("wren")
    mine = make_circle(river, members=[sky], pending=[wren])
    other = make_circle(river, name="Other")
    live = make_session(mine, state="live", starts_at=utcnow() - timedelta(minutes=30))
    soon = make_session(mine)
    make_session(other)
    make_session(mine, state="ended", starts_at=utcnow() - timedelta(minutes=5))
    make_session(mine, starts_at=utcnow() - timedelta(days=1))  # never started, long past
    with app.app_context():
        sky_sees = [s.id for s in services.upcoming_sessions_for_user(sky)]
        wren_sees = services.upcoming_sessions_for_user(wren)
    assert sky_sees == [live.id, soon.id]
    assert wren_sees == []
