"""Private follow-up: a keeper checks in with one member, out of the room's hearing.

A thread belongs to one session and one member; the session's keepers (the circle's
facilitators, site moderators) may open it, read it and write in it, so a co-facilitator can
take over; the member reads and answers. Anyone else is told it does not exist. Opening one is
audited; what is said is not copied anywhere.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.database import iso
from app.extensions import db
from app.live.access import Standing, keeper_access, read_standing
from app.live.audience import emit_to_people, keepers_of
from app.live.audit import audit_in_room
from app.live.care import support
from app.live.care.noticing import notice
from app.live.errors import LiveError
from app.live.models import FollowupMessage, FollowupThread

HISTORY_LIMIT = 200


def thread_dict(thread: FollowupThread) -> dict:
    """The contract's `thread` object."""
    return {"thread_id": thread.id, "session_id": thread.session_id, "user_id": thread.user_id}


def message_dict(message: FollowupMessage) -> dict:
    """One line of a follow-up."""
    return {
        "id": message.id,
        "thread_id": message.thread_id,
        "author_id": message.author_id,
        "body": message.body,
        "at": iso(message.created_at),
    }


def _audience(thread: FollowupThread, standing: Standing) -> list[int]:
    """The member and every keeper of the session: nobody else hears a follow-up."""
    return sorted({thread.user_id, *keepers_of(standing.session)})


def open_thread(keeper_id: int, session_id: int, user_id: int, alert_id: int | None) -> dict:
    """Open (or find) the follow-up with this member; an alert named moves to "reached out"."""
    standing = keeper_access(keeper_id, session_id)
    try:
        read_standing(user_id, session_id)  # someone who may be in this room at all
    except LiveError:
        raise LiveError("not_found") from None
    if user_id == keeper_id:
        raise LiveError("invalid", "A follow-up is with someone else in the room.")
    thread = _thread_of(session_id, user_id)
    if thread is None:
        thread = _new_thread(keeper_id, standing, user_id)
    if alert_id is not None:
        alert, _ = support.keepers_alert(keeper_id, alert_id)
        if alert.user_id != user_id or alert.session_id != session_id:
            raise LiveError("not_found")
        if alert.state == "open":
            support.update_alert(keeper_id, alert_id, "reached_out")
    payload = {"thread": thread_dict(thread)}
    emit_to_people("followup:opened", payload, _audience(thread, standing))
    return payload


def _thread_of(session_id: int, user_id: int) -> FollowupThread | None:
    return db.session.scalar(
        select(FollowupThread).where(
            FollowupThread.session_id == session_id, FollowupThread.user_id == user_id
        )
    )


def _new_thread(keeper_id: int, standing: Standing, user_id: int) -> FollowupThread:
    """A new thread, its opening audited (never its content)."""
    thread = FollowupThread(session_id=standing.session.id, user_id=user_id, opened_by_id=keeper_id)
    db.session.add(thread)
    audit_in_room(keeper_id, standing, "followup:open", target_user_id=user_id)
    try:
        db.session.commit()
    except IntegrityError:  # another keeper opened it at the same moment
        db.session.rollback()
        thread = _thread_of(standing.session.id, user_id)
    return thread


def thread_for(user_id: int, thread_id: int) -> tuple[FollowupThread, Standing]:
    """The thread, for its member or a keeper of its session; `not_found` for anyone else."""
    thread = db.session.get(FollowupThread, thread_id)
    if thread is None:
        raise LiveError("not_found")
    try:
        standing = read_standing(user_id, thread.session_id)
    except LiveError:
        raise LiveError("not_found") from None
    if thread.user_id != user_id and not standing.may_moderate:
        raise LiveError("not_found")
    return thread, standing


def send(user_id: int, thread_id: int, client_id: str, body: str) -> dict:
    """Say something in the follow-up (once per client_id); the member's words are read for
    risk like every text they send."""
    thread, standing = thread_for(user_id, thread_id)
    message = _stored(thread, user_id, client_id)
    if message is None:
        message = FollowupMessage(
            thread_id=thread.id, author_id=user_id, client_id=client_id, body=body
        )
        db.session.add(message)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            message = _stored(thread, user_id, client_id)
        else:
            _announce(thread, standing, message)
            if user_id == thread.user_id:
                notice(standing, body, source="followup")
    return {"message": message_dict(message)}


def _stored(thread: FollowupThread, author_id: int, client_id: str) -> FollowupMessage | None:
    return db.session.scalar(
        select(FollowupMessage).where(
            FollowupMessage.thread_id == thread.id,
            FollowupMessage.author_id == author_id,
            FollowupMessage.client_id == client_id,
        )
    )


def _announce(thread: FollowupThread, standing: Standing, message: FollowupMessage) -> None:
    """The member and every keeper hear the new line."""
    audience = _audience(thread, standing)
    emit_to_people("followup:message", {"message": message_dict(message)}, audience)


def history(user_id: int, thread_id: int) -> dict:
    """The thread and its last messages, oldest first."""
    thread, _ = thread_for(user_id, thread_id)
    newest = db.session.scalars(
        select(FollowupMessage)
        .where(FollowupMessage.thread_id == thread.id)
        .order_by(FollowupMessage.id.desc())
        .limit(HISTORY_LIMIT)
    )
    return {
        "thread": thread_dict(thread),
        "messages": [message_dict(m) for m in reversed(list(newest))],
    }


def threads_of_member(user_id: int, session_id: int) -> list[dict]:
    """The member's own threads in a session (after a reload: the panel comes back)."""
    read_standing(user_id, session_id)
    thread = _thread_of(session_id, user_id)
    return [thread_dict(thread)] if thread is not None else []


def threads_in_session(session_id: int) -> list[dict]:
    """Every follow-up of a session, for the keepers' console."""
    threads = db.session.scalars(
        select(FollowupThread)
        .where(FollowupThread.session_id == session_id)
        .order_by(FollowupThread.id)
    )
    return [thread_dict(thread) for thread in threads]
