"""Each person's row for a session: created when first needed, read for mutes and joins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.live.access import now
from app.live.models import SessionParticipant


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


def mutes_of(session_id: int) -> dict[int, datetime]:
    """{user_id: muted_until} for everyone muted in the session right now."""
    query = select(SessionParticipant.user_id, SessionParticipant.muted_until).where(
        SessionParticipant.session_id == session_id,
        SessionParticipant.muted_until > now(),
    )
    return dict(db.session.execute(query).all())


def record_join(session_id: int, user_id: int, already: bool) -> None:
    """Remember that this person has been in the room (a lock lets them back in)."""
    if already:
        return
    row = participant(session_id, user_id)
    if row.joined_at is None:
        row.joined_at = now()
        db.session.commit()
