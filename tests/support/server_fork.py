"""Start test servers by forking a process that has already imported the app (tests only).

Each `holdspace serve` spent about 3 s of CPU importing eventlet, Flask, SQLAlchemy,
python-socketio, redis, alembic and `app/` before it served a request, and the suite starts about
a hundred. A fork server does those imports once per test process and async mode; for each server
it forks a child that takes the server's environment, working folder and log, then runs the very
`holdspace serve` command line through `app.cli.main`. `create_app`, the migrations and the
listener all run in the child, as in a fresh process. The deploy stage and `make run` start real
processes.

The fork server's children are not the test process's own, so a `ForkedProcess` follows one
through a pidfd (Linux 5.3): signals go through it, and it becomes readable when the child exits.
HOLDSPACE_TEST_FORK=0 turns it off (every server a fresh `subprocess.Popen` again).

Run as a script (`python server_fork.py`) it is the fork server: its stdin takes one JSON request
per line ({"argv", "env", "cwd", "log"}) and its stdout answers each with the child's pid.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import threading

# Modules only `make model` needs (scikit-learn); the server never imports them.
MODEL_BUILD_ONLY = {"app.safety.build", "app.safety.crossval", "app.safety.training"}


class ForkedProcess:
    """What LiveServer needs of a `subprocess.Popen`, for a child of the fork server."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        self._fd = os.pidfd_open(pid)

    def poll(self) -> int | None:
        """None while it runs; once it has exited, 0 (the fork server reaps it, not us)."""
        if self.returncode is None and self._gone(0):
            self._exited()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if not self._gone(None if timeout is None else timeout * 1000):
                raise subprocess.TimeoutExpired(["holdspace", "serve"], timeout)
            self._exited()
        return self.returncode

    def _gone(self, milliseconds: float | None) -> bool:
        """Has the child exited (its pidfd readable) within this many milliseconds?"""
        watch = select.poll()
        watch.register(self._fd, select.POLLIN)
        return bool(watch.poll(milliseconds))

    def send_signal(self, number: int) -> None:
        if self.poll() is None:
            signal.pidfd_send_signal(self._fd, number)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def _exited(self) -> None:
        self.returncode = 0
        os.close(self._fd)


class ForkServer:
    """One fork server process for one async mode, started on first use."""

    def __init__(self, env: dict[str, str]):
        self.lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, __file__],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
        )
        atexit.register(self.close)

    def spawn(self, argv: list[str], env: dict[str, str], cwd: str, log: str) -> ForkedProcess:
        """Fork one server child; returns its handle."""
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd, "log": log}) + "\n"
        with self.lock:
            self.process.stdin.write(request.encode())
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError("the test fork server has exited")
        return ForkedProcess(int(answer))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


SERVER_ONLY = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}  # each child gets its own
_SERVERS: dict[str, ForkServer] = {}
_SERVERS_LOCK = threading.Lock()


def enabled() -> bool:
    """Fork servers are on unless HOLDSPACE_TEST_FORK=0, and need pidfds (Linux)."""
    return os.environ.get("HOLDSPACE_TEST_FORK", "1") != "0" and hasattr(os, "pidfd_open")


def start(command: list[str], env: dict[str, str], cwd: str, log: str) -> ForkedProcess:
    """Start `command` (a `holdspace serve ...` line) from the fork server for its async mode."""
    mode = env.get("HOLDSPACE_ASYNC_MODE", "eventlet")
    with _SERVERS_LOCK:
        server = _SERVERS.get(mode)
        if server is None or server.process.poll() is not None:
            base = {key: value for key, value in env.items() if key not in SERVER_ONLY}
            base = {key: value for key, value in base.items() if not key.startswith("HOLDSPACE_")}
            base["HOLDSPACE_ASYNC_MODE"] = mode
            server = _SERVERS[mode] = ForkServer(base)
    return server.spawn(command[1:], env, cwd, log)


# --- the fork server itself ----------------------------------------------------------------------


def _preload() -> None:
    """Import what `holdspace serve` imports, monkey-patching first, without making an app."""
    import importlib
    import pkgutil

    sys.argv = ["holdspace", "serve"]  # app.green patches only for the real server
    import app
    import app.cli

    for module in pkgutil.walk_packages(app.__path__, "app."):
        if module.name not in MODEL_BUILD_ONLY:
            importlib.import_module(module.name)


def _child(request: dict, added: dict[str, str]) -> None:
    """In the forked child: become the server the request describes. Never returns."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        os.close(devnull)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for key, value in added.items():  # what the app's own start set (app.green, for gevent)
            os.environ.setdefault(key, value)
        sys.argv = ["holdspace", *request["argv"]]
        from app.cli import main

        main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _serve_forks() -> None:
    before = dict(os.environ)
    _preload()
    added = {key: value for key, value in os.environ.items() if before.get(key) != value}
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the children
    requests_in, answers = sys.stdin.buffer, sys.stdout.buffer
    for line in requests_in:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request, added)
        answers.write(f"{pid}\n".encode())
        answers.flush()


if __name__ == "__main__":
    # The project, not tests/support, is where `app` is imported from.
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    _serve_forks()
