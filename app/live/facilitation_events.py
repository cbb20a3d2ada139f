"""Thin handlers of the facilitator events: run the room and moderate it."""

from __future__ import annotations

from flask import Flask

from app.extensions import socketio
from app.live import facilitation_schemas as fs
from app.live import schemas, session_control
from app.live.events import HANDLERS, room_event
from app.moderation import services as moderation

FACILITATION_EVENTS = (
    "session:start",
    "session:end",
    "phase:set",
    "stick:give",
    "member:admit",
    "waiting:list",
    "member:mute",
    "member:unmute",
    "member:remove",
    "member:ban",
    "message:hide",
    "session:lock",
    "session:slowmode",
)


@room_event("session:start", schemas.SessionRef)
def on_start(user, payload, sid):
    """Open the session."""
    return session_control.start_session(user, payload.session_id)


@room_event("session:end", schemas.SessionRef)
def on_end(user, payload, sid):
    """Close the session."""
    return session_control.end_session(user, payload.session_id)


@room_event("phase:set", fs.SetPhase)
def on_phase(user, payload, sid):
    """Move the circle to another phase."""
    return session_control.set_phase(user, payload.session_id, payload.phase)


@room_event("stick:give", fs.GiveStick)
def on_stick(user, payload, sid):
    """Hand the talking piece on (or put it down)."""
    return session_control.give_stick(user, payload.session_id, payload.user_id)


@room_event("member:admit", fs.SessionMember)
def on_admit(user, payload, sid):
    """Let someone in from the waiting room."""
    return session_control.admit_member(user, payload.session_id, payload.user_id)


@room_event("waiting:list", schemas.SessionRef)
def on_waiting(user, payload, sid):
    """Who is in the waiting room (for the console)."""
    return session_control.waiting_list(user, payload.session_id)


@room_event("member:mute", fs.MuteMember)
def on_mute(user, payload, sid):
    """Mute someone for a while."""
    return moderation.mute_member(
        user, payload.session_id, payload.user_id, payload.minutes, payload.reason
    )


@room_event("member:unmute", fs.SessionMember)
def on_unmute(user, payload, sid):
    """End a mute now."""
    return moderation.unmute_member(user, payload.session_id, payload.user_id, payload.reason)


@room_event("member:remove", fs.SessionMember)
def on_remove(user, payload, sid):
    """Ask someone to step out of this session."""
    return moderation.remove_member(user, payload.session_id, payload.user_id, payload.reason)


@room_event("member:ban", fs.BanMember)
def on_ban(user, payload, sid):
    """Ban someone from the circle."""
    return moderation.ban_member(user, payload.circle_id, payload.user_id, payload.reason)


@room_event("message:hide", fs.HideMessage)
def on_hide(user, payload, sid):
    """Hide a message from the room and its history."""
    return moderation.hide_message(user, payload.message_id, payload.reason)


@room_event("session:lock", fs.LockSession)
def on_lock(user, payload, sid):
    """Close or reopen the room to newcomers."""
    return session_control.lock_session(user, payload.session_id, payload.locked)


@room_event("session:slowmode", fs.SlowMode)
def on_slowmode(user, payload, sid):
    """Set the seconds members wait between messages."""
    return session_control.set_slow_mode(user, payload.session_id, payload.seconds)


def register(app: Flask) -> None:
    """Attach the facilitator handlers to the current Socket.IO server."""
    for name in FACILITATION_EVENTS:
        socketio.on_event(name, HANDLERS[name])
