"""Socket handlers of being in the room: validate, call one verb, ack."""

from __future__ import annotations

from app.live import schemas
from app.live.handlers import room_event
from app.live.presence import services


@room_event("session:join", schemas.SessionRef, limit="session:join")
def on_join(caller, payload):
    """Enter a session's room."""
    return services.join_session(caller.id, payload.session_id, caller.sid)


@room_event("session:leave", schemas.SessionRef)
def on_leave(caller, payload):
    """Leave a session's room."""
    services.leave_session(caller.id, payload.session_id, caller.sid)


@room_event("typing", schemas.Typing, limit="typing")
def on_typing(caller, payload):
    """Someone started or stopped typing."""
    services.set_typing(caller.id, payload.session_id, payload.typing, caller.sid)


@room_event("hand:raise", schemas.SessionRef, limit="hands")
def on_hand_raise(caller, payload):
    """Ask to share next."""
    return {"hands": services.raise_hand(caller.id, payload.session_id, caller.sid)}


@room_event("hand:lower", schemas.SessionRef, limit="hands")
def on_hand_lower(caller, payload):
    """No longer waiting to share."""
    return {"hands": services.lower_hand(caller.id, payload.session_id, caller.sid)}


@room_event("preferences:set", schemas.SetPreferences)
def on_preferences(caller, payload):
    """Change one's own room preferences (e.g. stop sharing typing)."""
    return {"preferences": services.set_preferences(caller.id, payload.changes)}


@room_event("waiting:list", schemas.SessionRef)
def on_waiting(caller, payload):
    """Who is in the waiting room (for the console)."""
    return services.waiting_list(caller.id, payload.session_id)
