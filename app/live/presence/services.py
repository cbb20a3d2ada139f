"""Verbs of being in the room: join, leave, the waiting room, typing, hands, preferences."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.auth.models import User, UserPreferences
from app.extensions import db, socketio
from app.live import rooms
from app.live.access import Standing, enter_room, entry_refusal, keeper_access, read_standing
from app.live.audience import emit_to_people, emit_to_room, keepers_of
from app.live.errors import LiveError
from app.live.messages.services import recent_messages
from app.live.participants import mutes_of, record_join
from app.live.presence.announce import PresenceAnnouncer
from app.live.serialize import member_dict, session_dict

NAMESPACE = "/"


def members_of(
    session_id: int, hands: list[int] | None = None, mutes: dict | None = None
) -> list[dict]:
    """The `member` objects of everyone present, with their hands (and mutes)."""
    hands = rooms.state.hands(session_id) if hands is None else hands
    mutes = mutes_of(session_id) if mutes is None else mutes
    return [member_dict(person, hands, mutes) for person in rooms.state.members(session_id)]


def _emit_presence(session_id: int, members: list[dict]) -> None:
    """Tell the room who is here now."""
    emit_to_room("presence", {"members": members}, session_id)


# None: every change broadcasts at once (LIVE_PRESENCE_COALESCE off, as the test client wants).
announcer: PresenceAnnouncer | None = None


def configure(app: Flask) -> None:
    """Coalesce presence broadcasts for this app unless LIVE_PRESENCE_COALESCE is off."""
    global announcer
    announcer = make_announcer(app) if app.config.get("LIVE_PRESENCE_COALESCE", True) else None


def make_announcer(app: Flask, spawn=None, sleep=None) -> PresenceAnnouncer:
    """A presence announcer on Socket.IO's tasks and sleep (tests may pass their own)."""
    return PresenceAnnouncer(
        read=members_of,
        emit=_emit_presence,
        spawn=spawn or (lambda fn, *args: socketio.start_background_task(fn, *args)),
        sleep=sleep or (lambda seconds: socketio.sleep(seconds)),
        context=app.app_context,
        gate=lambda: rooms.state.presence_gate,  # taking turns with other processes (Redis)
    )


def announce_presence(session_id: int) -> None:
    """Who is in the room changed: the room hears the current list soon (see announce.py)."""
    if announcer is None:
        _emit_presence(session_id, members_of(session_id))
    else:
        announcer.announce(session_id)


def _broadcast_hands(session_id: int, hands: list[int]) -> None:
    """Tell the room the hand queue."""
    emit_to_room("hands", {"hands": hands}, session_id)


# --- the waiting room --------------------------------------------------------------------------


def waiting_people(session_id: int) -> list[dict]:
    """Who is in the waiting room, first come first, with their names."""
    ids = rooms.state.waiting(session_id)
    if not ids:
        return []
    query = select(User.id, User.display_name).where(User.id.in_(ids))
    names = dict(db.session.execute(query).all())
    return [{"user_id": uid, "display_name": names[uid]} for uid in ids if uid in names]


def announce_waiting(session) -> None:
    """Tell the people who keep the room who is waiting to come in."""
    payload = {"session_id": session.id, "waiting": waiting_people(session.id)}
    emit_to_people("waiting", payload, keepers_of(session))


def waiting_list(user_id: int, session_id: int) -> dict:
    """The waiting room, for the console's catch-up."""
    keeper_access(user_id, session_id)
    return {"waiting": waiting_people(session_id)}


def _wait_outside(standing: Standing) -> None:
    """Keep a member's place in the waiting room; the keepers hear of a new arrival."""
    session_id = standing.session.id
    if standing.user_id not in rooms.state.waiting(session_id):
        rooms.state.wait(session_id, standing.user_id)
        announce_waiting(standing.session)


# --- joining and leaving -----------------------------------------------------------------------


def join_session(user_id: int, session_id: int, sid: str) -> dict:
    """Put this socket in the room, answer with everything needed to draw it, announce presence.

    The socket is in the room before the history is read, so a message is either in the history
    or delivered to it. Who is here and the hands are read last, after the database has been
    left, so with the room state in memory nothing yields between that read and the ack: a
    `presence` or `hands` broadcast that reaches this socket before its ack was read before the
    ack's lists were. (With Redis, the page keeps whichever came later: docs/live.md.)
    """
    standing = read_standing(user_id, session_id)
    refusal = entry_refusal(standing)
    if refusal == "waiting":
        _wait_outside(standing)
    if refusal is not None:
        raise LiveError(refusal)
    record_join(session_id, user_id, standing.joined)
    person = {"user_id": user_id, "display_name": standing.display_name, "role": standing.room_role}
    socketio.server.enter_room(sid, rooms.room_name(session_id), namespace=NAMESPACE)
    rooms.local_sockets.add(sid, session_id)
    rooms.state.join(session_id, sid, person)
    answer = {
        "session": session_dict(standing.session),
        "messages": recent_messages(session_id),
        "preferences": preferences_dict(user_id),
    }
    mutes = mutes_of(session_id)
    db.session.commit()  # ends the read: the request's teardown has nothing left to wait for
    announce_presence(session_id)
    hands = rooms.state.hands(session_id)
    return {
        **answer,
        "you": member_dict(person, hands, mutes),
        "members": members_of(session_id, hands, mutes),
        "hands": hands,
    }


