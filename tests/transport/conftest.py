"""Transport tests: a real `holdspace serve` and real Socket.IO clients."""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.live_room import RoomClient
from tests.support.live_server import (
    LiveServer,
    TemporaryPostgresDatabase,
    cookie_header,
    migrated_database,
)
from tests.transport.support import PASSWORD, Attempt, open_socket

REDIS_URL = os.environ.get("TEST_REDIS_URL")


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a transport test."""
    for item in items:
        if "tests/transport/" in str(item.fspath):
            item.add_marker(pytest.mark.transport)


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    """One real server for a module's read-only handshake checks (saves a start per test)."""
    workdir = tmp_path_factory.mktemp("shared-server")
    database_url, temporary = migrated_database(workdir / "live.db")
    server = LiveServer(workdir, database_url=database_url)
    try:
        yield server.start()
    finally:
        server.stop()
        if temporary is not None:
            temporary.drop()


@pytest.fixture(scope="module")
def shared_cookie(shared_server) -> str:
    """The Cookie header of one logged-in person on the shared server."""
    http = shared_server.register(f"p{uuid.uuid4().hex[:10]}", PASSWORD)
    return cookie_header(http)


@pytest.fixture
def sockets():
    """Factory: open_socket(...) whose clients are all closed after the test."""
    opened: list[Attempt] = []

    def factory(url: str, **kwargs) -> Attempt:
        attempt = open_socket(url, **kwargs)
        opened.append(attempt)
        return attempt

    yield factory
    for attempt in opened:
        attempt.close()


@pytest.fixture
def server_pair(live_server_factory, tmp_path):
    """Factory: server_pair(extra_env) -> [A, B] on one database and a Redis channel of their own.

    Skips without TEST_REDIS_URL; with TEST_DATABASE_URL the shared database is a new
    PostgreSQL one, dropped afterwards.
    """
    if not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    made: list[LiveServer] = []
    databases: list[TemporaryPostgresDatabase] = []

    def factory(extra_env: dict[str, str] | None = None) -> list[LiveServer]:
        url, temporary = migrated_database(tmp_path / f"shared{len(made)}.db")
        if temporary is not None:
            databases.append(temporary)
        env = {"HOLDSPACE_SOCKET_CHANNEL": f"hs-test-{uuid.uuid4().hex[:10]}", **(extra_env or {})}
        pair = [
            live_server_factory(database_url=url, redis_url=REDIS_URL, extra_env=env) for _ in "AB"
        ]
        made.extend(pair)
        return pair

    yield factory
    for server in made:
        server.stop()
    for database in databases:
        database.drop()


@pytest.fixture
def clients():
    """Room clients to close after the test (closed side by side: big rooms have hundreds)."""
    made: list[RoomClient] = []
    yield made
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda client: client.close(), made))
