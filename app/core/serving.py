"""The green web server behind `holdspace serve`: our own listener, tuned for many small writes.

Flask-SocketIO's `run()` listens with the library defaults. We build the listening socket
ourselves so that:
- TCP_NODELAY is on. Accepted sockets inherit it (Linux), so a small write such as a send's ack,
  right after the sender's own `message:new`, is not held back by Nagle's algorithm until the
  client's delayed ACK.
- the accept backlog is LISTEN_BACKLOG instead of eventlet's 50, so a crowd arriving at once
  (a circle starting, a process restarting) is not refused or retried by the kernel.
- eventlet serves up to MAX_CONNECTIONS at once instead of its default 1,024.
Everything else is the libraries as they ship.
"""

from __future__ import annotations

import gc
import socket

from flask import Flask

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


def serve_eventlet(app: Flask, host: str, port: int) -> None:
    """eventlet's WSGI server on our listener, access log off, and no traceback ever sent to
    a browser (its `debug` default would send one for an error outside Flask's handlers)."""
    import eventlet.wsgi
    from eventlet.green import socket as green_socket

    eventlet.wsgi.server(
        listen(green_socket, host, port),
        app,
        log_output=False,
        max_size=MAX_CONNECTIONS,
        debug=False,
    )


def serve_gevent(app: Flask, host: str, port: int) -> None:
    """gevent's WSGI server with gevent-websocket's handler on our listener, access log off."""
    from gevent import pywsgi
    from gevent import socket as green_socket
    from geventwebsocket.handler import WebSocketHandler

    class OriginCheckingServer(pywsgi.WSGIServer):
        """gevent-websocket calls `pre_start_hook(handler)` before it upgrades a request."""

        def pre_start_hook(self, handler) -> bool:
            """True answers as plain HTTP instead of upgrading: for a foreign origin, the app
            (Engine.IO) then refuses it with a 400, and for one unconnected socket too many
            from an address the socket gate answers 429, as under eventlet, before any socket
            opens."""
            gate = app.extensions.get("holdspace.socket_gate")
            too_many = gate is not None and gate.full(handler.environ)
            return too_many or refuses_origin(app, handler.environ)

    server = OriginCheckingServer(
        listen(green_socket, host, port), app, handler_class=WebSocketHandler, log=None
    )
    server.serve_forever()


def refuses_origin(app: Flask, environ: dict) -> bool:
    """Is this request's Origin one the app would refuse? (No Origin: not a browser; allowed.)"""
    from app.core.sockets import allowed_origins

    origin = environ.get("HTTP_ORIGIN")
    return bool(origin) and origin not in allowed_origins(app, environ)


def settle_garbage_collector() -> None:
    """Keep full garbage collections short: everything built at start-up is set aside for good.

    A full collection walks every tracked object in the process; imports, the app and
    SQLAlchemy's mappers are a few hundred thousand objects that live as long as the process,
    and walking them stalled every socket now and then. `gc.freeze()` moves them to the
    permanent generation, which collections skip.
    """
    gc.collect()
    gc.freeze()


def serve(app: Flask, host: str, port: int, mode: str) -> None:
    """Serve `app` (Flask-SocketIO's middleware included) in the given async mode."""
    app.debug = False
    settle_garbage_collector()
    if mode == "eventlet":
        serve_eventlet(app, host, port)
    elif mode == "gevent":
        serve_gevent(app, host, port)
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
