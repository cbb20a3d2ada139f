"""Migrations build the schema from zero on SQLite and PostgreSQL, and agree with the models."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db


def _migrate_and_compare(url: str) -> list:
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()
    return differences


def test_sqlite_migrates_from_zero_and_matches_the_models(tmp_path):
    assert _migrate_and_compare(f"sqlite:///{tmp_path / 'm.db'}") == []


@pytest.mark.postgres
def test_postgresql_migrates_from_zero_and_matches_the_models():
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set (CI sets it to a local PostgreSQL)")
    from tests.support.live_server import TemporaryPostgresDatabase

    database = TemporaryPostgresDatabase(os.environ["TEST_DATABASE_URL"])
    try:
        assert _migrate_and_compare(database.create()) == []
    finally:
        database.drop()
