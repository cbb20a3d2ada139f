"""When a standing changes outside the room, the sockets already in it follow at once.

Access is decided when an event arrives; a socket that joined a room keeps hearing it until it
leaves. So every change that can end someone's place in a room (leaving or being declined, a
circle's visibility, a site role, an account deleted) sends `standing_changed`, and the room
re-reads the standing of each person concerned who is present, on any process: those who may
no longer be there hear `session:removed` and are taken out; the others keep their place with
their role as it is now.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from app.circles.models import CircleSession, SessionState
from app.core.signals import standing_changed
from app.extensions import db
from app.live import rooms
from app.live.access import now, read_standing
from app.live.errors import LiveError
from app.live.presence.services import announce_presence, evict

log = logging.getLogger(__name__)

# Sessions someone may still be sitting in: live, or starting or ended within this long.
NEARBY = timedelta(hours=12)


def sessions_people_may_be_in(circle_id: int | None) -> list[int]:
    """Ids of the sessions whose rooms may hold people (of one circle, or of all)."""
    moment = now()
    query = select(CircleSession.id).where(
        CircleSession.cancelled_at.is_(None),
        (CircleSession.state == SessionState.LIVE.value)
        | CircleSession.starts_at.between(moment - NEARBY, moment + NEARBY),
    )
    if circle_id is not None:
        query = query.where(CircleSession.circle_id == circle_id)
    return list(db.session.scalars(query))


def recheck(sender=None, *, user_id: int | None = None, circle_id: int | None = None, **extra):
    """Re-read the standing of the people concerned in every room they are in; never raises
    (a failure is logged by type: the change that sent the signal has already happened)."""
    try:
        for session_id in sessions_people_may_be_in(circle_id):
            present = {member["user_id"] for member in rooms.state.members(session_id)}
            for person in present if user_id is None else present & {user_id}:
                _follow(person, session_id)
    except Exception as exc:
        db.session.rollback()
        log.error("following a standing change failed: %s", type(exc).__name__)


def _follow(user_id: int, session_id: int) -> None:
    """Take the person out, or keep them with their current role."""
    try:
        standing = read_standing(user_id, session_id)
        code = "removed" if standing.removed else None
    except LiveError as refusal:
        standing, code = None, refusal.code
    if code is not None:
        evict(user_id, session_id, "session:removed", {"session_id": session_id, "code": code})
        return
    person = {
        "user_id": user_id,
        "display_name": standing.display_name,
        "role": standing.room_role,
    }
    if rooms.state.update_person(session_id, person):
        announce_presence(session_id)


def connect_receivers() -> None:
    """Follow standing changes made anywhere in the app."""
    standing_changed.connect(recheck)
