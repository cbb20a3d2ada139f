"""A real `holdspace serve` in a subprocess with its own database (transport, browser tests)."""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
from sqlalchemy import create_engine, text

from app.config import normalise_database_url
from app.core.private_files import create_private_file
from tests.support import server_fork

HOLDSPACE_BIN = str(Path(sys.executable).with_name("holdspace"))
CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TemporaryPostgresDatabase:
    """A database of its own on the TEST_DATABASE_URL server, dropped afterwards."""

    def __init__(self, base_url: str):
        self.base_url = normalise_database_url(base_url)
        self.name = f"hs_live_{uuid.uuid4().hex[:12]}"
        parts = urlsplit(self.base_url)
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))

    def _admin(self):
        return create_engine(self.base_url, isolation_level="AUTOCOMMIT")

    def create(self, template: str | None = None) -> str:
        """Create the database (a copy of the `template` database, if given); return its URL."""
        copy = f' TEMPLATE "{template}"' if template else ""
        engine = self._admin()
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"{copy}'))
        engine.dispose()
        return self.url

    def drop(self) -> None:
        """Drop the database, ending any connection still open to it."""
        engine = self._admin()
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        engine.dispose()


# Databases migrated once per test process, copied for each server that needs a fresh one, so that
# `serve` finds nothing to migrate (0.4 s of CPU per start on SQLite). Migrating from zero has tests
# of its own (test_serve_migrations.py, test_migrations.py), which ask for empty databases.
_MIGRATED: dict[str, str] = {}


def _migrate(database_url: str) -> None:
    """Bring this database to the latest migration with `holdspace db upgrade`."""
    workdir = Path(tempfile.mkdtemp(prefix="hs-migrate-"))
    done = LiveServer(workdir, database_url=database_url).cli("db", "upgrade")
    shutil.rmtree(workdir, ignore_errors=True)
    if done.returncode != 0:
        raise RuntimeError(f"migrating the template database failed:\n{done.stderr}")


def migrated_sqlite(path: Path) -> str:
    """A migrated SQLite database at `path` (a copy of this process's template); its URL."""
    if "sqlite" not in _MIGRATED:
        folder = tempfile.mkdtemp(prefix="hs-template-")
        atexit.register(shutil.rmtree, folder, True)
        template = Path(folder) / "migrated.db"
        _migrate(f"sqlite:///{template}")
        _MIGRATED["sqlite"] = str(template)
    # Made 0600 first, as the app makes its own; the backup API copies what is committed,
    # including anything still in the WAL file.
    create_private_file(path)
    with (
        contextlib.closing(sqlite3.connect(_MIGRATED["sqlite"])) as source,
        contextlib.closing(sqlite3.connect(path)) as target,
    ):
        source.backup(target)
    return f"sqlite:///{path}"


def migrated_postgres(base_url: str) -> TemporaryPostgresDatabase:
    """A new PostgreSQL database made from this process's migrated template (drop it after)."""
    if base_url not in _MIGRATED:
        template = TemporaryPostgresDatabase(base_url)
        url = template.create()
        atexit.register(template.drop)
        _migrate(url)
        _MIGRATED[base_url] = template.name
    database = TemporaryPostgresDatabase(base_url)
    database.create(template=_MIGRATED[base_url])
    return database


