"""deploy/watchdog.py around a stand-in app: restarts on exit and on silence, passes SIGTERM on."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.deploy.topology import WATCHDOG
from tests.support.live_server import free_port

# Answers every GET with 200 once it listens; `sys.argv[2]` seconds of sleep before that.
STAND_IN = """
import http.server, sys, time
time.sleep(float(sys.argv[2]))
class Quiet(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"alive")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Quiet).serve_forever()
"""
QUICK = ("--interval", "0.2", "--timeout", "0.5", "--failures", "2")


class Watched:
    """A watchdog (with quick checks) around the stand-in app, its output in a file."""

    def __init__(self, tmp_path: Path, delay: float = 0.0, *options: str):
        self.port = free_port()
        script = tmp_path / "stand_in.py"
        script.write_text(STAND_IN)
        self.output = tmp_path / "watchdog.log"
        with self.output.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    str(WATCHDOG),
                    "--url",
                    f"http://127.0.0.1:{self.port}/livez",
                    *(options or QUICK),
                    "--",
                    sys.executable,
                    str(script),
                    str(self.port),
                    str(delay),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def app_pid(self) -> int | None:
        """The stand-in's pid (the watchdog's only child), if one runs."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return int(children[0]) if children else None

    def wait_for_app(self, other_than: int | None = None, timeout: float = 15) -> int:
        """A running stand-in's pid (a new one when `other_than` is given)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid = self.app_pid()
            if pid is not None and pid != other_than:
                return pid
            time.sleep(0.05)
        raise AssertionError(f"no app started:\n{self.log()}")

    def log(self) -> str:
        """What the watchdog printed."""
        return self.output.read_text()

    def stop(self) -> int:
        """SIGTERM the watchdog; its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(15)


@pytest.fixture
def watched(tmp_path):
    """Factory for watched stand-ins, stopped after the test."""
    made: list[Watched] = []

    def factory(*args) -> Watched:
        made.append(Watched(tmp_path, *args))
        return made[-1]

    yield factory
    for item in made:
        with contextlib.suppress(OSError, FileNotFoundError):
            os.kill(item.app_pid(), signal.SIGCONT)  # in case a test left it frozen
        item.stop()


def test_an_app_that_exits_is_started_again(watched):
    dog = watched()
    first = dog.wait_for_app()
    os.kill(first, signal.SIGKILL)
    second = dog.wait_for_app(other_than=first)
    assert second != first
    assert "the app exited by itself (exit code -9)" in dog.log()


def test_a_frozen_app_is_killed_and_started_again(watched):
    dog = watched()
    first = dog.wait_for_app()
    time.sleep(1)  # answered at least once: from now on silence counts
    os.kill(first, signal.SIGSTOP)
    dog.wait_for_app(other_than=first)
    assert "missed 2 checks" in dog.log()
    assert not Path(f"/proc/{first}").exists()  # killed (and reaped), not left frozen


def test_a_starting_app_has_its_start_period(watched):
    dog = watched(1.5, *QUICK, "--start-period", "10")
    first = dog.wait_for_app()
    time.sleep(3)  # silent for 1.5 s while "starting", then answering
    assert dog.app_pid() == first
    assert "missed" not in dog.log()


def test_sigterm_is_passed_on_and_the_app_exit_code_returned(watched):
    dog = watched()
    app = dog.wait_for_app()
    assert dog.stop() == 128 + signal.SIGTERM  # the shell's way of saying "ended by SIGTERM"
    assert not Path(f"/proc/{app}").exists()
    assert "SIGTERM: stopping the app" in dog.log()
