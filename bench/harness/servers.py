"""Server processes of one run: start pinned, wait for /healthz, stop; fresh databases."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from harness.checkouts import Checkout

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
PYTHON = sys.executable
SECRET_KEY = "bench-secret-key-not-for-production-0123456789"  # noqa: S105 (throwaway servers)


def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pinned(command: list[str], core: int | None) -> list[str]:
    """Prefix `taskset -c core` when pinning is on (taskset execs, so the pid stays the same)."""
    if core is None:
        return command
    return ["taskset", "-c", str(core), *command]


class Server:
    """One server process: started pinned, healthy on /healthz, stopped on exit."""

    def __init__(self, name: str, command: list[str], env: dict, workdir: Path, core: int | None):
        self.name = name
        self.port = free_port()
        self.command = [part.replace("{port}", str(self.port)) for part in command]
        self.env = env
        self.workdir = workdir
        self.core = core
        self.log_path = workdir / f"{name}-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The server's own origin."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """The server's process id (the Python process itself, thanks to taskset's exec)."""
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 60.0) -> Server:
        """Start and wait until /healthz answers 200."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                pinned(self.command, self.core),
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log_tail()}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as answer,  # noqa: S310
            ):
                if answer.status == 200:
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not become healthy:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        """The last lines the server printed."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def bare_server(
    mode: str,
    workdir: Path,
    core: int | None,
    compression: bool = True,
) -> Server:
    """Target (b): the bare python-socketio server in this async mode; without `compression`
    it declines WebSocket permessage-deflate, as Holdspace does."""
    command = [PYTHON, str(BENCH / "bare_server.py"), "--port", "{port}", "--async-mode", mode]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("BENCH_BARE_NO_DEFLATE", None)
    if not compression:
        env["BENCH_BARE_NO_DEFLATE"] = "1"
    name = f"bare-{mode}" if compression else f"bare-plain-{mode}"
    return Server(name, command, env, workdir, core)


def holdspace_env(mode: str, database_url: str, workdir: Path, redis_url: str | None) -> dict:
    """The environment of a benchmarked `holdspace serve` (rate limits off, per the contract)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEST_", "PYTEST", "DATABASE_URL", "REDIS_URL", "HOLDSPACE_"))
    }
    env.update(
        {
            "HOLDSPACE_ENV": "development",
            "HOLDSPACE_INSTANCE": str(workdir / "instance"),
            "HOLDSPACE_ASYNC_MODE": mode,
            "HOLDSPACE_RATE_LIMITS": "off",
            # every simulated member connects from 127.0.0.1: lift the per-address socket cap
            "HOLDSPACE_MAX_SOCKETS_PER_IP": "0",
            "HOLDSPACE_MAX_PENDING_SOCKETS_PER_IP": "0",
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "PYTHONUNBUFFERED": "1",
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def holdspace_server(
    name: str, env: dict, workdir: Path, core: int | None, checkout: Checkout | None = None
) -> Server:
    """Target (a)/(c): `holdspace serve` of this checkout, or of `checkout` with its own Python
    (via its bench/serve_holdspace.py: test-strength key wrap)."""
    checkout = checkout or Checkout.of(None)
    command = [checkout.python, checkout.script("serve_holdspace.py")]
    return Server(name, [*command, "--host", "127.0.0.1", "--port", "{port}"], env, workdir, core)


def setup_holdspace(
    env: dict, workdir: Path, clients: int, room_size: int, checkout: Checkout | None = None
) -> dict:
    """Run the checkout's bench/setup_holdspace.py against the run's database; its JSON."""
    checkout = checkout or Checkout.of(None)
    answer = subprocess.run(
        [
            checkout.python,
            checkout.script("setup_holdspace.py"),
            "--clients",
            str(clients),
            "--room-size",
            str(room_size),
        ],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if answer.returncode != 0:
        raise RuntimeError(f"setup_holdspace failed:\n{answer.stderr[-3000:]}")
    return json.loads(answer.stdout)


class PostgresDatabase:
    """A database of its own on the TEST_DATABASE_URL server, dropped afterwards."""

    def __init__(self, base_url: str):
        from app.config import normalise_database_url

        self.base_url = normalise_database_url(base_url)
        self.name = f"hs_bench_{uuid.uuid4().hex[:12]}"
        self.url = urlunsplit(urlsplit(self.base_url)._replace(path=f"/{self.name}"))

    def _execute(self, statement: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.base_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(statement))
        engine.dispose()

    def create(self) -> str:
        """Create it; returns its URL."""
        self._execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def drop(self) -> None:
        """Drop it, ending any connection still open."""
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class PrivateRedis:
    """A throwaway redis-server on a free port (no persistence), pinned with the servers."""

    def __init__(self, workdir: Path, core: int | None):
        self.port = free_port()
        self.workdir = workdir
        self.core = core
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        """Whether redis-server is installed."""
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        """Its URL."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        """Start and wait until it accepts connections."""
        command = ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        command += ["--bind", "127.0.0.1", "--dir", str(self.workdir)]
        self.process = subprocess.Popen(
            pinned(command, self.core), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return self
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Stop it."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
