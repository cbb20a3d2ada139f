"""Taking one person's sockets out of a session's room, on whichever process holds them."""

from __future__ import annotations

from app.extensions import socketio
from app.live import rooms

NAMESPACE = "/"


def evict(user_id: int, session_id: int, event: str, payload: dict) -> int:
    """Tell every socket of this person why, then take those in the room out; returns how many.

    The event goes first and the leave second; with Redis both travel the same pub/sub channel
    in order, so a socket on another process hears why before it stops hearing the room.
    """
    from app.live.presence import announce_presence

    sids = rooms.state.sids_of(session_id, user_id)
    socketio.emit(event, payload, to=rooms.user_room(user_id))  # every tab of theirs learns why
    room = rooms.room_name(session_id)
    for sid in sids:
        socketio.server.leave_room(sid, room, namespace=NAMESPACE)
        rooms.state.leave(session_id, sid)
        rooms.local_sockets.discard(sid, session_id)
    if user_id in rooms.state.hands(session_id):
        hands = rooms.state.lower_hand(session_id, user_id)
        socketio.emit("hands", {"hands": hands}, to=room)
    announce_presence(session_id)
    return len(sids)
