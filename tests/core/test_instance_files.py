"""The instance folder, the SQLite files and the development key are the owner's alone."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from app import create_app
from app.config import ConfigError
from app.extensions import db


@pytest.fixture
def open_umask():
    """The common default umask (022), under which files would otherwise be world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    """Permission bits of a path."""
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_fresh_development_app_keeps_its_files_private(monkeypatch, tmp_path, open_umask):
    instance = tmp_path / "instance"
    monkeypatch.setenv("HOLDSPACE_INSTANCE", str(instance))
    for name in ("SECRET_KEY", "DATABASE_URL", "HOLDSPACE_ENV"):
        monkeypatch.delenv(name, raising=False)
    application = create_app()
    with application.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE probe (id INTEGER PRIMARY KEY)"))
            connection.execute(text("INSERT INTO probe (id) VALUES (1)"))
        connection = db.engine.connect()  # keeps the WAL and the shared-memory file in place
        try:
            database = instance / "holdspace.db"
            assert mode(instance) == 0o700
            assert mode(instance / "secret_key") == 0o600
            assert mode(database) == 0o600
            assert mode(f"{database}-wal") == 0o600
            assert mode(f"{database}-shm") == 0o600
        finally:
            connection.close()
            db.engine.dispose()


def test_an_existing_world_readable_database_is_tightened(monkeypatch, tmp_path, open_umask):
    database = tmp_path / "old.db"
    database.write_bytes(b"")
    database.chmod(0o644)
    application = create_app(
        {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    )
    with application.app_context():
        db.engine.dispose()
    assert mode(database) == 0o600


def test_production_refuses_a_short_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("HOLDSPACE_ENV", "production")
    monkeypatch.setenv("PUBLIC_URL", "https://holdspace.test")
    monkeypatch.setenv("SECRET_KEY", "x" * 31)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    with pytest.raises(ConfigError, match="at least 32 bytes") as refusal:
        create_app()
    assert "secrets.token_urlsafe(48)" in str(refusal.value)
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    assert create_app().config["SECRET_KEY"] == "x" * 32
