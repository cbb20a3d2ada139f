"""The green web server behind `holdspace serve`: our own listener, tuned for many small writes.

Flask-SocketIO's `run()` listens with the library defaults. We build the listening socket
ourselves so that:
- TCP_NODELAY is on. Accepted sockets inherit it (Linux), so a small write such as a send's ack,
  right after the sender's own `message:new`, is not held back by Nagle's algorithm until the
  client's delayed ACK (measured: ack p50 ≈ 40 ms without it under eventlet).
- the accept backlog is LISTEN_BACKLOG instead of eventlet's 50, so a crowd arriving at once
  (a circle starting, a process restarting) is not refused or retried by the kernel.
- eventlet serves up to MAX_CONNECTIONS at once instead of its default 1,024.
- incoming WebSocket frames are unmasked in one XOR, not byte by byte (app/core/websocket_mask.py).
- under eventlet, a room message is written straight to each member's socket instead of through
  Engine.IO's writer greenlet when nothing is ahead of it (app/core/direct_send.py).
- the server enters the app's WSGI stack without a C frame per layer, so every idle WebSocket
  keeps a smaller copy of its stack (app/core/wsgi.py).
"""

from __future__ import annotations

import gc
import socket

from flask import Flask

from app.core import direct_send, websocket_mask
from app.core.wsgi import WSGIApp, served

MAX_CONNECTIONS = 10_000
LISTEN_BACKLOG = 1024


def _tune(sock) -> None:
    """Reuse the address and turn Nagle off (inherited by every accepted socket)."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def listen(module, host: str, port: int):
    """A listening TCP socket made with the green runtime's socket module."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = module.socket(family, kind, proto)
    _tune(sock)
    sock.bind(address)
    sock.listen(LISTEN_BACKLOG)
    return sock


def serve_eventlet(wsgi: WSGIApp, host: str, port: int) -> None:
    """eventlet's WSGI server on our listener, access log off."""
    import eventlet.wsgi
    from eventlet.green import socket as green_socket

    eventlet.wsgi.server(
        listen(green_socket, host, port), wsgi, log_output=False, max_size=MAX_CONNECTIONS
    )


def serve_gevent(wsgi: WSGIApp, host: str, port: int) -> None:
    """gevent's WSGI server with gevent-websocket's handler on our listener, access log off."""
    from gevent import pywsgi
    from gevent import socket as green_socket
    from geventwebsocket.handler import WebSocketHandler

    server = pywsgi.WSGIServer(
        listen(green_socket, host, port), wsgi, handler_class=WebSocketHandler, log=None
    )
    server.pre_start_hook = refuses_origin
    server.serve_forever()


def refuses_origin(handler) -> bool:
    """gevent-websocket's hook: True answers as plain HTTP instead of upgrading first.

    gevent-websocket completes the WebSocket handshake before the app runs, so Engine.IO's
    origin check could only close an already-open socket. For a foreign origin we skip the
    upgrade and Engine.IO answers 400, exactly as under eventlet.
    """
    from app.extensions import socketio

    eio = socketio.server.eio
    origin = handler.environ.get("HTTP_ORIGIN")
    if not origin or eio.cors_allowed_origins == []:
        return False
    allowed = eio._cors_allowed_origins(handler.environ)
    return allowed is not None and origin not in allowed


def settle_garbage_collector() -> None:
    """Keep full garbage collections short: everything built at start-up is set aside for good.

    A full (oldest-generation) collection walks every tracked object in the process. Imports,
    the app, SQLAlchemy's mappers and compiled statements are a few hundred thousand objects
    that live as long as the process, and walking them stalled every socket for 100 to 250 ms
    about every ten seconds under load (fan-out p99 is made of such stalls). `gc.freeze()`
    moves them to the permanent generation, which collections skip; young collections and
    full ones over what the server builds later run as before.
    """
    gc.collect()
    gc.freeze()


def serve(app: Flask, host: str, port: int, mode: str) -> None:
    """Serve `app` (Flask-SocketIO's middleware included) in the given async mode."""
    app.debug = False
    websocket_mask.install(mode)
    direct_send.install(mode)
    settle_garbage_collector()
    if mode == "eventlet":
        serve_eventlet(served(app), host, port)
    elif mode == "gevent":
        serve_gevent(served(app), host, port)
    else:  # threading: development only
        from app.extensions import socketio

        socketio.run(
            app,
            host=host,
            port=port,
            debug=False,
            use_reloader=False,
            log_output=False,
            allow_unsafe_werkzeug=True,
        )
