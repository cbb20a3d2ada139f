"""Circle verbs: create, edit, join, approve, decline, leave, and add co-facilitators."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from app.auth.services import find_user_by_username
from app.circles import access, namesakes
from app.circles.models import Circle, Membership, MembershipRole, MembershipStatus
from app.core.database import utcnow
from app.core.errors import FieldError
from app.core.signals import standing_changed
from app.extensions import db

DEFAULT_AGREEMENTS = [
    "What is shared here stays here. We carry each other's stories with care and don't "
    "repeat them outside the circle.",
    "We speak from our own experience, using \u201cI\u201d, and let others tell their own story.",
    "We listen rather than fix: no advice unless someone asks for it.",
    "You may always pass. Silence is a full way of taking part.",
    "Tears are welcome here. Nobody needs to apologise for feeling.",
]
MAX_AGREEMENTS = 12
MAX_AGREEMENT_LENGTH = 200


class CircleError(FieldError):
    """A circle request that cannot be carried out; the message is user-facing."""


def clean_agreements(agreements: list[str] | None) -> list[str]:
    """Trimmed, non-empty agreements within the limits; the defaults when none are given."""
    if agreements is None:
        return list(DEFAULT_AGREEMENTS)
    cleaned = [item.strip() for item in agreements if item and item.strip()]
    if not cleaned:
        raise CircleError("Please keep at least one agreement.", "agreements")
    if len(cleaned) > MAX_AGREEMENTS:
        raise CircleError(f"Please keep to {MAX_AGREEMENTS} agreements or fewer.", "agreements")
    if any(len(item) > MAX_AGREEMENT_LENGTH for item in cleaned):
        raise CircleError(
            f"Each agreement can be up to {MAX_AGREEMENT_LENGTH} characters.", "agreements"
        )
    return cleaned


def create_circle(
    creator,
    name: str,
    description: str = "",
    *,
    topic: str = "",
    requires_approval: bool = False,
    is_public: bool = True,
    agreements: list[str] | None = None,
) -> Circle:
    """Start a circle; its creator becomes an approved facilitator."""
    if creator is None or not getattr(creator, "is_authenticated", False):
        raise NotFound()
    now = utcnow()
    circle = Circle(
        name=name.strip(),
        description=description.strip(),
        topic=topic.strip(),
        requires_approval=requires_approval,
        is_public=is_public,
        agreements=clean_agreements(agreements),
        created_by_id=creator.id,
    )
    circle.memberships.append(
        Membership(
            user_id=creator.id,
            role=MembershipRole.FACILITATOR.value,
            status=MembershipStatus.APPROVED.value,
            agreements_accepted_at=now,
            decided_at=now,
        )
    )
    db.session.add(circle)
    db.session.commit()
    return circle


def update_circle(actor, circle_id: int, **changes) -> Circle:
    """Facilitators edit name, description, topic, visibility, approval and agreements."""
    circle = access.access_circle_as_facilitator(actor, circle_id).circle
    allowed = {"name", "description", "topic", "requires_approval", "is_public", "agreements"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown circle fields: {sorted(unknown)}")
    if "agreements" in changes:
        changes["agreements"] = clean_agreements(changes["agreements"] or [])
    for key in ("name", "description", "topic"):
        if key in changes:
            changes[key] = changes[key].strip()
    visibility_changed = "is_public" in changes and changes["is_public"] != circle.is_public
    for key, value in changes.items():
        setattr(circle, key, value)
    db.session.commit()
    if visibility_changed:
        standing_changed.send(None, circle_id=circle_id)
    return circle


def join_circle(user, circle_id: int, accepted_agreements: bool) -> Membership:
    """Join after accepting the agreements: approved when open, pending when approval is needed."""
    standing = access.circle_access(user, circle_id)
    if not accepted_agreements:
        raise CircleError("Please read and accept the circle's agreements.", "accept_agreements")
    membership = standing.membership
    if membership is not None and membership.status in (
        MembershipStatus.APPROVED.value,
        MembershipStatus.PENDING.value,
    ):
        return membership
    if namesakes.clash_on_joining(user, circle_id) is not None:
        raise CircleError(namesakes.JOIN_REFUSED, "display_name")
    status = (
        MembershipStatus.PENDING if standing.circle.requires_approval else MembershipStatus.APPROVED
    )
    now = utcnow()
    if membership is None:
        membership = Membership(circle_id=circle_id, user_id=user.id)
        db.session.add(membership)
    membership.role = MembershipRole.MEMBER.value
    membership.status = status.value
    membership.agreements_accepted_at = now
    membership.decided_at = now if status is MembershipStatus.APPROVED else None
    try:
        db.session.commit()
    except IntegrityError:
        # Two join requests raced; the other one made the row.
        db.session.rollback()
        return access.membership_of(user, circle_id)
    return membership


def _pending_membership(actor, circle_id: int, user_id: int) -> Membership:
    """A pending request in a circle the actor facilitates; 404 otherwise."""
    access.access_circle_as_facilitator(actor, circle_id)
    membership = db.session.scalar(
        select(Membership).where(
            Membership.circle_id == circle_id,
            Membership.user_id == user_id,
            Membership.status == MembershipStatus.PENDING.value,
        )
    )
    if membership is None:
        raise NotFound()
    return membership


def approve_member(actor, circle_id: int, user_id: int) -> Membership:
    """A facilitator welcomes someone who asked to join."""
    membership = _pending_membership(actor, circle_id, user_id)
    membership.status = MembershipStatus.APPROVED.value
    membership.decided_at = utcnow()
    db.session.commit()
    return membership


def decline_member(actor, circle_id: int, user_id: int) -> Membership:
    """A facilitator declines a request; the person may ask again later."""
    membership = _pending_membership(actor, circle_id, user_id)
    membership.status = MembershipStatus.DECLINED.value
    membership.decided_at = utcnow()
    db.session.commit()
    standing_changed.send(None, user_id=user_id, circle_id=circle_id)
    return membership


def leave_circle(user, circle_id: int) -> Membership:
    """Leave a circle (or withdraw a request); the last facilitator must hand over first."""
    standing = access.circle_access(user, circle_id)
    membership = standing.membership
    if membership is None or not (standing.is_member or standing.is_pending):
        raise NotFound()
    if standing.is_facilitator and len(facilitators_of(circle_id)) == 1:
        raise CircleError(
            "You're the only facilitator. Please add a co-facilitator before you leave."
        )
    membership.status = MembershipStatus.LEFT.value
    membership.role = MembershipRole.MEMBER.value
    membership.decided_at = utcnow()
    db.session.commit()
    standing_changed.send(None, user_id=user.id, circle_id=circle_id)
    return membership


def add_facilitator(actor, circle_id: int, username: str) -> Membership:
    """Make an approved member of the circle a co-facilitator."""
    access.access_circle_as_facilitator(actor, circle_id)
    person = find_user_by_username(username or "")
    membership = access.membership_of(person, circle_id) if person is not None else None
    if membership is None or not membership.is_active:
        raise CircleError(
            "Co-facilitators are chosen among the circle's members. Check the username.",
            "username",
        )
    if membership.is_facilitator:
        raise CircleError("That person already facilitates this circle.", "username")
    clash = namesakes.clash_on_promotion(person, [circle_id], site_wide=False)
    if clash is not None:
        refusal = namesakes.promotion_refusal(person, clash, "a co-facilitator of this circle")
        raise CircleError(refusal, "username")
    membership.role = MembershipRole.FACILITATOR.value
    db.session.commit()
    standing_changed.send(None, user_id=person.id, circle_id=circle_id)
    return membership


def members_of(circle_id: int, status: MembershipStatus = MembershipStatus.APPROVED):
    """Memberships with this status, facilitators first, then by display name."""
    from app.auth.models import User

    return list(
        db.session.scalars(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.circle_id == circle_id, Membership.status == status.value)
            .order_by(Membership.role, User.display_name, User.id)
        )
    )


def facilitators_of(circle_id: int) -> list[Membership]:
    """The circle's approved facilitators."""
    return [m for m in members_of(circle_id) if m.role == MembershipRole.FACILITATOR.value]


# Session verbs live beside these in session_services.py; re-exported so callers need one import.
from app.circles.session_services import (  # noqa: E402
    MATERIALISE_AHEAD,
    SessionError,
    active_series_for_circle,
    cancel_series,
    cancel_session,
    first_session_of_series,
    schedule_series,
    schedule_session,
    top_up_series,
    upcoming_sessions_for_circle,
    upcoming_sessions_for_user,
    update_session,
)

__all__ = [
    "DEFAULT_AGREEMENTS",
    "MATERIALISE_AHEAD",
    "CircleError",
    "SessionError",
    "active_series_for_circle",
    "add_facilitator",
    "approve_member",
    "cancel_series",
    "cancel_session",
    "create_circle",
    "decline_member",
    "facilitators_of",
    "first_session_of_series",
    "join_circle",
    "leave_circle",
    "members_of",
    "schedule_series",
    "schedule_session",
    "top_up_series",
    "upcoming_sessions_for_circle",
    "upcoming_sessions_for_user",
    "update_circle",
    "update_session",
]
