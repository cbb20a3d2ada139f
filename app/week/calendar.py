"""The private calendar feed: an unguessable token (kept only as a hash) and the .ics itself."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, timedelta

from icalendar import Calendar, Event
from sqlalchemy import delete, select

from app.auth.models import User
from app.circles.session_services import upcoming_sessions_for_user
from app.core.database import utcnow
from app.extensions import db
from app.week.models import CalendarToken

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
FEED_LIMIT = 200


def hash_token(token: str) -> str:
    """SHA-256 of the token: a copy of the database cannot open anyone's feed."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user) -> str:
    """A new feed token for this member, replacing (and so revoking) any earlier one."""
    token = secrets.token_urlsafe(32)
    db.session.execute(delete(CalendarToken).where(CalendarToken.user_id == user.id))
    db.session.add(CalendarToken(user_id=user.id, token_hash=hash_token(token)))
    db.session.commit()
    return token


def revoke_token(user) -> None:
    """Turn the feed off: the old address answers 404 from now on."""
    db.session.execute(delete(CalendarToken).where(CalendarToken.user_id == user.id))
    db.session.commit()


def feed_of(user) -> CalendarToken | None:
    """This member's feed row, if a feed is on."""
    return db.session.scalar(select(CalendarToken).where(CalendarToken.user_id == user.id))


def user_for_token(token: str) -> User | None:
    """The member this token belongs to, or None for anything unknown or malformed."""
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    row = db.session.scalar(
        select(CalendarToken).where(CalendarToken.token_hash == hash_token(token))
    )
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    return None if user is None or user.deleted_at is not None else user


def build_calendar(user) -> bytes:
    """My upcoming circle sessions: title, circle name, start and end in UTC, nobody else."""
    calendar = Calendar()
    calendar.add("prodid", "-//Holdspace//My circle sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Holdspace circles")
    stamp = utcnow().astimezone(UTC)
    for session in upcoming_sessions_for_user(user, limit=FEED_LIMIT):
        event = Event()
        starts = session.starts_at.astimezone(UTC)
        event.add("uid", f"session-{session.id}@holdspace")
        event.add("dtstamp", stamp)
        event.add("dtstart", starts)
        event.add("dtend", starts + timedelta(minutes=session.duration_minutes or 90))
        event.add("summary", f"{session.title} · {session.circle.name}")
        event.add("description", f"A session of {session.circle.name} on Holdspace.")
        calendar.add_component(event)
    return calendar.to_ical()
