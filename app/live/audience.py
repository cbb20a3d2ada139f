"""Who hears what: the room's Socket.IO rooms, and the people who keep a session."""

from __future__ import annotations

from sqlalchemy import select

from app.circles.models import Membership, MembershipRole, MembershipStatus
from app.extensions import db, socketio
from app.live import rooms


def emit_to_people(event: str, payload: dict, user_ids) -> None:
    """Send to every socket of these people, on any process."""
    user_ids = list(user_ids)
    if user_ids:
        socketio.emit(event, payload, to=[rooms.user_room(uid) for uid in user_ids])


def emit_to_room(event: str, payload: dict, session_id: int, **options) -> None:
    """Send to everyone in one session's room."""
    socketio.emit(event, payload, to=rooms.room_name(session_id), **options)


def keepers_of(session, *, exclude: int | None = None) -> list[int]:
    """The circle's facilitators, and site moderators present in the room (never `exclude`)."""
    facilitators = select(Membership.user_id).where(
        Membership.circle_id == session.circle_id,
        Membership.role == MembershipRole.FACILITATOR.value,
        Membership.status == MembershipStatus.APPROVED.value,
    )
    people = set(db.session.scalars(facilitators))
    people |= {m["user_id"] for m in rooms.state.members(session.id) if m["role"] == "moderator"}
    people.discard(exclude)
    return sorted(people)
