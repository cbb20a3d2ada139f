"""The green server's listener and its garbage-collector setting."""

from __future__ import annotations

import socket

from app.core import serving


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


def test_serving_sets_start_up_objects_aside_from_full_collections():
    """What exists before serving is frozen, so a full collection no longer walks it."""
    import gc

    try:
        serving.settle_garbage_collector()
        assert gc.get_freeze_count() > 10_000, "imports and the app are in the permanent generation"
        assert gc.isenabled(), "collections of what is built later still run"
    finally:
        gc.unfreeze()
