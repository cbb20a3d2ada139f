"""Sharing an excerpt: an explicit act that copies chosen words into a circle; the entry stays."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from app.circles.access import membership_of
from app.circles.models import Circle, CircleSession, Membership, MembershipStatus, SessionState
from app.core.database import utcnow
from app.core.errors import FieldError
from app.core.signals import excerpt_shared
from app.core.validators import has_control_characters
from app.extensions import db
from app.journal.forms import EXCERPT_MAX
from app.journal.models import JournalEntry, JournalSharedExcerpt

log = logging.getLogger(__name__)
MESSAGE_MAX = 2_000  # the live room's message limit


class ShareError(FieldError):
    """The excerpt cannot be shared; the message is safe to show."""


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


def session_to_share_into(circle_id: int) -> CircleSession | None:
    """The circle's live session, else its next one (started within the hour or later)."""
    live = db.session.scalar(
        select(CircleSession)
        .where(
            CircleSession.circle_id == circle_id,
            CircleSession.state == SessionState.LIVE.value,
            CircleSession.cancelled_at.is_(None),
        )
        .order_by(CircleSession.starts_at.desc())
    )
    if live is not None:
        return live
    return db.session.scalar(
        select(CircleSession)
        .where(
            CircleSession.circle_id == circle_id,
            CircleSession.state == SessionState.SCHEDULED.value,
            CircleSession.cancelled_at.is_(None),
            CircleSession.starts_at >= utcnow() - timedelta(hours=1),
        )
        .order_by(CircleSession.starts_at)
    )


def _post_in_room(user_id: int, session_id: int, text: str, client_id: str) -> str | None:
    """Ask the live room to post the words (app/live listens); None, or why it could not."""
    answers = [
        answer
        for _, answer in excerpt_shared.send(
            None, user_id=user_id, session_id=session_id, text=text, client_id=client_id
        )
    ]
    if not answers:
        return "the room is not running."
    return next((answer for answer in answers if answer is not None), None)


def post_excerpt_to_circle(user, circle_id: int, text: str) -> JournalSharedExcerpt:
    """Post exactly the previewed words as the member's message in the live (or next) session.

    The room's own rules apply (a closed phase, a mute, a waiting room); when they stop it, the
    member is told why and nothing is copied.
    """
    session = session_to_share_into(circle_id)
    if session is None:
        raise ShareError(
            "This circle has no session coming up to share into yet. Your words are safe here.",
            "circle_id",
        )
    shared = JournalSharedExcerpt(user_id=user.id, circle_id=circle_id, text=text)
    db.session.add(shared)
    db.session.flush()
    client_id = f"journal-excerpt-{shared.id}"
    db.session.commit()
    refusal = _post_in_room(user.id, session.id, text[:MESSAGE_MAX], client_id)
    if refusal is not None:
        db.session.delete(shared)
        db.session.commit()
        raise ShareError(f"The circle's room can't take it right now: {refusal}") from None
    log.info("user %s shared an excerpt into circle %s", user.id, circle_id)
    return shared
