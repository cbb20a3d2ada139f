"""Thin Socket.IO handlers for the room: validate, identify, call one verb, ack.

Every handler is wrapped so that whatever happens becomes an ack: a bad payload gets `invalid`,
a refusal its code, and an unexpected failure `server_error` (logged by type, never by content).
The connection is never dropped and nothing is raised into Socket.IO.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, request

from app.auth.models import User
from app.core.socket_guard import without_request_context
from app.core.sockets import registry
from app.extensions import db, socketio
from app.live import presence, rooms, schemas, services
from app.live.errors import LiveError, error_ack

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SocketPerson:
    """Who is behind a socket, before anything is read about them: just the user id."""

    id: int


def _person(sid: str, precheck: Callable | None = None, payload=None, load: bool = True):
    """The person behind this socket, from the server's registry (never from the payload).

    With `load` the `User` row (`not_found` when it is gone); without, a `SocketPerson` for a
    verb that reads the person itself (message:send reads them with the room, in one query).
    """
    identity = registry.get(sid)
    if identity is not None and precheck is not None:
        precheck(identity.user_id, payload)  # cheap refusals before touching the database
    if identity is not None and not load:
        return SocketPerson(identity.user_id)
    user = db.session.get(User, identity.user_id) if identity is not None else None
    if user is None:
        raise LiveError("not_found")
    return user


def room_event(
    name: str, schema, precheck: Callable | None = None, load=True, hot=False
) -> Callable:
    """Register `fn(user, payload, sid) -> dict | None` as the handler of event `name`.

    `hot`: dispatched without Flask's per-event request context (see
    `socket_guard.without_request_context`); `fn` must then not read `request` or the session.
    """

    def decorate(fn: Callable) -> Callable:
        def run(sid: str, *args):
            try:
                payload = schema.parse(args[0] if args else None)
                result = fn(_person(sid, precheck, payload, load), payload, sid)
                return {"ok": True, **(result or {})}
            except LiveError as refusal:
                db.session.rollback()
                return error_ack(refusal.code, refusal.message)
            except Exception as exc:
                db.session.rollback()
                log.error("room event %s failed: %s", name, type(exc).__name__)
                return error_ack("server_error")

        @functools.wraps(fn)
        def handler(*args):
            return run(request.sid, *args)

        (HOT_HANDLERS if hot else HANDLERS)[name] = run if hot else handler
        return handler

    return decorate


HANDLERS: dict[str, Callable] = {}  # through Flask-SocketIO: handler(*args), request context
HOT_HANDLERS: dict[str, Callable] = {}  # straight on the server: run(sid, *args), app context


@room_event("session:join", schemas.SessionRef)
def on_join(user, payload, sid):
    """Enter a session's room."""
    return presence.join_session(user, payload.session_id, sid)


@room_event("session:leave", schemas.SessionRef)
def on_leave(user, payload, sid):
    """Leave a session's room."""
    presence.leave_session(user, payload.session_id, sid)


@room_event("message:send", schemas.SendMessage, services.refuse_if_flooding, load=False, hot=True)
def on_send(user, payload, sid):
    """Say something to the room."""
    message = services.post_message(
        user, payload.session_id, payload.body, payload.client_id, payload.content_warning
    )
    return {"message": message}


@room_event("messages:since", schemas.MessagesSince)
def on_since(user, payload, sid):
    """Catch up after a reconnect."""
    return services.messages_since(user, payload.session_id, payload.after_id)


@room_event("message:react", schemas.React)
def on_react(user, payload, sid):
    """Toggle a gentle reaction."""
    return services.react(user, payload.message_id, payload.kind)


@room_event("message:report", schemas.ReportMessage)
def on_report(user, payload, sid):
    """Quietly tell the facilitators about a message."""
    services.report(user, payload.message_id, payload.reason)


@room_event("typing", schemas.Typing)
def on_typing(user, payload, sid):
    """Someone started or stopped typing."""
    presence.set_typing(user, payload.session_id, payload.typing, sid)


@room_event("hand:raise", schemas.SessionRef)
def on_hand_raise(user, payload, sid):
    """Ask to share next."""
    return {"hands": presence.raise_hand(user, payload.session_id)}


@room_event("hand:lower", schemas.SessionRef)
def on_hand_lower(user, payload, sid):
    """No longer waiting to share."""
    return {"hands": presence.lower_hand(user, payload.session_id)}


@room_event("preferences:set", schemas.SetPreferences)
def on_preferences(user, payload, sid):
    """Change one's own room preferences (e.g. stop sharing typing)."""
    return {"preferences": presence.set_preferences(user, payload.changes)}


def register(app: Flask) -> None:
    """Attach every room handler to the current Socket.IO server; pick the room-state backend."""
    from app import green
    from app.core.sockets import BlockingRedisManager, queue_channel

    redis_url = app.config.get("REDIS_URL")
    rooms.configure(redis_url, queue_channel(app))
    presence.configure(app)
    services.send_limiter.clear()
    services.resent_messages.clear()
    for name, handler in HANDLERS.items():
        socketio.on_event(name, handler)
    for name, run in HOT_HANDLERS.items():
        socketio.server.on(name, without_request_context(run), namespace="/")
    manager = getattr(socketio.server, "manager", None)
    if isinstance(manager, BlockingRedisManager):
        manager.on_recovered = [*manager.on_recovered, presence.resync_local]
    if redis_url and green.PATCHED_MODE is not None:
        socketio.start_background_task(rooms.heartbeat_forever)
