"""The compose topology without Docker: Debian's nginx, rendered from deploy/nginx.conf, in front
of two `holdspace serve --no-migrate` apps under deploy/watchdog.py, on PostgreSQL and Redis."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import redis
import requests
from sqlalchemy import create_engine, text

from app.config import normalise_database_url
from tests.support.live_server import HOLDSPACE_BIN, LiveServer, free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
WATCHDOG = DEPLOY / "watchdog.py"
TLS_SETUP = DEPLOY / "nginx" / "tls-setup.sh"
SERVER_NAME = "holdspace.test"  # a name that is not localhost: browsers hold it to https rules
APP_NAMES = ("app1", "app2")
SHIPPED_APP_PORTS = {"app1": 8001, "app2": 8002}


def nginx_binary() -> str | None:
    """Debian's nginx, also when /usr/sbin is not on PATH."""
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None
    )


def missing() -> str | None:
    """Why the topology cannot be brought up here, or None."""
    if nginx_binary() is None:
        return "nginx is not installed (Debian: apt-get install nginx-light)"
    if shutil.which("openssl") is None:
        return "openssl is not installed (needed for the self-signed certificate)"
    database_url = os.environ.get("TEST_DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql")):
        return "TEST_DATABASE_URL does not name a PostgreSQL server"
    if not os.environ.get("TEST_REDIS_URL"):
        return "TEST_REDIS_URL is not set"
    try:
        engine = create_engine(normalise_database_url(database_url))
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:
        return f"PostgreSQL does not answer at TEST_DATABASE_URL ({type(error).__name__})"
    try:
        redis.Redis.from_url(os.environ["TEST_REDIS_URL"], socket_timeout=2).ping()
    except Exception as error:
        return f"Redis does not answer at TEST_REDIS_URL ({type(error).__name__})"
    return None


