"""Test servers forked from one pre-imported process (tests/support/server_fork.py) are each the
`holdspace serve` their own environment describes, and are followed to their end."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from pathlib import Path

import pytest
import requests

from tests.support import server_fork
from tests.support.live_room import PASSWORD
from tests.support.live_server import LiveServer


def test_forked_servers_take_their_own_environment_and_are_followed_to_the_end(tmp_path):
    if not server_fork.enabled():
        pytest.skip("HOLDSPACE_TEST_FORK=0: every server is a fresh process")
    ping = LiveServer(tmp_path / "a", extra_env={"HOLDSPACE_SOCKET_PING": "2,3"}).start()
    plain = LiveServer(tmp_path / "b").start()
    try:
        assert isinstance(ping.process, server_fork.ForkedProcess)
        assert ping.process.pid != plain.process.pid
        # The Engine.IO handshake reports the ping settings each server read from its own env.
        opened = [_handshake(server) for server in (ping, plain)]
        assert opened[0]["pingInterval"] == 2000 and opened[0]["pingTimeout"] == 3000
        assert opened[1]["pingInterval"] == 20000
        assert "Holdspace serving on" in ping.log()  # its output went to its own log

        ping.stop(kill=True)
        assert ping.process.poll() is not None, "a killed server is seen as gone"
        assert requests.get(f"{plain.url}/healthz", timeout=5).status_code == 200
        plain.stop()
        assert plain.process.poll() is not None, "SIGTERM ended it"
    finally:
        ping.stop()
        plain.stop()


def _handshake(server: LiveServer) -> dict:
    """Engine.IO's open packet over polling, as a logged-in browser would start it."""
    http = server.register(f"fork{server.port}", PASSWORD)
    answer = http.get(
        f"{server.url}/socket.io/?EIO=4&transport=polling",
        headers={"Origin": server.url},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return json.loads(answer.text[answer.text.index("{") :])


def test_a_stalled_sibling_costs_an_idle_server_nothing(tmp_path):
    """Each child has its own event loop: sharing the fork server's epoll, an idle server spun
    (1.3 s of CPU in 2 s) while a sibling left a connection waiting on its listener."""
    if not server_fork.enabled():
        pytest.skip("HOLDSPACE_TEST_FORK=0: every server is a fresh process")
    stalled = LiveServer(tmp_path / "stalled").start()
    idle = LiveServer(tmp_path / "idle").start()
    try:
        time.sleep(0.5)  # past any work of its own start
        os.kill(stalled.process.pid, signal.SIGSTOP)
        with socket.create_connection(("127.0.0.1", stalled.port)):
            before = _cpu_seconds(idle.process.pid)
            time.sleep(2)
            spent = _cpu_seconds(idle.process.pid) - before
        os.kill(stalled.process.pid, signal.SIGCONT)
        assert spent < 0.3, f"an idle server used {spent:.2f} s of CPU in 2 s"
    finally:
        os.kill(stalled.process.pid, signal.SIGCONT)
        stalled.stop()
        idle.stop()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
