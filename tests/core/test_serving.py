"""The green server's listener and the socket-event session shortcut."""

from __future__ import annotations

import socket

from flask import Flask

from app.core import serving
from app.core.sockets import SocketEventSessionInterface


def test_the_listener_turns_nagle_off_and_queues_a_crowd():
    sock = serving.listen(socket, "127.0.0.1", 0)
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        client = socket.create_connection(sock.getsockname())
        accepted, _ = sock.accept()
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1, "inherited"
        accepted.close()
        client.close()
    finally:
        sock.close()
    assert serving.LISTEN_BACKLOG >= 1024 and serving.MAX_CONNECTIONS >= 10_000


def _cookie_session(app: Flask, environ_extra: dict):
    app.session_interface = SocketEventSessionInterface()
    with app.test_request_context("/", environ_overrides=environ_extra) as ctx:
        return type(ctx.session).__name__


def test_socket_events_after_connect_skip_the_cookie_decode():
    app = Flask(__name__)
    app.secret_key = "test"
    assert _cookie_session(app, {}) == "SecureCookieSession"
    assert _cookie_session(app, {"saved_session": object()}) == "NullSession"


def test_serving_sets_start_up_objects_aside_from_full_collections():
    """What exists before serving is frozen, so a full collection no longer walks it."""
    import gc

    try:
        serving.settle_garbage_collector()
        assert gc.get_freeze_count() > 10_000, "imports and the app are in the permanent generation"
        assert gc.isenabled(), "collections of what is built later still run"
    finally:
        gc.unfreeze()
