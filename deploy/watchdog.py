"""Keep one Holdspace app alive: start it, ask it /livez every second, and start it again when it
exits or stops answering.

    python deploy/watchdog.py [options] -- holdspace serve --no-migrate --host 0.0.0.0

Docker restarts a container whose main process exits, but not one that is merely unhealthy, and
a frozen app keeps its users' sockets open while answering nothing. So the app runs under this
small supervisor (standard library only): when /livez has not answered `--failures` times in a
row, each within `--timeout` seconds, the app is killed (SIGKILL: a frozen process cannot handle
anything gentler), its sockets close, nginx sends everyone to the other apps, and the app starts
again. /livez never touches the database, so an outage there restarts nothing. SIGTERM and SIGINT
are passed on to the app, and the watchdog exits with the app's exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

LONGEST_DELAY = 30.0  # seconds between restarts of an app that keeps failing
STEADY_AFTER = 60.0  # an app that ran this long starts again at once after its next failure


def say(message: str) -> None:
    """One line on stderr, where the container's log collects it."""
    print(f"watchdog: {message}", file=sys.stderr, flush=True)


def parse(argv: list[str]) -> argparse.Namespace:
    """Options, and the app's command after `--`."""
    port = os.environ.get("HOLDSPACE_PORT", "8000")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{port}/livez")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between checks")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds one check may take")
    parser.add_argument("--failures", type=int, default=2, help="missed checks before a restart")
    parser.add_argument(
        "--start-period", type=float, default=120.0, help="seconds a starting app has to answer"
    )
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    if options.command[:1] == ["--"]:
        options.command = options.command[1:]
    if not options.command:
        parser.error("give the app's command after --")
    return options


def answers(url: str, timeout: float) -> bool:
    """True when the app sends any HTTP answer in time (a 503 is an answer; silence is not)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        connection.request("GET", parts.path or "/")
        connection.getresponse().read()
        return True
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def _die_with_parent() -> None:
    """In the app's process: be killed if the watchdog itself is killed (Linux)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Watchdog:
    """Runs the app, checks it, restarts it; stops it when asked to stop."""

    def __init__(self, options: argparse.Namespace):
        self.options = options
        self.stopping = threading.Event()
        self.stop_signal = signal.SIGTERM
        self.app: subprocess.Popen | None = None

    def stop(self, signum: int, _frame=None) -> None:
        """Pass SIGTERM/SIGINT on to the app and do not start it again."""
        say(f"{signal.Signals(signum).name}: stopping the app")
        self.stop_signal = signum
        self.stopping.set()
        if self.app is not None and self.app.poll() is None:
            self.app.send_signal(signum)

    def start(self) -> subprocess.Popen:
        """Start the app's command."""
        self.app = subprocess.Popen(self.options.command, preexec_fn=_die_with_parent)  # noqa: S603
        say(f"started the app (pid {self.app.pid})")
        return self.app

    def watch(self, app: subprocess.Popen) -> str:
        """Check the app until it exits ("exited") or misses too many checks ("silent")."""
        options = self.options
        began = time.monotonic()
        answered_once = False
        misses = 0
        while not self.stopping.is_set():
            checked = time.monotonic()
            alive = answers(options.url, options.timeout)
            if app.poll() is not None:
                return "exited"
            if alive:
                answered_once, misses = True, 0
            elif answered_once or checked - began > options.start_period:
                misses += 1
                if misses >= options.failures:
                    return "silent"
            self.stopping.wait(max(0.0, options.interval - (time.monotonic() - checked)))
        return "stopping"

    def run(self) -> int:
        """Start, watch and restart the app until stopped; the app's last exit code."""
        delay = 1.0
        while True:
            app = self.start()
            started = time.monotonic()
            outcome = self.watch(app)
            if outcome == "silent":
                say(
                    f"the app (pid {app.pid}) missed {self.options.failures} checks of "
                    f"{self.options.url} in a row ({self.options.timeout:g} s each); killing it"
                )
                app.kill()
            elif outcome == "stopping" and app.poll() is None:
                app.send_signal(self.stop_signal)  # asked to stop while this one was starting
            code = app.wait()
            if self.stopping.is_set():
                say(f"the app stopped (exit code {code})")
                return 128 - code if code < 0 else code  # killed by a signal: 128 + its number
            if outcome == "exited":
                say(f"the app exited by itself (exit code {code})")
            delay = 1.0 if time.monotonic() - started > STEADY_AFTER else delay
            say(f"starting the app again in {delay:g} s")
            if self.stopping.wait(delay):
                return 128 - code if code < 0 else code
            delay = min(delay * 2, LONGEST_DELAY)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    watchdog = Watchdog(parse(sys.argv[1:] if argv is None else argv))
    signal.signal(signal.SIGTERM, watchdog.stop)
    signal.signal(signal.SIGINT, watchdog.stop)
    return watchdog.run()


if __name__ == "__main__":
    sys.exit(main())
