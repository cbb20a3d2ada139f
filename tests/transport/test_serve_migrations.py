"""`holdspace serve` brings an empty database up to the latest migration before serving."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from tests.support.live_server import LiveServer, TemporaryPostgresDatabase
from tests.transport.support import PASSWORD

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@pytest.fixture
def fresh_database_url(tmp_path):
    """An empty database: a new PostgreSQL database when configured, else a new SQLite file."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    temporary = TemporaryPostgresDatabase(base)
    yield temporary.create()
    temporary.drop()


def schema_state(url: str) -> tuple[set[str], str | None]:
    """The tables in the database and its Alembic revision."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            revision = None
            if "alembic_version" in tables:
                query = text("SELECT version_num FROM alembic_version")
                revision = connection.execute(query).scalar()
            return tables, revision
    finally:
        engine.dispose()


def test_serve_applies_pending_migrations_on_a_fresh_database(tmp_path, fresh_database_url):
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert schema_state(fresh_database_url) == (set(), None)

    server = LiveServer(tmp_path / "fresh", database_url=fresh_database_url)
    try:
        server.start()
        assert requests.get(f"{server.url}/healthz", timeout=10).json() == {"status": "ok"}
        tables, revision = schema_state(fresh_database_url)
        assert revision == head
        assert {"users", "login_sessions"} <= tables
        created = server.cli("users", "create", "fern", "--password", PASSWORD)
        assert created.returncode == 0, created.stderr
        server.login("fern", PASSWORD)
    finally:
        server.stop()
