"""Socket handlers of the facilitator events: run the room and moderate it."""

from __future__ import annotations

from app.live import schemas
from app.live.facilitation import moderating, services
from app.live.facilitation import schemas as fs
from app.live.handlers import room_event


@room_event("session:start", schemas.SessionRef)
def on_start(caller, payload):
    """Open the session."""
    return services.start_session(caller.id, payload.session_id)


@room_event("session:end", schemas.SessionRef)
def on_end(caller, payload):
    """Close the session."""
    return services.end_session(caller.id, payload.session_id)


@room_event("phase:set", fs.SetPhase)
def on_phase(caller, payload):
    """Move the circle to another phase."""
    return services.set_phase(caller.id, payload.session_id, payload.phase)


@room_event("stick:give", fs.GiveStick)
def on_stick(caller, payload):
    """Hand the talking piece on (or put it down)."""
    return services.give_stick(caller.id, payload.session_id, payload.user_id)


@room_event("member:admit", fs.SessionMember)
def on_admit(caller, payload):
    """Let someone in from the waiting room."""
    return services.admit_member(caller.id, payload.session_id, payload.user_id)


@room_event("session:lock", fs.LockSession)
def on_lock(caller, payload):
    """Close or reopen the room to newcomers."""
    return services.lock_session(caller.id, payload.session_id, payload.locked)


@room_event("session:slowmode", fs.SlowMode)
def on_slowmode(caller, payload):
    """Set the seconds members wait between messages."""
    return services.set_slow_mode(caller.id, payload.session_id, payload.seconds)


@room_event("member:mute", fs.MuteMember)
def on_mute(caller, payload):
    """Mute someone for a while."""
    return moderating.mute_member(
        caller.id, payload.session_id, payload.user_id, payload.minutes, payload.reason
    )


@room_event("member:unmute", fs.SessionMember)
def on_unmute(caller, payload):
    """End a mute now."""
    return moderating.unmute_member(caller.id, payload.session_id, payload.user_id, payload.reason)


@room_event("member:remove", fs.SessionMember)
def on_remove(caller, payload):
    """Ask someone to step out of this session."""
    return moderating.remove_member(caller.id, payload.session_id, payload.user_id, payload.reason)


@room_event("member:ban", fs.BanMember)
def on_ban(caller, payload):
    """Ban someone from the circle."""
    return moderating.ban_member(caller.id, payload.circle_id, payload.user_id, payload.reason)


@room_event("message:hide", fs.HideMessage)
def on_hide(caller, payload):
    """Hide a message from the room and its history."""
    return moderating.hide_message(caller.id, payload.message_id, payload.reason)