def make_certificate(directory: Path, server_name: str = SERVER_NAME) -> tuple[Path, str]:
    """Run deploy/nginx/tls-setup.sh with no certificate given; the link directory and stderr."""
    links = directory / "links"
    result = subprocess.run(
        ["sh", str(TLS_SETUP)],
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOLDSPACE_TLS_LINK_DIR": str(links),
            "HOLDSPACE_TLS_GENERATED_DIR": str(directory / "generated"),
            "HOLDSPACE_SERVER_NAME": server_name,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return links, result.stderr


def static_version(folder: Path) -> str:
    """deploy/nginx/static-version.sh on a static folder."""
    return subprocess.run(
        ["sh", str(DEPLOY / "nginx" / "static-version.sh"), str(folder)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.strip()


@dataclass
class Ports:
    """Where everything listens on loopback."""

    http: int
    https: int
    apps: dict[str, int]


def render_nginx_conf(source: str, ports: Ports, prefix: Path, tls: Path) -> str:
    """deploy/nginx.conf with this machine's ports, addresses and paths.

    Every substitution must match exactly as often as expected, so a change to the shipped file
    that the test would silently stop exercising fails here instead.
    """
    substitutions: list[tuple[str, str, int]] = [
        ("user nginx;\n", "user root;\n" if os.geteuid() == 0 else "", 1),
        ("pid /var/run/nginx.pid;", f"pid {prefix}/nginx.pid;", 1),
        ("/var/log/nginx/", f"{prefix}/logs/", 3),
        ("worker_processes auto;", "worker_processes 2;", 1),
        ("    resolver 127.0.0.11 valid=10s ipv6=off;\n", "", 1),
        (" resolve;", ";", 6),
        ("listen 80 default_server;", f"listen 127.0.0.1:{ports.http} default_server;", 1),
        (
            "listen 443 ssl default_server;",
            f"listen 127.0.0.1:{ports.https} ssl default_server;",
            1,
        ),
        (
            "return 301 https://$host$request_uri;",
            f"return 301 https://$host:{ports.https}$request_uri;",
            1,
        ),
        ("/etc/nginx/tls/", f"{tls}/", 2),
        ("alias /srv/holdspace/errors/;", f"alias {DEPLOY}/nginx/errors/;", 1),
        ("root /srv/holdspace;", f"root {ROOT};", 1),
        ("alias /srv/holdspace/static/", f"alias {ROOT}/static/", 1),
        ("/var/www/acme", f"{prefix}/acme", 1),
        ("@STATIC_VERSION@", static_version(ROOT / "static"), 1),  # as deploy/nginx/Dockerfile
    ]
    for name, shipped in SHIPPED_APP_PORTS.items():
        port = ports.apps[name]
        substitutions += [
            (f"{name}:{shipped}", f"127.0.0.1:{port}", 3),
            (f'"~:{shipped}$"', f'"~:{port}$"', 1),
        ]
    rendered = source
    for old, new, expected in substitutions:
        found = rendered.count(old)
        assert found == expected, f"deploy/nginx.conf: {old!r} found {found} times, not {expected}"
        rendered = rendered.replace(old, new)
    return rendered


class Nginx:
    """nginx as a non-daemon child with its own prefix, temp dirs and logs."""

    def __init__(self, prefix: Path, ports: Ports, tls: Path):
        self.prefix = prefix
        self.ports = ports
        self.tls = tls
        self.process: subprocess.Popen | None = None
        (prefix / "logs").mkdir(parents=True, exist_ok=True)
        (prefix / "acme").mkdir(exist_ok=True)
        self.conf = prefix / "nginx.conf"
        self.conf.write_text(
            render_nginx_conf((DEPLOY / "nginx.conf").read_text(), ports, prefix, tls)
        )
        self.stdout = prefix / "logs" / "stdout.log"

    def command(self, *extra: str) -> list[str]:
        """nginx with this prefix and config."""
        return [
            nginx_binary(),
            "-p",
            f"{self.prefix}/",
            "-c",
            str(self.conf),
            "-e",
            str(self.prefix / "logs" / "startup.log"),
            *extra,
        ]

    def check(self) -> subprocess.CompletedProcess:
        """`nginx -t` on the rendered file."""
        return subprocess.run(
            self.command("-t"), capture_output=True, text=True, timeout=30, check=False
        )

    def start(self) -> Nginx:
        """Start in the foreground (as a child) and wait for the https port."""
        with self.stdout.open("ab") as out:
            self.process = subprocess.Popen(
                self.command("-g", "daemon off;"), stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.read('logs/stdout.log')}")
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.ports.https), timeout=1).close()
                return self
            time.sleep(0.1)
        raise RuntimeError("nginx did not listen")

    def stop(self) -> None:
        """Fast shutdown (SIGTERM), then wait."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def read(self, name: str) -> str:
        """A file under the prefix (logs/access.log, logs/error.log, ...)."""
        path = self.prefix / name
        return path.read_text(errors="replace") if path.exists() else ""

    def logs(self) -> str:
        """Everything nginx wrote: access, error, start-up and its own output."""
        return "\n".join(
            self.read(f"logs/{name}")
            for name in ("access.log", "error.log", "startup.log", "stdout.log")
        )


class WatchedApp(LiveServer):
    """`holdspace serve --no-migrate` under deploy/watchdog.py, as each compose app runs."""

    def __init__(self, name: str, *args, watchdog_args: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        self.watchdog_args = watchdog_args

    def command(self) -> list[str]:
        """The watchdog, then the app's own command line."""
        return [
            sys.executable,
            str(WATCHDOG),
            "--url",
            f"{self.url}/livez",
            *self.watchdog_args,
            "--",
            HOLDSPACE_BIN,
            "serve",
            "--no-migrate",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]

    def app_pid(self) -> int:
        """The pid of the app itself (the watchdog's child)."""
        watchdog = self.process.pid
        children = Path(f"/proc/{watchdog}/task/{watchdog}/children").read_text().split()
        assert len(children) == 1, f"the watchdog has children {children}"
        return int(children[0])

    def signal_app(self, signum: int) -> int:
        """Send a signal to the app (not to its watchdog); returns the app's pid."""
        pid = self.app_pid()
        os.kill(pid, signum)
        return pid

    def wait_for_new_app(self, old_pid: int, timeout: float = 30.0) -> float:
        """When (time.monotonic()) the watchdog's new app process first answered /healthz."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            with contextlib.suppress(OSError, AssertionError, requests.RequestException):
                if (
                    self.app_pid() != old_pid
                    and requests.get(f"{self.url}/healthz", timeout=1).status_code == 200
                ):
                    return time.monotonic()
            time.sleep(0.1)
        raise AssertionError(f"{self.name}: no new app within {timeout} s\n{self.log()[-3000:]}")

    def resume_if_stopped(self) -> None:
        """SIGCONT, in case a test left the app frozen."""
        with contextlib.suppress(OSError, AssertionError):
            os.kill(self.app_pid(), signal.SIGCONT)


def free_ports() -> Ports:
    """Distinct free ports for nginx and each app."""
    taken: set[int] = set()

    def pick() -> int:
        while (port := free_port()) in taken:
            pass
        taken.add(port)
        return port

    return Ports(http=pick(), https=pick(), apps={name: pick() for name in APP_NAMES})
