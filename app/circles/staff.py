"""Who helps run a circle or the site, and the badges they wear wherever their name is shown."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.auth.models import Role, User
from app.circles.models import Membership, MembershipRole, MembershipStatus
from app.extensions import db

SITE_BADGES = {Role.MODERATOR.value: "Moderator", Role.ADMIN.value: "Admin"}
FACILITATOR_BADGE = "Facilitator"


def badges_for(role: str | None, facilitates: bool = False) -> list[str]:
    """Facilitator (of the circle in view), then Moderator or Admin (site-wide)."""
    shown = [FACILITATOR_BADGE] if facilitates else []
    site = SITE_BADGES.get(role or "")
    return [*shown, site] if site else shown


def badges(user, facilitates: bool = False) -> list[str]:
    """The badges to show beside this person's name."""
    return badges_for(getattr(user, "role", None), facilitates)


def badges_in_circle(circle_id: int | None, user_ids: Iterable[int | None]) -> dict[int, list[str]]:
    """Badges for several people at once (two queries), as seen in one circle or site-wide."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    roles = dict(db.session.execute(select(User.id, User.role).where(User.id.in_(ids))).all())
    hosting: set[int] = set()
    if circle_id is not None:
        query = facilitators_query([circle_id], Membership.user_id)
        hosting = set(db.session.scalars(query.where(Membership.user_id.in_(ids))))
    return {user_id: badges_for(roles.get(user_id), user_id in hosting) for user_id in ids}


def facilitators_with_badges(circle_id: int) -> list[tuple[str, list[str]]]:
    """The circle's facilitators by display name, each with their badges."""
    people = db.session.scalars(facilitators_query([circle_id], User).order_by(User.display_name))
    return [(person.display_name, badges(person, facilitates=True)) for person in people]


def facilitators_query(circle_ids: Iterable[int], *columns):
    """A select of these columns for the approved facilitators of these circles."""
    return (
        select(*columns)
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.circle_id.in_(list(circle_ids)),
            Membership.role == MembershipRole.FACILITATOR.value,
            Membership.status == MembershipStatus.APPROVED.value,
            User.deleted_at.is_(None),
        )
    )
