"""Display names that would pass for a staff member's: refused on a name change, on joining a
circle, and when someone is made a facilitator or a moderator (registration: app/auth/namesakes).

"Staff" are site moderators and admins everywhere, and a circle's facilitators inside that
circle. Names are compared by Unicode TR39 skeleton, case and spacing ignored
(app/core/lookalikes.py). The person's own name never clashes with itself.
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import STAFF_ROLES, User
from app.auth.namesakes import NAME_TAKEN_BY_TEAM, Clash, first_clash, site_staff
from app.circles.models import Circle, Membership, MembershipStatus
from app.circles.staff import facilitators_query
from app.extensions import db

# Those who count as "in" a circle: people taking part and people asking to.
IN_CIRCLE = (MembershipStatus.APPROVED.value, MembershipStatus.PENDING.value)


def _facilitators_of(circle_ids: list[int], excluding: int | None):
    """(name, clash) for the facilitators of these circles but this person."""
    query = facilitators_query(circle_ids, User.display_name).where(User.id != (excluding or 0))
    return ((name, Clash(name, staff=True, site_wide=False)) for name in db.session.scalars(query))


def _people_of(circle_ids: list[int], excluding: int):
    """(name, clash) for everyone in or asking to join these circles, but this person."""
    rows = db.session.execute(
        select(User.display_name, Circle.name)
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .join(Circle, Circle.id == Membership.circle_id)
        .where(
            Membership.circle_id.in_(circle_ids),
            Membership.status.in_(IN_CIRCLE),
            User.id != excluding,
            User.deleted_at.is_(None),
        )
    )
    return ((name, Clash(name, False, False, circle)) for name, circle in rows)


def circles_of(user_id: int) -> list[int]:
    """The circles this person is in or asking to join."""
    return list(
        db.session.scalars(
            select(Membership.circle_id).where(
                Membership.user_id == user_id, Membership.status.in_(IN_CIRCLE)
            )
        )
    )


def clash_for_name(user, display_name: str) -> Clash | None:
    """A new display name (user None at registration) against the site's moderators and admins
    and the facilitators of every circle this person is in."""
    user_id = getattr(user, "id", None)
    circles = circles_of(user_id) if user_id is not None else []
    candidates = [site_staff(user_id)]
    if circles:
        candidates.append(_facilitators_of(circles, user_id))
    return first_clash(display_name, (pair for group in candidates for pair in group))


def clash_on_joining(user, circle_id: int) -> Clash | None:
    """Someone joining a circle, against that circle's facilitators."""
    return first_clash(user.display_name, _facilitators_of([circle_id], user.id))


def clash_on_promotion(user, circle_ids: list[int], site_wide: bool) -> Clash | None:
    """Someone made a facilitator of these circles (or a moderator or admin: site_wide), against
    everyone in those circles, and other moderators and admins for a site-wide role."""
    candidates = [_people_of(circle_ids, user.id)] if circle_ids else []
    if site_wide:
        candidates.insert(0, site_staff(user.id))
    return first_clash(user.display_name, (pair for group in candidates for pair in group))


def staff_role_clash(user, role: str) -> Clash | None:
    """A site role change that would make this person a moderator or admin."""
    if role not in STAFF_ROLES or user.role in STAFF_ROLES:
        return None
    return clash_on_promotion(user, circles_of(user.id), site_wide=True)


# What people are told. The person refused is never told who the staff member is.
NAME_TAKEN_BY_FACILITATOR = (
    "That name looks a lot like the name of a facilitator in one of your circles. So nobody "
    "mistakes one of you for the other, please choose a different one."
)
JOIN_REFUSED = (
    "Your display name looks a lot like the name of one of this circle's facilitators. So nobody "
    "in the circle mistakes one of you for the other, please choose a different name in your "
    "settings first. You're very welcome to join then."
)


def name_refusal(clash: Clash) -> str:
    """The kind sentence for a refused registration or name change."""
    return NAME_TAKEN_BY_TEAM if clash.site_wide else NAME_TAKEN_BY_FACILITATOR


def promotion_refusal(user, clash: Clash, what: str) -> str:
    """The sentence for a refused promotion, naming both people (the one promoting sees both)."""
    where = f" in {clash.circle_name}" if clash.circle_name else ""
    other = "another moderator or admin" if clash.staff else f"someone{where}"
    return (
        f"{user.display_name} can't be made {what} yet: their display name looks a lot like "
        f"{clash.name}'s ({other}). Please ask one of them to choose a different display name "
        "first, so nobody mistakes one for the other."
    )


def staff_role_refusal(user, clash: Clash, role: str) -> str:
    """The sentence for a refused site role change."""
    return promotion_refusal(user, clash, "an admin" if role == "admin" else "a moderator")
