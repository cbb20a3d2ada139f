"""Socket connect and disconnect: only logged-in people get a socket, tied to their login."""

from __future__ import annotations

import logging

from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError  # the builtin would lose the reason

from app.core.sockets import SocketIdentity, registry
from app.extensions import socketio

log = logging.getLogger(__name__)


def register() -> None:
    """Attach the handlers to the current Socket.IO server (called once per app)."""
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)


def on_connect(auth=None):
    """Refuse anonymous connections; remember which login this socket belongs to."""
    from app.live.rooms import user_room

    if not current_user.is_authenticated or current_user.current_login is None:
        raise ConnectionRefusedError("unauthorized")
    registry.add(
        SocketIdentity(
            sid=request.sid,
            user_id=current_user.id,
            login_id=current_user.current_login.id,
        )
    )
    # A personal room lets the server reach all of one person's sockets on any process.
    socketio.server.enter_room(request.sid, user_room(current_user.id), namespace="/")
    return True


def on_disconnect(reason=None):
    """Forget the socket and take it out of every session room it was in."""
    from app.live.presence import leave_all

    identity = registry.remove(request.sid)
    if identity is None:
        return
    try:
        leave_all(identity.user_id, request.sid)
    except Exception as exc:
        log.error("leaving rooms on disconnect failed: %s", type(exc).__name__)
