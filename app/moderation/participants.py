"""A person's standing in one session (muted, removed, let in) and the rules it imposes.

Mutes expire by themselves: `muted_until` is compared with the clock whenever someone sends,
so no background job is needed. Tests freeze time by replacing this module's `utcnow`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.database import utcnow
from app.extensions import db
from app.live import rooms
from app.live.errors import LiveError
from app.live.models import Message
from app.moderation.models import SessionParticipant


def now() -> datetime:
    """The clock every moderation rule reads (one place to freeze in tests)."""
    return utcnow()


def participant(session_id: int, user_id: int) -> SessionParticipant:
    """This person's row for the session, created (and flushed) on first need."""
    row = db.session.get(SessionParticipant, (session_id, user_id))
    if row is not None:
        return row
    row = SessionParticipant(session_id=session_id, user_id=user_id)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # another request created it first
        row = db.session.get(SessionParticipant, (session_id, user_id))
    return row


def active_mute(row: SessionParticipant | None) -> datetime | None:
    """When this person's mute ends, or None when they are not muted (expired counts as not)."""
    if row is None or row.muted_until is None or row.muted_until <= now():
        return None
    return row.muted_until


def mutes_of(session_id: int) -> dict[int, datetime]:
    """{user_id: muted_until} for everyone muted in the session right now."""
    query = select(SessionParticipant.user_id, SessionParticipant.muted_until).where(
        SessionParticipant.session_id == session_id,
        SessionParticipant.muted_until > now(),
    )
    return dict(db.session.execute(query).all())


UNREAD = object()  # "the caller did not read the participant row": read it here


def _participant_row(session_id: int, user_id: int, row):
    """The person's row for the session (None when they have none), unless already read."""
    if row is UNREAD:
        return db.session.get(SessionParticipant, (session_id, user_id))
    return row


def check_may_enter(access, user_id: int, row=UNREAD) -> None:
    """Room rules on top of membership for members: removed people stay out, a lock keeps
    newcomers out (people who were already in, or were let in from the waiting room, may
    come back). `row`: the participant row (or None) when the caller has read it already."""
    if access.may_moderate:
        return
    session = access.session
    row = _participant_row(session.id, user_id, row)
    if row is not None and row.removed_at is not None:
        raise LiveError("removed")
    if session.locked:
        known = row is not None and row.joined_at is not None
        if not known and not rooms.state.is_admitted(session.id, user_id):
            raise LiveError("locked")


def check_may_post(access, user_id: int, row=UNREAD) -> None:
    """Mute and slow mode for members (facilitators and moderators are exempt)."""
    if access.may_moderate:
        return
    session = access.session
    if active_mute(_participant_row(session.id, user_id, row)) is not None:
        raise LiveError("muted")
    seconds = session.slow_mode_seconds or 0
    if seconds > 0:
        last = db.session.scalar(
            select(func.max(Message.created_at)).where(
                Message.session_id == session.id, Message.author_id == user_id
            )
        )
        if last is not None and _aware(last) > now() - timedelta(seconds=seconds):
            raise LiveError("slow_mode")


def _aware(moment: datetime) -> datetime:
    """Aggregates may come back naive from SQLite; they are UTC."""

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def record_join(session_id: int, user_id: int) -> None:
    """Remember that this person has been in the room (a lock lets them back in)."""
    row = participant(session_id, user_id)
    if row.joined_at is None:
        row.joined_at = now()
        db.session.commit()
