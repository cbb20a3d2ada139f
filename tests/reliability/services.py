"""Private Redis and PostgreSQL servers that a fault test may stop and restart at will.

The shared services on 5432/6379 belong to everyone else; a fault test never touches them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support.live_server import free_port

REDIS_SERVER = shutil.which("redis-server")
PG_BIN = Path(os.environ.get("HOLDSPACE_PG_BIN", "/usr/lib/postgresql/15/bin"))


def redis_missing() -> str | None:
    """Why a private Redis cannot run here, or None."""
    return None if REDIS_SERVER else "redis-server is not installed"


def postgres_missing() -> str | None:
    """Why a private PostgreSQL cluster cannot run here, or None."""
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        return f"initdb/pg_ctl not found in {PG_BIN}"
    if os.geteuid() != 0:
        return "a private cluster is run as the postgres user, which needs root"
    if not shutil.which("runuser"):
        return "runuser is not installed"
    return None


def port_open(port: int) -> bool:
    """Does something accept TCP connections on this loopback port?"""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
        return True
    return False


def wait_port(port: int, open_: bool, timeout: float = 20.0) -> None:
    """Wait until the port is (or is no longer) accepting connections."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port) == open_:
            return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not become {'open' if open_ else 'closed'}")


class PrivateRedis:
    """A throwaway redis-server without persistence: a restart forgets everything."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The URL servers are given."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        """Start on the same port as before and wait until it answers."""
        self.process = subprocess.Popen(
            [
                *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_port(self.port, True)
        return self

    def stop(self, kill: bool = True) -> None:
        """Kill (default) or terminate the server and wait until the port is free."""
        if self.process is None or self.process.poll() is not None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        self.process.wait(10)
        wait_port(self.port, False)


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (trust auth) run as the postgres user on a free port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="hs-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "run"
        self.logfile = self.root / "postgres.log"

    @property
    def url(self) -> str:
        """The URL of the database the app uses."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/holdspace"

    def _as_postgres(self, *args: str, timeout: float = 120) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def init(self) -> PrivatePostgres:
        """initdb, start, create the app's database."""
        self.sockets.mkdir(parents=True)
        shutil.chown(self.root, "postgres", "postgres")
        shutil.chown(self.sockets, "postgres", "postgres")
        self._as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"
        )
        self.start()
        self._as_postgres(
            str(PG_BIN / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "holdspace",
        )
        return self

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.logfile),
            "-o",
            options,
            "-w",
            *args,
        )

    def start(self) -> None:
        """Start the cluster and wait until it accepts connections."""
        self._ctl("start")
        wait_port(self.port, True)

    def stop(self) -> None:
        """Stop at once (fast shutdown: open connections are cut)."""
        self._ctl("-m", "fast", "stop")
        wait_port(self.port, False)

    def destroy(self) -> None:
        """Stop (immediately) and delete the cluster."""
        with contextlib.suppress(Exception):
            self._ctl("-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