def _still_present(session_id: int, user_id: int) -> bool:
    """Is this person still in the room on another socket?"""
    return any(m["user_id"] == user_id for m in rooms.state.members(session_id))


def _forget_socket(user_id: int, session_id: int, sid: str) -> None:
    """Remove one socket from a room; a person who is gone altogether lowers their hand."""
    rooms.state.leave(session_id, sid)
    rooms.local_sockets.discard(sid, session_id)
    # Hands first: reading the whole room to see whether they are still here is rarely needed.
    if user_id in rooms.state.hands(session_id) and not _still_present(session_id, user_id):
        _broadcast_hands(session_id, rooms.state.lower_hand(session_id, user_id))
    announce_presence(session_id)


def leave_session(user_id: int, session_id: int, sid: str) -> None:
    """Take this socket out of the room and tell the others."""
    enter_room(user_id, session_id)
    socketio.server.leave_room(sid, rooms.room_name(session_id), namespace=NAMESPACE)
    _forget_socket(user_id, session_id, sid)


def leave_all(user_id: int, sid: str) -> None:
    """On disconnect: leave every room this socket was in (Socket.IO drops the rooms itself)."""
    for session_id in rooms.local_sockets.pop(sid):
        _forget_socket(user_id, session_id, sid)


def evict(user_id: int, session_id: int, event: str, payload: dict) -> int:
    """Take this person's sockets out of the room, then tell every tab of theirs why.

    Leave first: with Redis, a room message another greenlet publishes between the two would
    otherwise reach a tab on another process after it was told it is out.
    """
    sids = rooms.state.sids_of(session_id, user_id)
    room = rooms.room_name(session_id)
    for sid in sids:
        socketio.server.leave_room(sid, room, namespace=NAMESPACE)
        rooms.state.leave(session_id, sid)
        rooms.local_sockets.discard(sid, session_id)
    emit_to_people(event, payload, [user_id])  # every tab of theirs learns why
    if user_id in rooms.state.hands(session_id):
        _broadcast_hands(session_id, rooms.state.lower_hand(session_id, user_id))
    announce_presence(session_id)
    return len(sids)


def resync_local() -> None:
    """After a queue outage, ask this process's sockets to rejoin and catch up (`room:resync`).

    They may have missed broadcasts, and a restarted Redis has forgotten their presence.
    """
    for session_id in rooms.local_sockets.sessions():
        emit_to_room("room:resync", {"session_id": session_id}, session_id, ignore_queue=True)


# --- typing, hands, preferences ----------------------------------------------------------------


def share_typing(user_id: int) -> bool:
    """Does this person let others see when they are typing?"""
    preferences = db.session.get(UserPreferences, user_id)
    return True if preferences is None else preferences.share_typing


def _in_the_room(user_id: int, session_id: int, sid: str) -> None:
    """Typing and hands are for a socket that has joined the room (and may still be there)."""
    enter_room(user_id, session_id)
    if not rooms.local_sockets.has(sid, session_id):
        raise LiveError("not_found", NOT_JOINED)


NOT_JOINED = "You're not in this room at the moment. Join it first."


def set_typing(user_id: int, session_id: int, typing: bool, sid: str) -> None:
    """Let the others know someone is typing, unless that person switched it off."""
    _in_the_room(user_id, session_id, sid)
    if typing and not share_typing(user_id):
        return
    emit_to_room("typing", {"user_id": user_id, "typing": typing}, session_id, skip_sid=sid)


def raise_hand(user_id: int, session_id: int, sid: str) -> list[int]:
    """Join the hand queue and tell the room."""
    _in_the_room(user_id, session_id, sid)
    hands = rooms.state.raise_hand(session_id, user_id)
    _broadcast_hands(session_id, hands)
    return hands


def lower_hand(user_id: int, session_id: int, sid: str) -> list[int]:
    """Leave the hand queue and tell the room."""
    _in_the_room(user_id, session_id, sid)
    hands = rooms.state.lower_hand(session_id, user_id)
    _broadcast_hands(session_id, hands)
    return hands


def preferences_dict(user_id: int) -> dict:
    """The room preferences of a person, defaults filled in."""
    row = db.session.get(UserPreferences, user_id)
    return {
        "share_typing": True if row is None else row.share_typing,
        "collapse_content_warnings": True if row is None else row.collapse_content_warnings,
        "reduce_motion": False if row is None else row.reduce_motion,
        "country": "" if row is None else row.country,
    }


def set_preferences(user_id: int, changes: dict[str, bool]) -> dict:
    """Store changed preferences (creating the row on first change)."""
    row = db.session.get(UserPreferences, user_id)
    if row is None:
        row = UserPreferences(user_id=user_id)
        db.session.add(row)
    for key, value in changes.items():
        setattr(row, key, value)
    db.session.commit()
    return preferences_dict(user_id)
