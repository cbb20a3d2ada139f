"""Moderation verbs: mute, unmute, remove, ban, hide. Each checks who may act, changes the
database, writes the append-only audit row in the same transaction, commits, then tells the
people it chooses. The report queue (app/moderation) calls the same verbs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.audit.services import record_audit
from app.auth.models import User
from app.circles.access import membership_of
from app.circles.models import Circle, CircleSession, Membership, MembershipStatus, SessionState
from app.core.database import iso
from app.extensions import db
from app.live import rooms
from app.live.access import keeper_access, now
from app.live.audience import emit_to_room
from app.live.audit import audit_in_room
from app.live.errors import LiveError
from app.live.models import Message, Report
from app.live.participants import participant
from app.live.presence.services import evict
from app.live.serialize import session_dict

RECENT_ENDED = timedelta(days=1)


def _target(circle_id: int, user_id: int, sessions=()) -> Membership | None:
    """The person being moderated: someone of the circle, or anyone present in one of these
    sessions' rooms (`not_found` otherwise); never a facilitator of the circle or a site
    moderator (`forbidden`). Their membership row, when they have one."""
    target = db.session.get(User, user_id)
    membership = membership_of(target, circle_id) if target is not None else None
    present = any(rooms.state.sids_of(session_id, user_id) for session_id in sessions)
    if target is None or (membership is None and not present):
        raise LiveError("not_found")
    if (membership is not None and membership.is_facilitator) or target.is_moderator:
        raise LiveError("forbidden")
    return membership


def mute_member(actor_id: int, session_id: int, user_id: int, minutes: int, reason="", detail=""):
    """Mute someone for `minutes`; it ends by itself. Everyone in the room sees the mute."""
    standing = keeper_access(actor_id, session_id)
    _target(standing.session.circle_id, user_id, [session_id])
    until = now() + timedelta(minutes=minutes)
    participant(session_id, user_id).muted_until = until
    audit_in_room(
        actor_id,
        standing,
        "member:mute",
        target_user_id=user_id,
        reason=reason,
        detail=f"minutes={minutes} {detail}".strip(),
    )
    db.session.commit()
    payload = {"session_id": session_id, "user_id": user_id, "until": iso(until)}
    emit_to_room("member:muted", payload, session_id)
    return {"until": payload["until"]}


def unmute_member(actor_id: int, session_id: int, user_id: int, reason: str = "") -> dict:
    """End someone's mute now."""
    standing = keeper_access(actor_id, session_id)
    _target(standing.session.circle_id, user_id, [session_id])
    participant(session_id, user_id).muted_until = None
    audit_in_room(actor_id, standing, "member:unmute", target_user_id=user_id, reason=reason)
    db.session.commit()
    emit_to_room("member:unmuted", {"session_id": session_id, "user_id": user_id}, session_id)
    return {}


def _put_down_piece(session: CircleSession, user_id: int) -> bool:
    """Someone leaving for good no longer holds the talking piece."""
    if session.holder_id == user_id:
        session.holder_id = None
        return True
    return False


def _announce_piece(session: CircleSession, piece_down: bool) -> None:
    """The room learns the piece was put down."""
    if piece_down:
        emit_to_room("session:updated", {"session": session_dict(session)}, session.id)


def remove_member(actor_id: int, session_id: int, user_id: int, reason: str = "") -> dict:
    """Ask someone to step out of this session; they cannot rejoin it (`removed`)."""
    standing = keeper_access(actor_id, session_id)
    _target(standing.session.circle_id, user_id, [session_id])
    participant(session_id, user_id).removed_at = now()
    session = db.session.get(CircleSession, session_id)
    piece_down = _put_down_piece(session, user_id)
    audit_in_room(actor_id, standing, "member:remove", target_user_id=user_id, reason=reason)
    db.session.commit()
    _announce_piece(session, piece_down)
    evict(user_id, session_id, "session:removed", {"session_id": session_id, "code": "removed"})
    return {}


def _circle_for_keeper(actor_id: int, circle_id: int) -> Circle:
    """A circle this person keeps: members `forbidden`, everyone else `not_found`."""
    circle = db.session.get(Circle, circle_id)
    actor = db.session.get(User, actor_id)
    if circle is None or actor is None:
        raise LiveError("not_found")
    membership = membership_of(actor, circle_id)
    if actor.is_moderator or (membership is not None and membership.is_facilitator):
        return circle
    if membership is not None and membership.is_active:
        raise LiveError("forbidden")
    raise LiveError("not_found")


def sessions_to_clear(circle_id: int) -> list[CircleSession]:
    """Sessions of the circle people may still be sitting in."""
    recent = now() - RECENT_ENDED
    query = select(CircleSession).where(
        CircleSession.circle_id == circle_id,
        CircleSession.cancelled_at.is_(None),
        (CircleSession.state != SessionState.ENDED.value) | (CircleSession.ended_at >= recent),
    )
    return list(db.session.scalars(query))


def ban_member(actor_id: int, circle_id: int, user_id: int, reason: str, detail: str = "") -> dict:
    """Ban someone from the circle: every socket of theirs leaves every room of it at once, its
    pages answer 404 for them, and rejoining gives `banned`."""
    _circle_for_keeper(actor_id, circle_id)
    sessions = sessions_to_clear(circle_id)
    membership = _target(circle_id, user_id, [session.id for session in sessions])
    if membership is None:  # present in a room without being of the circle
        membership = Membership(circle_id=circle_id, user_id=user_id)
        db.session.add(membership)
    membership.status = MembershipStatus.BANNED.value
    membership.ban_reason = reason
    membership.decided_at = now()
    put_down = [s for s in sessions if _put_down_piece(s, user_id)]
    record_audit(
        actor_id,
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


def hide_message(actor_id: int, message_id: int, reason: str, detail: str = "") -> dict:
    """Hide a message: it leaves everyone's screen and the room's history; its open reports
    close with it."""
    message = db.session.get(Message, message_id)
    if message is None:
        raise LiveError("not_found")
    standing = keeper_access(actor_id, message.session_id)
    if message.hidden_at is None:
        message.hidden_at = now()
    close_reports(actor_id, message_id, "hide")
    audit_in_room(
        actor_id,
        standing,
        "message:hide",
        target_message_id=message_id,
        target_user_id=message.author_id,
        reason=reason,
        detail=detail,
    )
    db.session.commit()
    payload = {"message_id": message_id, "session_id": message.session_id}
    emit_to_room("message:hidden", payload, message.session_id)
    return {}


def close_reports(actor_id: int, message_id: int, resolution: str) -> None:
    """Close every open report about a message (in the caller's transaction)."""
    db.session.execute(
        update(Report)
        .where(Report.message_id == message_id, Report.status == "open")
        .values(status="closed", resolution=resolution, resolved_by_id=actor_id, resolved_at=now())
        .execution_options(synchronize_session=False)
    )
