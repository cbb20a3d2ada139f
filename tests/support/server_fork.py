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
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

PROJECT = str(Path(__file__).resolve().parents[2])  # where `app` is imported from


class ForkedProcess:
    """What LiveServer needs of a `subprocess.Popen`, for a child of the fork server."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        self._fd = os.pidfd_open(pid)

    def poll(self) -> int | None:
        """None while it runs; once it has exited, 0 (its exit status is the fork server's)."""
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
            with contextlib.suppress(ProcessLookupError):  # as Popen: it may have just gone
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
            cwd=PROJECT,
        )
        atexit.register(self.close)

    def spawn(self, argv: list[str], env: dict[str, str], cwd: str, log: str) -> ForkedProcess:
        """Fork one server child; returns its handle."""
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd, "log": log}) + "\n"
        with self.lock:
            try:
                self.process.stdin.write(request.encode())
                self.process.stdin.flush()
                answer = self.process.stdout.readline()
            except BrokenPipeError:
                answer = b""
        if not answer:
            raise RuntimeError("the test fork server has exited (its output is above)")
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


def forks(command: list[str]) -> bool:
    """Would `command` be forked? Only `holdspace serve` is (not the watchdog, not nginx)."""
    return enabled() and Path(command[0]).name == "holdspace" and command[1:2] == ["serve"]


def start(command: list[str], env: dict[str, str], cwd: str, log: str) -> ForkedProcess:
    """Start `command` (a `holdspace serve ...` line: see `forks`) from the fork server for its
    async mode."""
    mode = env.get("HOLDSPACE_ASYNC_MODE", "eventlet")
    with _SERVERS_LOCK:
        server = _SERVERS.get(mode)
        if server is None or server.process.poll() is not None:
            base = {
                key: value
                for key, value in env.items()
                if key not in SERVER_ONLY and not key.startswith("HOLDSPACE_")
            }
            base["HOLDSPACE_ASYNC_MODE"] = mode
            server = _SERVERS[mode] = ForkServer(base)
    return server.spawn(command[1:], env, cwd, log)


# --- the fork server itself ----------------------------------------------------------------------


def _preload() -> None:
    """Monkey-patch, then import the `app` modules a real start imports, without making an app.

    Which modules those are is asked of a fresh process that runs `create_app()` and the
    `serve` command's own imports (`--probe`): a module only some other command imports (the
    demo, the model build) stays out of the servers, as in a fresh `holdspace serve`.
    """
    import importlib

    with tempfile.TemporaryDirectory() as instance:
        probe = subprocess.run(
            [sys.executable, __file__, "--probe"],
            env={
                **os.environ,
                "HOLDSPACE_ENV": "development",
                "HOLDSPACE_INSTANCE": instance,
                "DATABASE_URL": f"sqlite:///{instance}/probe.db",
                "SECRET_KEY": "fork-server-probe-" + "x" * 40,
            },
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    wanted = [line for line in probe.stdout.split() if line.startswith("app.")]
    if probe.returncode != 0 or not wanted:
        raise RuntimeError(f"the fork server's probe could not make an app:\n{probe.stderr}")
    sys.argv = ["holdspace", "serve"]  # app.green patches only for the real server
    import app
    import app.cli  # noqa: F401  (the command line each child runs)

    for name in wanted:
        importlib.import_module(name)


def _probe() -> None:
    """Make an app as `serve` does (patching first) and print the `app` modules it imported."""
    sys.argv = ["holdspace", "serve"]
    from app import create_app
    from app.core import serving  # noqa: F401  (what `serve` imports besides the app)

    create_app()
    print("\n".join(sorted(name for name in sys.modules if name.startswith("app."))))


def _fresh_event_hub() -> None:
    """In a child: an event loop of its own. eventlet made its hub (an epoll) when it patched;
    forked children would otherwise share that one kernel object, each woken by the others'
    sockets. The inherited epoll stays open but empty: nothing registers in it or polls it.
    gevent's own fork already gives the child a new loop."""
    if os.environ.get("HOLDSPACE_ASYNC_MODE", "eventlet") == "eventlet":
        from eventlet import hubs

        hubs.use_hub()  # drops the inherited hub; the child's own is made on first use


def _child(request: dict, added: dict[str, str]) -> None:
    """In the forked child: become the server the request describes. Never returns."""
    code = 1
    try:
        _fresh_event_hub()
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
    """Read requests until the test process closes our stdin; answer each with a child's pid.

    Exited children stay zombies until this process ends: nobody reaps them early, so a pid
    cannot be reused while a test still follows it (a zombie's pidfd reads as exited).
    """
    before = dict(os.environ)
    _preload()
    added = {key: value for key, value in os.environ.items() if before.get(key) != value}
    requests_in, answers = sys.stdin.buffer, sys.stdout.buffer
    for line in requests_in:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request, added)
        answers.write(f"{pid}\n".encode())
        answers.flush()


if __name__ == "__main__":
    sys.path[0] = PROJECT  # not tests/support
    if sys.argv[1:] == ["--probe"]:
        _probe()
    else:
        _serve_forks()
