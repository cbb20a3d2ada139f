"""The green server's listener and its garbage-collector setting."""

from __future__ import annotations

import os
import socket
from pathlib import Path

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


SERVE_A_FAILING_LAYER = """
import eventlet
eventlet.monkey_patch()
import sys
from flask import Flask
from app.core.serving import serve_eventlet

app = Flask("failing")

def failing_layer(environ, start_response):
    raise RuntimeError("secret detail from inside the server")

app.wsgi_app = failing_layer
serve_eventlet(app, "127.0.0.1", int(sys.argv[1]))
"""


def test_an_error_outside_flask_sends_no_traceback_to_the_browser(tmp_path):
    """eventlet's server answers 500 with the traceback unless told not to."""
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    script = tmp_path / "serve.py"
    script.write_text(SERVE_A_FAILING_LAYER)
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": root}
    server = subprocess.Popen([sys.executable, str(script), str(port)], env=env, cwd=root)
    try:
        status, body = None, ""
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert status == 500, "the server answered the failure"
        assert "Traceback" not in body and "secret detail" not in body
    finally:
        server.kill()
        server.wait()
