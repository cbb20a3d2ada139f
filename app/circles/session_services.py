"""Session verbs: schedule one-off and weekly sessions, edit and cancel them, list what's next.

State changes of a running session (scheduled -> live -> ended) belong to the live room.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from app.circles import access
from app.circles.models import (
    CircleSession,
    Membership,
    MembershipStatus,
    SessionSeries,
    SessionState,
)
from app.circles.schedule import ScheduleError, occurrences_from, zone_for
from app.core.database import utcnow
from app.core.errors import FieldError
from app.extensions import db

MATERIALISE_AHEAD = 8
DEFAULT_DURATION_MINUTES = 90
# A facilitator may open a session that should have started a little while ago, not last week.
PAST_GRACE = timedelta(hours=1)
FUTURE_LIMIT = timedelta(days=2 * 366)


class SessionError(FieldError):
    """A scheduling request that cannot be carried out; the message is user-facing."""


def _check_start(starts_at: datetime, now: datetime | None = None) -> None:
    """Starts must be aware, not long past and not years away."""
    if starts_at.tzinfo is None:
        raise ValueError("starts_at must be timezone-aware")
    now = now or utcnow()
    if starts_at < now - PAST_GRACE:
        raise SessionError("That time has already passed. Please choose a later one.", "starts_at")
    if starts_at > now + FUTURE_LIMIT:
        raise SessionError("Please schedule within the next two years.", "starts_at")


def schedule_session(
    actor,
    circle_id: int,
    title: str,
    starts_at: datetime,
    *,
    talking_piece: bool = False,
    waiting_room: bool = False,
) -> CircleSession:
    """A facilitator schedules a one-off session."""
    access.access_circle_as_facilitator(actor, circle_id)
    _check_start(starts_at)
    session = CircleSession(
        circle_id=circle_id,
        title=title.strip(),
        starts_at=starts_at,
        duration_minutes=DEFAULT_DURATION_MINUTES,
        talking_piece=talking_piece,
        waiting_room=waiting_room,
        created_by_id=actor.id,
    )
    db.session.add(session)
    db.session.commit()
    return session


def schedule_series(
    actor,
    circle_id: int,
    title: str,
    first_starts_at: datetime,
    timezone: str,
    *,
    talking_piece: bool = False,
    waiting_room: bool = False,
) -> SessionSeries:
    """A facilitator schedules a weekly session; the next occurrences are created now."""
    access.access_circle_as_facilitator(actor, circle_id)
    _check_start(first_starts_at)
    try:
        zone_for(timezone)
    except ScheduleError as error:
        raise SessionError(str(error), "timezone") from None
    series = SessionSeries(
        circle_id=circle_id,
        title=title.strip(),
        first_starts_at=first_starts_at,
        timezone=timezone,
        interval_days=7,
        talking_piece=talking_piece,
        waiting_room=waiting_room,
        created_by_id=actor.id,
    )
    db.session.add(series)
    db.session.commit()
    top_up_series(series)
    return series


def top_up_series(series: SessionSeries, now: datetime | None = None) -> int:
    """Make sure the next MATERIALISE_AHEAD occurrences exist; returns how many were added."""
    if series.cancelled_at is not None:
        return 0
    now = now or utcnow()
    window_start = max(now - timedelta(minutes=DEFAULT_DURATION_MINUTES), series.first_starts_at)
    wanted = occurrences_from(
        series.first_starts_at, series.timezone, window_start, MATERIALISE_AHEAD
    )
    existing = set(
        db.session.scalars(
            select(CircleSession.starts_at).where(
                CircleSession.series_id == series.id, CircleSession.starts_at.in_(wanted)
            )
        )
    )
    missing = [moment for moment in wanted if moment not in existing]
    for moment in missing:
        db.session.add(_occurrence(series, moment))
    if not missing:
        return 0
    try:
        db.session.commit()
    except IntegrityError:
        # Another request topped the series up at the same moment; its rows are as good.
        db.session.rollback()
        return 0
    return len(missing)


def _occurrence(series: SessionSeries, starts_at: datetime) -> CircleSession:
    """One materialised session of a series."""
    return CircleSession(
        circle_id=series.circle_id,
        series_id=series.id,
        title=series.title,
        starts_at=starts_at,
        duration_minutes=DEFAULT_DURATION_MINUTES,
        talking_piece=series.talking_piece,
        waiting_room=series.waiting_room,
        created_by_id=series.created_by_id,
    )


def _scheduled_session_for(actor, session_id: int) -> CircleSession:
    """A session the actor facilitates that has not begun yet; 404 otherwise."""
    session = access.access_session_as_facilitator(actor, session_id)
    if session.state != SessionState.SCHEDULED.value:
        raise SessionError("This session has already begun, so it can't be changed here.")
    return session


def update_session(
    actor,
    session_id: int,
    *,
    title: str,
    starts_at: datetime,
    talking_piece: bool,
    waiting_room: bool,
) -> CircleSession:
    """A facilitator changes a scheduled session; a weekly occurrence keeps its time."""
    session = _scheduled_session_for(actor, session_id)
    if session.series_id is not None and _minute(starts_at) != _minute(session.starts_at):
        raise SessionError(
            "This is part of a weekly series, so its time stays. Cancel this one and schedule "
            "a one-off session instead.",
            "starts_at",
        )
    if _minute(starts_at) != _minute(session.starts_at):
        _check_start(starts_at)
        session.starts_at = starts_at
    session.title = title.strip()
    session.talking_piece = talking_piece
    session.waiting_room = waiting_room
    db.session.commit()
    return session


def _minute(moment: datetime) -> datetime:
    """The same time to the minute, as forms send it."""
    return moment.replace(second=0, microsecond=0)


def first_session_of_series(series_id: int) -> CircleSession | None:
    """The earliest materialised occurrence of a series that is not cancelled."""
    return db.session.scalar(
        select(CircleSession)
        .where(CircleSession.series_id == series_id, CircleSession.cancelled_at.is_(None))
        .order_by(CircleSession.starts_at)
        .limit(1)
    )


def cancel_session(actor, session_id: int) -> CircleSession:
    """A facilitator cancels a session that has not begun; a series will not re-create it."""
    session = _scheduled_session_for(actor, session_id)
    session.cancelled_at = utcnow()
    db.session.commit()
    return session


def cancel_series(actor, series_id: int) -> SessionSeries:
    """A facilitator ends a weekly series and cancels its occurrences that have not begun."""
    series = db.session.get(SessionSeries, series_id) if isinstance(series_id, int) else None
    if series is None or series.cancelled_at is not None:
        raise NotFound()
    access.access_circle_as_facilitator(actor, series.circle_id)
    now = utcnow()
    series.cancelled_at = now
    for session in db.session.scalars(
        select(CircleSession).where(
            CircleSession.series_id == series.id,
            CircleSession.state == SessionState.SCHEDULED.value,
            CircleSession.cancelled_at.is_(None),
        )
    ):
        session.cancelled_at = now
    db.session.commit()
    return series


def active_series_for_circle(circle_id: int) -> list[SessionSeries]:
    """The weekly series of a circle that are still running."""
    return list(
        db.session.scalars(
            select(SessionSeries)
            .where(SessionSeries.circle_id == circle_id, SessionSeries.cancelled_at.is_(None))
            .order_by(SessionSeries.first_starts_at)
        )
    )


def _top_up_circles(circle_ids, now: datetime) -> None:
    """Top up every running series of these circles."""
    if not circle_ids:
        return
    for series in db.session.scalars(
        select(SessionSeries).where(
            SessionSeries.circle_id.in_(circle_ids), SessionSeries.cancelled_at.is_(None)
        )
    ):
        top_up_series(series, now)


def _upcoming_query(now: datetime):
    """Sessions that are live, or scheduled and not long past, and not cancelled."""
    recent = now - timedelta(minutes=DEFAULT_DURATION_MINUTES)
    return (
        select(CircleSession)
        .where(
            CircleSession.cancelled_at.is_(None),
            or_(
                CircleSession.state == SessionState.LIVE.value,
                (CircleSession.state == SessionState.SCHEDULED.value)
                & (CircleSession.starts_at >= recent),
            ),
        )
        .order_by(CircleSession.starts_at, CircleSession.id)
    )


def upcoming_sessions_for_circle(
    circle_id: int, now: datetime | None = None, limit: int = 12
) -> list[CircleSession]:
    """What's live now and coming up in one circle (the caller has checked access)."""
    now = now or utcnow()
    _top_up_circles([circle_id], now)
    query = _upcoming_query(now).where(CircleSession.circle_id == circle_id).limit(limit)
    return list(db.session.scalars(query))


def upcoming_sessions_for_user(user, now: datetime | None = None, limit: int = 50):
    """What's live now and coming up in every circle I'm an approved member of."""
    now = now or utcnow()
    circle_ids = list(
        db.session.scalars(
            select(Membership.circle_id).where(
                Membership.user_id == user.id,
                Membership.status == MembershipStatus.APPROVED.value,
            )
        )
    )
    _top_up_circles(circle_ids, now)
    if not circle_ids:
        return []
    query = _upcoming_query(now).where(CircleSession.circle_id.in_(circle_ids)).limit(limit)
    return list(db.session.scalars(query))
