"""Moderation verbs: mute, unmute, remove, ban, hide. Each checks who may act, changes the
database, writes the append-only audit row in the same transaction, commits, then tells the
people it chooses."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.auth.models import User
from app.circles.access import RoomAccess, membership_of
from app.circles.models import Circle, CircleSession, Membership, MembershipStatus, SessionState
from app.extensions import db, socketio
from app.live import rooms
from app.live.care import keeper_access
from app.live.errors import LiveError
from app.live.eviction import evict
from app.live.models import Message
from app.live.serialize import iso
from app.moderation.audit import record_audit
from app.moderation.models import Report
from app.moderation.participants import now, participant

__all__ = [
    "ban_member",
    "hide_message",
    "mute_member",
    "record_audit",
    "remove_member",
    "unmute_member",
]

RECENT_ENDED = timedelta(days=1)


def _target(circle_id: int, user_id: int) -> Membership:
    """The person being moderated: someone of the circle (`not_found` otherwise), and never a
    facilitator of it or a site moderator (`forbidden`)."""
    target = db.session.get(User, user_id)
    membership = membership_of(target, circle_id) if target is not None else None
    if membership is None:
        raise LiveError("not_found")
    if membership.is_facilitator or target.is_moderator:
        raise LiveError("forbidden")
    return membership


def _audit(actor: User, access: RoomAccess, action: str, **fields) -> None:
    """The audit row for an action inside one session."""
    record_audit(
        actor, action, circle_id=access.session.circle_id, session_id=access.session.id, **fields
    )


def mute_member(actor: User, session_id: int, user_id: int, minutes: int, reason="", detail=""):
    """Mute someone for `minutes`; it ends by itself. Everyone in the room sees the mute."""
    access = keeper_access(actor, session_id)
    _target(access.session.circle_id, user_id)
    until = now() + timedelta(minutes=minutes)
    participant(session_id, user_id).muted_until = until
    _audit(
        actor,
        access,
        "member:mute",
        target_user_id=user_id,
        reason=reason,
        detail=f"minutes={minutes} {detail}".strip(),
    )
    db.session.commit()
    payload = {"session_id": session_id, "user_id": user_id, "until": iso(until)}
    socketio.emit("member:muted", payload, to=rooms.room_name(session_id))
    return {"until": payload["until"]}


def unmute_member(actor: User, session_id: int, user_id: int, reason: str = "") -> dict:
    """End someone's mute now."""
    access = keeper_access(actor, session_id)
    _target(access.session.circle_id, user_id)
    participant(session_id, user_id).muted_until = None
    _audit(actor, access, "member:unmute", target_user_id=user_id, reason=reason)
    db.session.commit()
    payload = {"session_id": session_id, "user_id": user_id}
    socketio.emit("member:unmuted", payload, to=rooms.room_name(session_id))
    return {}


def _put_down_piece(session: CircleSession, user_id: int) -> bool:
    """Someone leaving for good no longer holds the talking piece."""
    if session.holder_id == user_id:
        session.holder_id = None
        return True
    return False


def remove_member(actor: User, session_id: int, user_id: int, reason: str = "") -> dict:
    """Ask someone to step out of this session; they cannot rejoin it (`removed`)."""
    access = keeper_access(actor, session_id)
    _target(access.session.circle_id, user_id)
    participant(session_id, user_id).removed_at = now()
    piece_down = _put_down_piece(access.session, user_id)
    _audit(actor, access, "member:remove", target_user_id=user_id, reason=reason)
    db.session.commit()
    _announce_piece(access.session, piece_down)
    payload = {"session_id": session_id, "code": "removed"}
    evict(user_id, session_id, "session:removed", payload)
    return {}


def _announce_piece(session: CircleSession, piece_down: bool) -> None:
    """The room learns the piece was put down."""
    if piece_down:
        from app.live.serialize import session_dict

        payload = {"session": session_dict(session)}
        socketio.emit("session:updated", payload, to=rooms.room_name(session.id))


def _circle_for_keeper(actor: User, circle_id: int) -> Circle:
    """A circle this person keeps: members `forbidden`, everyone else `not_found`."""
    circle = db.session.get(Circle, circle_id)
    if circle is None:
        raise LiveError("not_found")
    membership = membership_of(actor, circle_id)
    if actor.is_moderator or (membership is not None and membership.is_facilitator):
        return circle
    if membership is not None and membership.is_active:
        raise LiveError("forbidden")
    raise LiveError("not_found")


def _sessions_to_clear(circle_id: int) -> list[CircleSession]:
    """Sessions of the circle people may still be sitting in."""
    recent = now() - RECENT_ENDED
    query = select(CircleSession).where(
        CircleSession.circle_id == circle_id,
        CircleSession.cancelled_at.is_(None),
        (CircleSession.state != SessionState.ENDED.value) | (CircleSession.ended_at >= recent),
    )
    return list(db.session.scalars(query))


def ban_member(actor: User, circle_id: int, user_id: int, reason: str, detail: str = "") -> dict:
    """Ban someone from the circle: every socket of theirs leaves every room of it at once, its
    pages answer 404 for them, and rejoining gives `banned`."""
    _circle_for_keeper(actor, circle_id)
    membership = _target(circle_id, user_id)
    membership.status = MembershipStatus.BANNED.value
    membership.ban_reason = reason
    membership.decided_at = now()
    sessions = _sessions_to_clear(circle_id)
    put_down = [s for s in sessions if _put_down_piece(s, user_id)]
    record_audit(
        actor,
        "member:ban",
        circle_id=circle_id,
        target_user_id=user_id,
        reason=reason,
        detail=detail,
    )
    db.session.commit()
    for session in sessions:
        _announce_piece(session, session in put_down)
        evict(user_id, session.id, "session:removed", {"session_id": session.id, "code": "banned"})
    return {}


def hide_message(actor: User, message_id: int, reason: str, detail: str = "") -> dict:
    """Hide a message: it leaves everyone's screen and the room's history; its open reports
    close with it."""
    message = db.session.get(Message, message_id)
    if message is None:
        raise LiveError("not_found")
    access = keeper_access(actor, message.session_id)
    if message.hidden_at is None:
        message.hidden_at = now()
    close_reports(actor, message_id, "hide")
    _audit(
        actor,
        access,
        "message:hide",
        target_message_id=message_id,
        target_user_id=message.author_id,
        reason=reason,
        detail=detail,
    )
    db.session.commit()
    payload = {"message_id": message_id, "session_id": message.session_id}
    socketio.emit("message:hidden", payload, to=rooms.room_name(message.session_id))
    return {}


def close_reports(actor: User, message_id: int, resolution: str) -> None:
    """Close every open report about a message (in the caller's transaction)."""
    db.session.execute(
        update(Report)
        .where(Report.message_id == message_id, Report.status == "open")
        .values(status="closed", resolution=resolution, resolved_by_id=actor.id, resolved_at=now())
        .execution_options(synchronize_session=False)
    )
