"""Target (b): bare python-socketio doing only join + broadcast, served like `holdspace serve`.

Same async mode, same packet limit, ping settings and WSGI server as the product, and the same
event names and payload shapes, so the difference to Holdspace is the app's own work.
usage: python bench/bare_server.py --port P [--async-mode eventlet|gevent]
"""

# isort: off
import os
import sys

MODE = os.environ.get("BENCH_ASYNC_MODE", "eventlet")
if "--async-mode" in sys.argv:
    MODE = sys.argv[sys.argv.index("--async-mode") + 1]
if MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
# isort: on

import argparse  # noqa: E402
import itertools  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

import socketio  # noqa: E402

MAX_PACKET_BYTES = 64 * 1024  # app.config.Config.SOCKET_MAX_PACKET_BYTES
MAX_CONNECTIONS = 10_000  # app.core.serving.MAX_CONNECTIONS
LISTEN_BACKLOG = 1024  # app.core.serving.LISTEN_BACKLOG

sio = socketio.Server(
    async_mode=MODE,
    max_http_buffer_size=MAX_PACKET_BYTES,
    cors_allowed_origins=None,
    logger=False,
    engineio_logger=False,
    ping_interval=20,
    ping_timeout=20,
)
message_ids = itertools.count(1)


def room_name(session_id: int) -> str:
    """The Socket.IO room of one session."""
    return f"session:{session_id}"


def session_id_of(data) -> int | None:
    """The positive integer session id of a payload, or None."""
    if not isinstance(data, dict):
        return None
    value = data.get("session_id")
    return value if isinstance(value, int) and value > 0 else None


@sio.on("session:join")
def on_join(sid, data=None):
    """Enter the session's room."""
    session_id = session_id_of(data)
    if session_id is None:
        return {"ok": False, "error": {"code": "invalid", "message": "session_id"}}
    sio.enter_room(sid, room_name(session_id))
    return {"ok": True}


@sio.on("message:send")
def on_send(sid, data=None):
    """Broadcast `message:new` to the whole room (sender included, as Holdspace does)."""
    session_id = session_id_of(data)
    body = data.get("body") if isinstance(data, dict) else None
    if session_id is None or not isinstance(body, str) or not 1 <= len(body.strip()) <= 2000:
        return {"ok": False, "error": {"code": "invalid", "message": "payload"}}
    message = {
        "id": next(message_ids),
        "session_id": session_id,
        "author": {"id": 0, "display_name": sid[:8]},
        "body": body.strip(),
        "content_warning": None,
        "client_id": str(data.get("client_id", ""))[:64],
        "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "reactions": {},
    }
    sio.emit("message:new", {"message": message}, room=room_name(session_id))
    return {"ok": True, "message": message}


def health(environ, start_response):
    """GET /healthz answers like the product's."""
    if environ.get("PATH_INFO") == "/healthz":
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"status": "ok"}']
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


app = socketio.WSGIApp(sio, health)


def without_compression(wsgi_app):
    """Decline WebSocket permessage-deflate, as Holdspace does (app/core/sockets.py)."""

    def declined(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return declined


# Target (b) is python-socketio as it comes (compression negotiated). BENCH_BARE_NO_DEFLATE=1
# (set by the runner for the like-for-like target `b-plain`) runs it the way Holdspace serves.
if os.environ.get("BENCH_BARE_NO_DEFLATE"):
    app = without_compression(app)


def listener(module, host: str, port: int):
    """A listening socket tuned like app/core/serving.py: TCP_NODELAY, backlog 1024."""
    import socket

    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = module.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(address)
    sock.listen(LISTEN_BACKLOG)
    return sock


def serve(host: str, port: int) -> None:
    """Serve the way `holdspace serve` does for this async mode (app/core/serving.py)."""
    print(f"bare server on http://{host}:{port} ({MODE})", flush=True)
    if MODE == "eventlet":
        import eventlet.wsgi
        from eventlet.green import socket as green_socket

        sock = listener(green_socket, host, port)
        eventlet.wsgi.server(sock, app, log_output=False, max_size=MAX_CONNECTIONS)
    elif MODE == "gevent":
        from gevent import pywsgi
        from gevent import socket as green_socket
        from geventwebsocket.handler import WebSocketHandler

        sock = listener(green_socket, host, port)
        pywsgi.WSGIServer(sock, app, handler_class=WebSocketHandler, log=None).serve_forever()
    else:
        raise SystemExit(f"unsupported async mode {MODE!r}")


def main() -> None:
    """Parse the command line and serve."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5100)
    parser.add_argument("--async-mode", default=MODE, choices=["eventlet", "gevent"])
    args = parser.parse_args()
    serve(args.host, args.port)


if __name__ == "__main__":
    main()
