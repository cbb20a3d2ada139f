"""Fault, abuse and soak tests: real servers, private Redis/PostgreSQL we may kill at will."""

from __future__ import annotations

import uuid

import pytest

from tests.reliability.clients import FailoverClient
from tests.reliability.services import (
    PrivatePostgres,
    PrivateRedis,
    postgres_missing,
    redis_missing,
)
from tests.support.live_server import migrated_database


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a reliability test."""
    for item in items:
        if "tests/reliability/" in str(item.fspath):
            item.add_marker(pytest.mark.reliability)


@pytest.fixture
def private_redis():
    """A redis-server of this test's own on a free port (never the shared one)."""
    reason = redis_missing()
    if reason:
        pytest.skip(reason)
    server = PrivateRedis().start()
    yield server
    server.stop()


@pytest.fixture
def private_postgres():
    """A PostgreSQL cluster of this test's own on a free port (never the shared one)."""
    reason = postgres_missing()
    if reason:
        pytest.skip(reason)
    cluster = PrivatePostgres().init()
    yield cluster
    cluster.destroy()


@pytest.fixture
def room_clients():
    """Failover room clients, closed after the test."""
    made: list[FailoverClient] = []
    yield made
    for client in made:
        client.close()


@pytest.fixture
def two_servers(live_server_factory, private_redis, tmp_path):
    """Servers A and B on one database and the private Redis, on a channel of their own."""
    url, database = migrated_database(tmp_path / "shared.db")
    env = {"HOLDSPACE_SOCKET_CHANNEL": f"hs-reliability-{uuid.uuid4().hex[:8]}"}
    servers = [
        live_server_factory(database_url=url, redis_url=private_redis.url, extra_env=env)
        for _ in "AB"
    ]
    yield servers
    for server in servers:
        server.stop()
    if database is not None:
        database.drop()
