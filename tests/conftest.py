"""Shared fixtures: app, database, clients, an auth helper, factories and socket clients."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.config import normalise_database_url
from app.core.sockets import registry
from app.extensions import db as _db
from app.extensions import socketio

DEFAULT_PASSWORD = "correct horse battery"


def pytest_report_header(config):
    """Say which database and services this run uses."""
    database = os.environ.get("TEST_DATABASE_URL") or "sqlite (temporary file)"
    redis_url = os.environ.get("TEST_REDIS_URL") or "not set (Redis tests skip)"
    return [f"holdspace database: {database}", f"holdspace redis: {redis_url}"]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """TEST_DATABASE_URL when set (CI runs PostgreSQL), else a SQLite file for this run.

    Under pytest-xdist each worker gets a database of its own on the same server.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = normalise_database_url(url)
        worker_id = os.environ.get("PYTEST_XDIST_WORKER", "master")  # also without xdist
        if worker_id != "master":
            url = _worker_database(url, worker_id)
        _reset_postgres_schema(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _worker_database(url: str, worker_id: str) -> str:
    """`<database>_<worker>` on the same server, created when missing."""
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{worker_id}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return urlunsplit(parts._replace(path=f"/{name}"))


def _reset_postgres_schema(url: str) -> None:
    """Start every PostgreSQL run from an empty public schema."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def _schema(database_url) -> Iterator[None]:
    """Create the tables once per run (tests use create_all; migrations are tested apart)."""
    app = create_app(
        {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": None}
    )
    with app.app_context():
        _db.create_all()
        _db.engine.dispose()
    yield
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def app_config(database_url) -> dict:
    """Overrides for the app under test; tests may update it before asking for `app`."""
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    }


class _AppCache:
    """The app of the last test, reused while the next asks for the same configuration.

    Building an app costs far more than a test's own work; the suite reuses one while the
    configuration stays the same (tests are grouped by folder) and Socket.IO still serves it.
    """

    key: str | None = None
    app = None
    server = None
    config: dict = {}


def _reusable(key: str) -> bool:
    return _AppCache.key == key and socketio.server is _AppCache.server


@pytest.fixture
def app(app_config, _schema):
    """An app with empty tables for each test (reused between tests with the same config).

    Like flaskr, the test body runs *outside* an app context: each request and socket event then
    gets its own context (its own `g`, its own database session), exactly as in production.
    Tests that inspect the database open `with app.app_context():` themselves.
    """
    key = repr(sorted(app_config.items(), key=lambda item: item[0]))
    if not _reusable(key):
        _retire_cached_app()
        application = create_app({"ENV_NAME": "test", **app_config})
        _AppCache.key, _AppCache.app, _AppCache.server = key, application, socketio.server
        _AppCache.config = dict(application.config)
    application = _AppCache.app
    _fresh_process_state(application)
    yield application
    with application.app_context():
        _db.session.remove()
        _empty_tables()
    application.config.clear()
    application.config.update(_AppCache.config)
    registry.clear()


def _retire_cached_app() -> None:
    """Close the previous app's connections (PostgreSQL has only so many slots)."""
    if _AppCache.app is not None:
        with _AppCache.app.app_context():
            _db.session.remove()
            _db.engine.dispose()
    _AppCache.key = _AppCache.app = _AppCache.server = None


def _fresh_process_state(application) -> None:
    """What a new app would start with: no sockets, empty rooms, no counted sends or limits."""
    from app.core.sockets import queue_channel
    from app.extensions import limiter
    from app.live import rooms, tallies
    from app.live.care import noticing
    from app.live.messages import limits
    from app.live.presence import services as presence

    registry.clear()
    rooms.configure(application.config.get("REDIS_URL"), queue_channel(application))
    tallies.configure(application.config.get("REDIS_URL"), queue_channel(application))
    noticing.recent.clear()
    presence.configure(application)
    limits.send_limiter.clear()
    limits.resent_messages.clear()
    if application.config.get("RATELIMIT_ENABLED"):
        with application.app_context():
            limiter.reset()


def _empty_tables() -> None:
    """Delete every row, children first."""
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def db(app):
    """The SQLAlchemy handle; use it inside `with app.app_context():`."""
    return _db


def detached(instance):
    """Load every column and detach, so tests can read it outside an app context."""
    _db.session.refresh(instance)
    _db.session.expunge(instance)
    return instance


@pytest.fixture
def client(app):
    """A Flask test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the holdspace commands."""
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Factory: make_user("sky", role="member") -> User, password DEFAULT_PASSWORD."""
    from app.auth import services

    counter = {"n": 0}

    def factory(
        username: str | None = None,
        *,
        role: str = "member",
        display_name=None,
        password: str = DEFAULT_PASSWORD,
    ):
        counter["n"] += 1
        username = username or f"person{counter['n']}"
        with app.app_context():
            user = services.register_user(
                username, display_name or username.title(), password, role
            )
            return detached(user)

    return factory


class AuthActions:
    """Log a test client in and out through the real forms."""

    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str = DEFAULT_PASSWORD):
        """POST the login form."""
        return self._client.post("/auth/login", data={"username": username, "password": password})

    def logout(self):
        """POST the logout form."""
        return self._client.post("/auth/logout")

    def register(self, username: str, password: str = DEFAULT_PASSWORD, display_name=None, **extra):
        """POST the registration form with consent."""
        data = {
            "username": username,
            "display_name": display_name or username.title(),
            "password": password,
            "password_confirm": password,
            "accept_terms": "y",
        }
        data.update(extra)
        return self._client.post("/auth/register", data=data)


@pytest.fixture
def auth(client):
    """Login/logout helper bound to `client`."""
    return AuthActions(client)


@pytest.fixture
def logged_in_client(app):
    """Factory: a new test client logged in as `user` (through the real login form)."""

    def factory(user, password: str = DEFAULT_PASSWORD):
        test_client = app.test_client()
        response = AuthActions(test_client).login(user.username, password)
        assert response.status_code == 302, "test login failed"
        return test_client

    return factory


@pytest.fixture
def socket_client(app, logged_in_client):
    """Factory: a Flask-SocketIO test client connected as `user`."""
    clients = []

    def factory(user, password: str = DEFAULT_PASSWORD, http_client=None):
        http_client = http_client or logged_in_client(user, password)
        sock = socketio.test_client(app, flask_test_client=http_client)
        clients.append(sock)
        return sock

    yield factory
    for sock in clients:
        if sock.is_connected():
            sock.disconnect()


def csrf_token_from(html: str) -> str:
    """Pull the CSRF token out of a rendered form."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no csrf token in page"
    return match.group(1)


@pytest.fixture
def live_server_factory(tmp_path):
    """Factory for real servers; each gets its own migrated database unless one is passed in.

    With TEST_DATABASE_URL set, each server gets a new PostgreSQL database, dropped afterwards.
    """
    from tests.support.live_server import LiveServer, TemporaryPostgresDatabase, migrated_database

    servers: list[LiveServer] = []
    databases: list[TemporaryPostgresDatabase] = []

    def factory(database_url: str | None = None, **kwargs) -> LiveServer:
        workdir = tmp_path / f"server{len(servers)}"
        if database_url is None:
            workdir.mkdir(parents=True, exist_ok=True)
            database_url, temporary = migrated_database(workdir / "live.db")
            if temporary is not None:
                databases.append(temporary)
        server = LiveServer(workdir, database_url=database_url, **kwargs)
        servers.append(server)
        return server.start()

    yield factory
    for server in servers:
        server.stop()
    for database in databases:
        database.drop()


@pytest.fixture
def live_server(live_server_factory):
    """One real server on a free port."""
    return live_server_factory()


def pytest_terminal_summary(terminalreporter):
    """Print what tests recorded with `record_property("summary", text)`: figures the suite
    reports (the detector on its blind sets...), from every xdist worker as from one process."""
    lines = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == "summary"
    ]
    if lines:
        terminalreporter.section("figures")
        for text in lines:
            terminalreporter.write_line(str(text))
