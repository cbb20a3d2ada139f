"""Socket connect and disconnect, and wiring the room's handlers onto each app's server."""

from __future__ import annotations

import logging

from flask import Flask, current_app, request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError  # the builtin would lose the reason

from app import green
from app.auth import sockets as socket_logins
from app.core.sockets import SocketIdentity, registry, socket_connected
from app.extensions import socketio
from app.live import handlers, rooms, tallies
from app.live.care import events as care_events  # noqa: F401  (registers its handlers)
from app.live.care import noticing
from app.live.facilitation import events as facilitation_events  # noqa: F401
from app.live.messages import events as message_events  # noqa: F401
from app.live.messages import limits
from app.live.messages import services as messages
from app.live.presence import endings
from app.live.presence import events as presence_events  # noqa: F401
from app.live.presence import services as presence
from app.live.shared_rooms import heartbeat_forever

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    """Attach the room to this app's Socket.IO server and pick the room-state backend."""
    from app.core.sockets import queue_channel

    redis_url = app.config.get("REDIS_URL")
    rooms.configure(redis_url, queue_channel(app))
    tallies.configure(redis_url, queue_channel(app))
    presence.configure(app)
    limits.send_limiter.clear()
    limits.resent_messages.clear()
    noticing.recent.clear()
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    handlers.attach()
    noticing.connect_receivers()
    messages.connect_receivers()
    endings.connect_receivers()
    if redis_url and green.PATCHED_MODE is not None:
        socketio.start_background_task(heartbeat_forever, lambda: rooms.state, _recovered)


def _recovered() -> None:
    """Redis answers again after an outage: republish what it forgot, and let sockets catch up."""
    registry.republish()
    presence.resync_local()


def on_connect(auth=None):
    """Refuse anonymous connections and floods; remember which login this socket belongs to."""
    if not current_user.is_authenticated or current_user.current_login is None:
        raise ConnectionRefusedError("unauthorized")
    app = current_app._get_current_object()
    identity = SocketIdentity(
        sid=request.sid,
        user_id=current_user.id,
        login_id=current_user.current_login.id,
        remote_addr=request.remote_addr or "",  # the client's, behind ProxyFix's trusted hops
    )
    if not registry.add(identity, max_per_addr=socket_logins.max_sockets_per_ip(app)):
        log.warning("socket refused: too many connections from one address")
        raise ConnectionRefusedError("too_many_connections")
    socket_logins.ensure_sweeper(app)
    socket_connected(app, request.environ)
    # A personal room lets the server reach all of one person's sockets on any process.
    socketio.server.enter_room(request.sid, rooms.user_room(current_user.id), namespace="/")
    return True


def on_disconnect(reason=None):
    """Forget the socket and take it out of every session room it was in."""
    identity = registry.remove(request.sid)
    if identity is None:
        return
    try:
        presence.leave_all(identity.user_id, request.sid)
    except Exception as exc:
        log.error("leaving rooms on disconnect failed: %s", type(exc).__name__)
