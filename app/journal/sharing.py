"""Sharing an excerpt: an explicit act that copies chosen words into a circle; the entry stays."""

from __future__ import annotations

import logging

from sqlalchemy import select

from app.circles.access import membership_of
from app.circles.models import Circle, Membership, MembershipStatus
from app.core.validators import has_control_characters
from app.extensions import db
from app.journal.forms import EXCERPT_MAX
from app.journal.models import JournalEntry, JournalSharedExcerpt

log = logging.getLogger(__name__)


class ShareError(Exception):
    """The excerpt cannot be shared; the message is safe to show."""

    def __init__(self, message: str, field: str = "excerpt"):
        super().__init__(message)
        self.field = field


def circles_to_share_with(user) -> list[Circle]:
    """Circles where this member is an approved member or facilitator."""
    return list(
        db.session.scalars(
            select(Circle)
            .join(Membership, Membership.circle_id == Circle.id)
            .where(
                Membership.user_id == user.id,
                Membership.status == MembershipStatus.APPROVED.value,
            )
            .order_by(Circle.name)
        )
    )


def clean_excerpt(excerpt: str) -> str:
    """The excerpt as it will be copied: trimmed, checked for length and control characters."""
    text = (excerpt or "").strip()
    if not text:
        raise ShareError("Choose some words to share.")
    if len(text) > EXCERPT_MAX:
        raise ShareError(f"Excerpts can be up to {EXCERPT_MAX:,} characters.")
    if has_control_characters(text):
        raise ShareError("Some invisible control characters crept in; please remove them.")
    return text


def share_excerpt(user, entry: JournalEntry, excerpt: str, circle_id: int) -> JournalSharedExcerpt:
    """Copy the chosen words into a circle the member belongs to; the entry itself stays private."""
    if entry.user_id != user.id:
        raise ShareError("That entry isn't yours to share.")
    membership = membership_of(user, circle_id)
    if membership is None or not membership.is_active:
        raise ShareError("You can share only into circles you belong to.", "circle_id")
    return post_excerpt_to_circle(user, circle_id, clean_excerpt(excerpt))


def post_excerpt_to_circle(user, circle_id: int, text: str) -> JournalSharedExcerpt:
    """The hand-off to the circle: for now the copy is kept in journal_shared_excerpts.

    When the live room's messages exist, this is where the copy becomes a circle message.
    """
    shared = JournalSharedExcerpt(user_id=user.id, circle_id=circle_id, text=text)
    db.session.add(shared)
    db.session.commit()
    log.info("user %s shared an excerpt into circle %s", user.id, circle_id)
    return shared
