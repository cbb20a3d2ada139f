"""A unique marker written into the journal appears nowhere: not the database file, a dump, logs."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import DEFAULT_PASSWORD, AuthActions
from tests.journal.conftest import write_entry


@pytest.fixture
def marker() -> str:
    """A string no other test could ever write."""
    return f"snt{uuid.uuid4().hex[:20]}"


def _use_the_journal_fully(app, client, marker: str) -> list[str]:
    """Register, write, edit, search, export and check in with the marker; returns Locations."""
    from app.auth.services import load_login
    from app.journal.checkins import record_checkin
    from app.journal.sessions import COOKIE_FIELD

    locations = []
    AuthActions(client).register("sentinel_person")
    for number in range(3):
        entry_id = write_entry(
            client,
            title=f"{marker} title {number}",
            body=f"My body text {marker} number {number}",
            tags=f"{marker}-tag, calm",
            feelings=["tender"],
        )
    response = client.post(
        f"/journal/{entry_id}/edit",
        data={"title": f"edited {marker}", "body": f"edited body {marker}", "tags": marker},
    )
    locations.append(response.headers.get("Location", ""))
    results = client.post("/journal/search", data={"q": marker})
    assert marker in results.get_data(as_text=True)  # the owner does find it
    assert marker in client.get("/journal/export").get_data(as_text=True)
    assert marker in client.get("/journal/export.md").get_data(as_text=True)
    assert marker in client.get("/journal/insights").get_data(as_text=True)
    # A rotation re-seals every entry: the marker must stay out of the new ciphertext too.
    new_password = "a sentinel rotation passphrase"
    response = client.post(
        "/auth/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": new_password,
            "new_password_confirm": new_password,
        },
    )
    assert response.status_code == 302
    assert marker in client.get(f"/journal/{entry_id}").get_data(as_text=True)
    # A check-in through the service the live room will call, with this login's cookie key.
    with client.session_transaction() as cookie_session:
        cookie_key, token = cookie_session[COOKIE_FIELD], cookie_session["_user_id"]
    with app.app_context():
        user = load_login(token, touch=False)
        record_checkin(user, user.current_login, 1, "arrival", 2, ["heavy"], session_key=cookie_key)
    return locations


def _files_hold(directory: Path, needle: bytes) -> list[str]:
    """Names of files under a directory whose raw bytes contain the needle."""
    return [
        path.name for path in directory.iterdir() if path.is_file() and needle in path.read_bytes()
    ]


def test_marker_is_nowhere_in_the_database_or_the_logs(app, app_config, client, caplog, marker):
    caplog.set_level(logging.DEBUG)
    locations = _use_the_journal_fully(app, client, marker)
    assert all(marker not in location for location in locations)
    assert marker not in caplog.text
    for record in caplog.records:
        assert marker not in str(record.args), record.name

    url = app_config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        with app.app_context():
            from app.extensions import db

            db.session.remove()
            db.engine.dispose()  # let SQLite write everything it holds to the file
        directory = Path(url.split("sqlite:///", 1)[1]).parent
        assert _files_hold(directory, marker.encode()) == []
        assert _files_hold(directory, marker.encode("utf-16-le")) == []
    else:
        dump = _pg_dump(url)
        assert marker not in dump
        assert marker.encode().hex() not in dump  # bytea columns dump as hex


def _pg_dump(url: str) -> str:
    """A plain-text dump of the test database.

    In CI a missing pg_dump fails the test: the dump sentinel must run there, not skip.
    """
    if not shutil.which("pg_dump"):
        if os.environ.get("CI"):
            pytest.fail("pg_dump is not installed; .ci/run installs postgresql-client")
        pytest.skip("pg_dump is not installed")
    parts = urlsplit(url)
    env = {**os.environ, "PGPASSWORD": parts.password or ""}
    command = [
        "pg_dump",
        "--no-owner",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        parts.path.lstrip("/"),
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


@pytest.mark.postgres
def test_marker_is_nowhere_in_a_postgres_dump(app, app_config, client, marker):
    url = app_config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL dump test)")
    _use_the_journal_fully(app, client, marker)
    dump = _pg_dump(url)
    assert "journal_entries" in dump
    assert marker not in dump and marker.encode().hex() not in dump
