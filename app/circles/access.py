"""The one place that decides who may see a circle, and who may be in its rooms."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.circles.models import Circle, CircleSession, Membership, MembershipStatus
from app.extensions import db


class RoomAccessDenied(Exception):
    """Why someone may not be in a session's room; `code` is the protocol error code."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class RoomAccess:
    """A person's standing in one session's room."""

    session: CircleSession
    membership: Membership | None
    room_role: str  # "member" | "facilitator" | "moderator"

    @property
    def may_moderate(self) -> bool:
        """Facilitators of the circle and site moderators run and moderate the room."""
        return self.room_role in ("facilitator", "moderator")


def membership_of(user, circle_id: int) -> Membership | None:
    """This user's membership row for the circle, whatever its status."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Membership).where(Membership.circle_id == circle_id, Membership.user_id == user.id)
    )


def is_circle_facilitator(user, circle_id: int) -> bool:
    """An approved facilitator of this circle."""
    membership = membership_of(user, circle_id)
    return membership is not None and membership.is_facilitator


def can_moderate_circle(user, circle_id: int) -> bool:
    """Facilitators of the circle, and site moderators and admins everywhere."""
    return bool(getattr(user, "is_moderator", False)) or is_circle_facilitator(user, circle_id)


def can_see_circle(user, circle: Circle, membership: Membership | None) -> bool:
    """Public circles are listed for everyone logged in; private ones only for their people."""
    if getattr(user, "is_moderator", False):
        return True
    if membership is not None and membership.status == MembershipStatus.BANNED.value:
        return False
    if circle.is_public:
        return True
    return membership is not None and membership.status in (
        MembershipStatus.APPROVED.value,
        MembershipStatus.PENDING.value,
    )


def access_circle_by_id(user, circle_id: int) -> Circle:
    """The circle if this user may see it; 404 otherwise (existence is not revealed)."""
    circle = db.session.get(Circle, circle_id)
    if circle is None or not can_see_circle(user, circle, membership_of(user, circle_id)):
        raise NotFound()
    return circle


def access_room(user, session_id: int) -> RoomAccess:
    """May this user be in the session's room? Raises RoomAccessDenied with a protocol code."""
    session = db.session.get(CircleSession, session_id) if isinstance(session_id, int) else None
    if session is None or user is None or not getattr(user, "is_authenticated", False):
        raise RoomAccessDenied("not_found")
    membership = membership_of(user, session.circle_id)
    if membership is not None and membership.is_facilitator:
        return RoomAccess(session, membership, "facilitator")
    if getattr(user, "is_moderator", False):
        return RoomAccess(session, membership, "moderator")
    if membership is None:
        raise RoomAccessDenied("not_found")
    if membership.status == MembershipStatus.BANNED.value:
        raise RoomAccessDenied("banned")
    if not membership.is_active:
        raise RoomAccessDenied("not_found")
    return RoomAccess(session, membership, "member")


def access_session_page(user, session_id: int) -> RoomAccess:
    """The live-room page: the same rule as the room, as a 404 for HTTP."""
    try:
        return access_room(user, session_id)
    except RoomAccessDenied:
        raise NotFound() from None