def migrated_database(sqlite_path: Path) -> tuple[str, TemporaryPostgresDatabase | None]:
    """A migrated database for one or more servers: a PostgreSQL copy of the template with
    TEST_DATABASE_URL (drop the returned database after), else a SQLite file at `sqlite_path`."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        database = migrated_postgres(base)
        return database.url, database
    return migrated_sqlite(sqlite_path), None


class LiveServer:
    """Start, stop, kill and restart a real server; log people in over HTTP."""

    def __init__(
        self,
        workdir: Path,
        database_url: str | None = None,
        redis_url: str | None = None,
        extra_env: dict[str, str] | None = None,
        port: int | None = None,
    ):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.database_url = database_url or migrated_sqlite(self.workdir / "live.db")
        self.redis_url = redis_url
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | server_fork.ForkedProcess | None = None
        self.log_path = self.workdir / f"server-{self.port}.log"

    @property
    def url(self) -> str:
        """The server's own origin."""
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """The environment the server process gets."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TEST_", "PYTEST", "DATABASE_URL", "REDIS_URL"))
        }
        env.update(
            {
                "HOLDSPACE_ENV": "development",
                "HOLDSPACE_INSTANCE": str(self.workdir / "instance"),
                "DATABASE_URL": self.database_url,
                "SECRET_KEY": "live-server-test-secret-key-0123456789",
                "HOLDSPACE_RATE_LIMITS": "off",
                "HOLDSPACE_LIGHT_HASHING": "1",  # the test servers hash at test strength
                "PYTHONUNBUFFERED": "1",
            }
        )
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        if os.environ.get("HOLDSPACE_TEST_ASYNC_MODE"):  # run the real server under gevent too
            env["HOLDSPACE_ASYNC_MODE"] = os.environ["HOLDSPACE_TEST_ASYNC_MODE"]
        env.update(self.extra_env)
        if env["HOLDSPACE_ENV"] == "production":  # which hashes at full strength, and must
            del env["HOLDSPACE_LIGHT_HASHING"]
        return env

    def command(self) -> list[str]:
        """The server's command line."""
        return [HOLDSPACE_BIN, "serve", "--host", "127.0.0.1", "--port", str(self.port)]

    def start(self, timeout: float = 30.0) -> LiveServer:
        """Start the server and wait until /healthz answers."""
        command = self.command()
        if server_fork.forks(command):
            self.process = server_fork.start(
                command, self.environment(), str(self.workdir), str(self.log_path)
            )
        else:
            with self.log_path.open("ab") as log:
                self.process = subprocess.Popen(
                    command,
                    env=self.environment(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=self.workdir,
                )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not become healthy:\n{self.log()}")

    def stop(self, kill: bool = False) -> None:
        """Stop the server: SIGKILL when `kill`, otherwise SIGTERM then wait."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self) -> LiveServer:
        """Stop (if running) and start again on the same port and database."""
        self.stop()
        return self.start()

    def log(self) -> str:
        """What the server printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _csrf(self, http: requests.Session, path: str) -> str:
        return csrf_token(self.url, http, path)

    def register(self, username: str, password: str, display_name: str | None = None):
        """Register through the real form; returns a requests.Session that is logged in."""
        return register_through_form(self.url, requests.Session(), username, password, display_name)

    def login(self, username: str, password: str) -> requests.Session:
        """Log in through the real form; returns the logged-in requests.Session."""
        http = requests.Session()
        response = http.post(
            f"{self.url}/auth/login",
            data={
                "csrf_token": self._csrf(http, "/auth/login"),
                "username": username,
                "password": password,
            },
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, f"login failed: {response.status_code}"
        return http

    def logout(self, http: requests.Session) -> None:
        """Log out through the real form."""
        response = http.post(
            f"{self.url}/auth/logout",
            data={"csrf_token": self._csrf(http, "/")},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Run a `holdspace` command against this server's database."""
        return subprocess.run(
            [HOLDSPACE_BIN, *args],
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=self.workdir,
        )


def cookie_header(http: requests.Session) -> str:
    """The Cookie header a socket client needs to ride on this HTTP login."""
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in http.cookies)


def csrf_token(url: str, http: requests.Session, path: str) -> str:
    """The CSRF token of the form at `path`, read as a browser would."""
    page = http.get(f"{url}{path}", timeout=10)
    match = CSRF_PATTERN.search(page.text)
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def register_through_form(
    url: str, http: requests.Session, username: str, password: str, display_name=None
) -> requests.Session:
    """Register through the real form with this HTTP session; it comes back logged in."""
    response = http.post(
        f"{url}/auth/register",
        data={
            "csrf_token": csrf_token(url, http, "/auth/register"),
            "username": username,
            "display_name": display_name or username.title(),
            "password": password,
            "password_confirm": password,
            "accept_terms": "y",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, f"registration failed: {response.status_code}"
    return http
