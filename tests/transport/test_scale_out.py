"""Two servers sharing Redis: logging out on one ends the sockets held by the other."""

from __future__ import annotations

import os

import pytest

from tests.support.live_server import cookie_header, migrated_database
from tests.transport.support import (
    DISCONNECT_DEADLINE,
    PASSWORD,
    TRANSPORTS,
    page_status,
    wait_until,
)


@pytest.fixture
def redis_url() -> str:
    """TEST_REDIS_URL, or a skip."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set (two servers need Redis to share sockets)")
    return url


@pytest.fixture
def shared_database_url(tmp_path):
    """One database both servers use: PostgreSQL when configured, else a SQLite file."""
    url, temporary = migrated_database(tmp_path / "shared.db")
    yield url
    if temporary is not None:
        temporary.drop()


def test_logout_on_one_server_disconnects_sockets_on_the_other(
    live_server_factory, redis_url, shared_database_url, sockets
):
    server_a = live_server_factory(database_url=shared_database_url, redis_url=redis_url)
    server_b = live_server_factory(database_url=shared_database_url, redis_url=redis_url)
    http = server_a.register("tide", PASSWORD)
    other_device = server_b.login("tide", PASSWORD)
    on_b = [
        sockets(server_b.url, cookie=cookie_header(http), transport=transport)
        for transport in TRANSPORTS
    ]
    other_on_b = sockets(server_b.url, cookie=cookie_header(other_device))
    on_a = sockets(server_a.url, cookie=cookie_header(http))
    assert all(s.connected for s in [*on_b, other_on_b, on_a]), [s.error for s in on_b]

    server_a.logout(http)
    took = wait_until(
        lambda: not any(s.connected for s in [*on_b, on_a]), timeout=DISCONNECT_DEADLINE
    )
    assert took is not None, "a socket on the other server outlived the login"
    assert other_on_b.connected, "another login of the same person is untouched"
    assert page_status(server_b, "/auth/password", cookie_header(other_device))[0] == 200
