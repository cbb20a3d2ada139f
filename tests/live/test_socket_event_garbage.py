"""A socket event leaves no reference cycles behind.

Flask-SocketIO runs every event inside a request context built from the socket's own request
(`/socket.io/`). Had that path no route, Flask would keep a NotFound with its traceback on every
event: a cycle of request, context and frames that only the garbage collector frees. Under load
those cycles outlived the young collections and made full ones frequent, each long enough to
hold up every room (docs/performance.md).
"""

from __future__ import annotations

import gc

import pytest
from flask import request
from werkzeug.exceptions import NotFound

from tests.live.conftest import ack


def test_the_socket_path_has_a_route_so_no_event_carries_a_not_found(app):
    with app.test_request_context("/socket.io/?EIO=4&transport=websocket"):
        assert request.routing_exception is None
        assert request.endpoint == "socket_transport"


def test_the_route_itself_answers_nothing(app):
    # The Socket.IO middleware answers the path first; were Flask ever to see it, a 404.
    with app.test_request_context("/socket.io/"), pytest.raises(NotFound):
        app.view_functions["socket_transport"]()


def test_sends_leave_no_not_found_in_the_garbage(room):
    alice = room.join(room.alice)
    payload = {"session_id": room.session.id, "body": "hello"}
    assert ack(alice, "message:send", {**payload, "client_id": "warm"})["ok"]
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for n in range(10):
            assert ack(alice, "message:send", {**payload, "client_id": f"c{n}"})["ok"]
        gc.collect()
        left = [item for item in gc.garbage if isinstance(item, NotFound)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []
