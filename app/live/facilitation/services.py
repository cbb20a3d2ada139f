"""Running the room: start and end, phases, the talking piece, the waiting room, lock, slow mode.

Each verb checks who may do it, changes the session, writes the append-only audit row in the
same transaction, commits, and only then tells the room.
"""

from __future__ import annotations

from app.auth.models import User
from app.circles.access import membership_of
from app.circles.models import CircleSession, SessionState
from app.extensions import db
from app.live import rooms, tallies
from app.live.access import enter_room, keeper_access, now, session_row
from app.live.audience import emit_to_people, emit_to_room
from app.live.audit import audit_in_room
from app.live.errors import LiveError
from app.live.models import SessionParticipant
from app.live.participants import participant
from app.live.presence.services import announce_waiting
from app.live.serialize import session_dict


def commit_and_announce(session: CircleSession, event: str = "session:updated") -> dict:
    """Commit, then send the session object to everyone in the room."""
    db.session.commit()
    payload = {"session": session_dict(session)}
    emit_to_room(event, payload, session.id)
    return payload


def start_session(user_id: int, session_id: int) -> dict:
    """Open the session: it is live from now (again, if it had ended)."""
    standing = keeper_access(user_id, session_id)
    session = session_row(standing)
    session.state = SessionState.LIVE.value
    session.started_at = session.started_at or now()
    session.ended_at = None
    audit_in_room(user_id, standing, "session:start")
    return commit_and_announce(session)


def end_session(user_id: int, session_id: int) -> dict:
    """Close the session: the piece is put down and the pacer stops."""
    standing = keeper_access(user_id, session_id)
    session = session_row(standing)
    session.state = SessionState.ENDED.value
    session.ended_at = now()
    session.holder_id = None
    session.breath = None
    audit_in_room(user_id, standing, "session:end")
    answer = commit_and_announce(session, "session:ended")
    tallies.tallies.forget(session_id)  # the check-in sums go with the session
    waiting = rooms.state.waiting(session_id)
    emit_to_people("session:ended", answer, waiting)  # nobody waits at a door that will not open
    for user_id in waiting:
        rooms.state.stop_waiting(session_id, user_id)
    return answer


def set_phase(user_id: int, session_id: int, phase: str) -> dict:
    """Move the circle to another phase; the room's rules follow it."""
    standing = keeper_access(user_id, session_id)
    session = session_row(standing)
    session.phase = phase
    audit_in_room(user_id, standing, "phase:set", detail=f"phase={phase}")
    return commit_and_announce(session)


def active_person(circle_id: int, user_id: int):
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


def give_stick(user_id: int, session_id: int, target_id: int | None) -> dict:
    """Hand the talking piece to someone (or put it down); its holder may pass it back."""
    standing = enter_room(user_id, session_id)
    membership = None
    if target_id is not None:
        membership = active_person(standing.session.circle_id, target_id)
        if _was_removed(session_id, target_id):
            raise LiveError("not_found")
    if not standing.may_moderate:
        passing_back = target_id is None or (membership is not None and membership.is_facilitator)
        if standing.session.holder_id != user_id or not passing_back:
            raise LiveError("forbidden")
    session = session_row(standing)
    session.holder_id = target_id
    audit_in_room(user_id, standing, "stick:give", target_user_id=target_id)
    answer = commit_and_announce(session)
    if target_id is not None and target_id in rooms.state.hands(session_id):
        emit_to_room("hands", {"hands": rooms.state.lower_hand(session_id, target_id)}, session_id)
    return answer


def admit_member(user_id: int, session_id: int, target_id: int) -> dict:
    """Let someone in from the waiting room; they hear `session:admitted` and may join."""
    standing = keeper_access(user_id, session_id)
    active_person(standing.session.circle_id, target_id)
    row = participant(session_id, target_id)
    row.admitted_at = row.admitted_at or now()
    audit_in_room(user_id, standing, "member:admit", target_user_id=target_id)
    db.session.commit()
    rooms.state.stop_waiting(session_id, target_id)
    emit_to_people("session:admitted", {"session_id": session_id}, [target_id])
    announce_waiting(standing.session)
    return {}


def lock_session(user_id: int, session_id: int, locked: bool) -> dict:
    """Close (or reopen) the room to people who are not already in it."""
    standing = keeper_access(user_id, session_id)
    session = session_row(standing)
    session.locked = locked
    audit_in_room(user_id, standing, "session:lock", detail=f"locked={str(locked).lower()}")
    return commit_and_announce(session)


def set_slow_mode(user_id: int, session_id: int, seconds: int) -> dict:
    """Members may send one message per `seconds` (0 turns slow mode off)."""
    standing = keeper_access(user_id, session_id)
    session = session_row(standing)
    session.slow_mode_seconds = seconds
    audit_in_room(user_id, standing, "session:slowmode", detail=f"seconds={seconds}")
    return commit_and_announce(session)
