"""Socket connect and disconnect: only logged-in people get a socket, tied to their login."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError  # the builtin would lose the reason

from app.core.sockets import SocketIdentity, registry
from app.extensions import socketio


def register() -> None:
    """Attach the handlers to the current Socket.IO server (called once per app)."""
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)


def on_connect(auth=None):
    """Refuse anonymous connections; remember which login this socket belongs to."""
    if not current_user.is_authenticated or current_user.current_login is None:
        raise ConnectionRefusedError("unauthorized")
    registry.add(
        SocketIdentity(
            sid=request.sid,
            user_id=current_user.id,
            login_id=current_user.current_login.id,
        )
    )
    return True


def on_disconnect(reason=None):
    """Forget the socket."""
    registry.remove(request.sid)
