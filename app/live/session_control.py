"""Running the room: start and end, phases, the talking piece, the waiting room, lock, slow mode.

Each verb checks who may do it, changes the session, writes the append-only audit row in the
same transaction, commits, and only then tells the room.
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.circles.access import RoomAccess, membership_of
from app.circles.models import CircleSession, SessionState
from app.extensions import db, socketio
from app.live import rooms
from app.live.care import emit_to_people, keeper_access, keepers_of
from app.live.errors import LiveError
from app.live.serialize import session_dict
from app.live.services import enter_room
from app.moderation.audit import record_audit
from app.moderation.models import SessionParticipant
from app.moderation.participants import now


def _audit(actor: User, access: RoomAccess, action: str, **fields) -> None:
    """The audit row for a change to this session's room."""
    record_audit(
        actor, action, circle_id=access.session.circle_id, session_id=access.session.id, **fields
    )


def _commit_and_announce(session: CircleSession, event: str = "session:updated") -> dict:
    """Commit, then send the session object to everyone in the room."""
    db.session.commit()
    payload = {"session": session_dict(session)}
    socketio.emit(event, payload, to=rooms.room_name(session.id))
    return payload


def start_session(user: User, session_id: int) -> dict:
    """Open the session: it is live from now (again, if it had ended)."""
    access = keeper_access(user, session_id)
    session = access.session
    session.state = SessionState.LIVE.value
    session.started_at = session.started_at or now()
    session.ended_at = None
    _audit(user, access, "session:start")
    return _commit_and_announce(session)


def end_session(user: User, session_id: int) -> dict:
    """Close the session: the piece is put down and the pacer stops."""
    access = keeper_access(user, session_id)
    session = access.session
    session.state = SessionState.ENDED.value
    session.ended_at = now()
    session.holder_id = None
    session.breath = None
    _audit(user, access, "session:end")
    return _commit_and_announce(session, "session:ended")


def set_phase(user: User, session_id: int, phase: str) -> dict:
    """Move the circle to another phase; the room's rules follow it."""
    access = keeper_access(user, session_id)
    access.session.phase = phase
    _audit(user, access, "phase:set", detail=f"phase={phase}")
    return _commit_and_announce(access.session)


def _active_person(circle_id: int, user_id: int):
    """An approved member or facilitator of the circle; `not_found` for anyone else."""
    target = db.session.get(User, user_id)
    membership = membership_of(target, circle_id) if target is not None else None
    if membership is None or not membership.is_active:
        raise LiveError("not_found")
    return membership


def _was_removed(session_id: int, user_id: int) -> bool:
    """Has this person been asked to leave the session?"""
    row = db.session.get(SessionParticipant, (session_id, user_id))
    return row is not None and row.removed_at is not None


def give_stick(user: User, session_id: int, target_id: int | None) -> dict:
    """Hand the talking piece to someone (or put it down); its holder may pass it back."""
    access = enter_room(user, session_id)
    session = access.session
    membership = None
    if target_id is not None:
        membership = _active_person(session.circle_id, target_id)
        if _was_removed(session.id, target_id):
            raise LiveError("not_found")
    if not access.may_moderate:
        passing_back = target_id is None or (membership is not None and membership.is_facilitator)
        if session.holder_id != user.id or not passing_back:
            raise LiveError("forbidden")
    session.holder_id = target_id
    _audit(user, access, "stick:give", target_user_id=target_id)
    answer = _commit_and_announce(session)
    if target_id is not None and target_id in rooms.state.hands(session.id):
        hands = rooms.state.lower_hand(session.id, target_id)
        socketio.emit("hands", {"hands": hands}, to=rooms.room_name(session.id))
    return answer


def waiting_people(session_id: int) -> list[dict]:
    """Who is in the waiting room, first come first, with their names."""
    ids = rooms.state.waiting(session_id)
    if not ids:
        return []
    query = select(User.id, User.display_name).where(User.id.in_(ids))
    names = dict(db.session.execute(query).all())
    return [{"user_id": uid, "display_name": names[uid]} for uid in ids if uid in names]


def announce_waiting(session: CircleSession) -> None:
    """Tell the people who keep the room who is waiting to come in."""
    payload = {"session_id": session.id, "waiting": waiting_people(session.id)}
    emit_to_people("waiting", payload, keepers_of(session))


def waiting_list(user: User, session_id: int) -> dict:
    """The waiting room, for the console's catch-up."""
    keeper_access(user, session_id)
    return {"waiting": waiting_people(session_id)}


def admit_member(user: User, session_id: int, target_id: int) -> dict:
    """Let someone in from the waiting room; they hear `session:admitted` and may join."""
    access = keeper_access(user, session_id)
    session = access.session
    _active_person(session.circle_id, target_id)
    _audit(user, access, "member:admit", target_user_id=target_id)
    db.session.commit()
    rooms.state.admit(session.id, target_id)
    emit_to_people("session:admitted", {"session_id": session.id}, [target_id])
    announce_waiting(session)
    return {}


def lock_session(user: User, session_id: int, locked: bool) -> dict:
    """Close (or reopen) the room to people who are not already in it."""
    access = keeper_access(user, session_id)
    access.session.locked = locked
    _audit(user, access, "session:lock", detail=f"locked={str(locked).lower()}")
    return _commit_and_announce(access.session)


def set_slow_mode(user: User, session_id: int, seconds: int) -> dict:
    """Members may send one message per `seconds` (0 turns slow mode off)."""
    access = keeper_access(user, session_id)
    access.session.slow_mode_seconds = seconds
    _audit(user, access, "session:slowmode", detail=f"seconds={seconds}")
    return _commit_and_announce(access.session)
