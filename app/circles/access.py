"""The one place that decides who may see a circle (its rooms: app/live/access.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.circles.models import (
    Circle,
    CircleSession,
    Membership,
    MembershipStatus,
)
from app.extensions import db


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


@dataclass(frozen=True)
class CircleAccess:
    """A person's standing in one circle, for pages and services."""

    circle: Circle
    membership: Membership | None
    is_site_moderator: bool

    @property
    def is_member(self) -> bool:
        """Approved members and facilitators (the people of the circle)."""
        return self.membership is not None and self.membership.is_active

    @property
    def is_pending(self) -> bool:
        """Asked to join and waiting for a facilitator."""
        return (
            self.membership is not None and self.membership.status == MembershipStatus.PENDING.value
        )

    @property
    def is_facilitator(self) -> bool:
        """An approved facilitator of this circle."""
        return self.membership is not None and self.membership.is_facilitator

    @property
    def may_see_members(self) -> bool:
        """The members page is for the circle's own people and site moderators."""
        return self.is_member or self.is_site_moderator


def circle_access(user, circle_id: int) -> CircleAccess:
    """This user's standing in a circle they may see; 404 when they may not see it."""
    circle = db.session.get(Circle, circle_id) if isinstance(circle_id, int) else None
    membership = membership_of(user, circle_id) if circle is not None else None
    if circle is None or not can_see_circle(user, circle, membership):
        raise NotFound()
    return CircleAccess(circle, membership, bool(getattr(user, "is_moderator", False)))


def access_circle_members(user, circle_id: int) -> CircleAccess:
    """Members-only circle pages: approved members, facilitators and site moderators; else 404."""
    access = circle_access(user, circle_id)
    if not access.may_see_members:
        raise NotFound()
    return access


def access_circle_as_facilitator(user, circle_id: int) -> CircleAccess:
    """Running a circle (edit, approve, schedule) is for its own facilitators; others get 404."""
    access = circle_access(user, circle_id)
    if not access.is_facilitator:
        raise NotFound()
    return access


def access_session_as_facilitator(user, session_id: int) -> CircleSession:
    """A session a facilitator of its circle may edit or cancel; 404 for everyone else."""
    session = db.session.get(CircleSession, session_id) if isinstance(session_id, int) else None
    if session is None or session.is_cancelled:
        raise NotFound()
    access_circle_as_facilitator(user, session.circle_id)
    return session


def visible_circles_query(user, search: str = ""):
    """A select() of the public circles this user may see, optionally matching a search."""
    banned = select(Membership.circle_id).where(
        Membership.user_id == getattr(user, "id", None),
        Membership.status == MembershipStatus.BANNED.value,
    )
    query = select(Circle).where(Circle.is_public.is_(True), Circle.id.not_in(banned))
    term = search.strip()
    if term:
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            Circle.name.ilike(pattern, escape="\\") | Circle.topic.ilike(pattern, escape="\\")
        )
    return query.order_by(Circle.name, Circle.id)


def my_circles_query(user):
    """A select() of (circle, membership) rows where I am a member, facilitator or pending."""
    return (
        select(Circle, Membership)
        .join(Membership, Membership.circle_id == Circle.id)
        .where(
            Membership.user_id == user.id,
            Membership.status.in_(
                [MembershipStatus.APPROVED.value, MembershipStatus.PENDING.value]
            ),
        )
        .order_by(Circle.name, Circle.id)
    )
