"""Key rotation: an old backup plus an old secret opens nothing written after the rotation."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.journal import crypto, keys, reseal, rotation, sessions
from app.journal.models import JournalEntry, JournalKey, JournalRetiringKey, JournalSessionKey
from app.journal.services import read_entry
from tests.conftest import DEFAULT_PASSWORD, AuthActions
from tests.journal.conftest import write_entry

CODE_IN_PAGE = re.compile(r'id="recovery-code"[^>]*>([A-Z2-7-]+)<')
NEW_PASSWORD = "a brand new passphrase"


def _backup(app, db) -> dict:
    """A copy of the key and entry tables, as an operator's backup would hold them."""
    with app.app_context():
        return {
            "key": [_columns(row) for row in db.session.scalars(select(JournalKey))],
            "session": [_columns(row) for row in db.session.scalars(select(JournalSessionKey))],
        }


def _columns(row) -> dict:
    """Every column of a row, detached from the session."""
    return {column.name: getattr(row, column.key) for column in row.__table__.columns}


def _entries_now(app, db) -> list[JournalEntry]:
    """The live entry rows, detached (the later copy of the database)."""
    with app.app_context():
        rows = list(db.session.scalars(select(JournalEntry).order_by(JournalEntry.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def _opens_with(vault: crypto.Vault, entry: JournalEntry) -> bool:
    """Whether this vault opens the entry's body."""
    try:
        vault.open_field(
            entry.id,
            "body",
            entry.body,
            entry.key_version,
            revision=entry.revision,
            created_at=entry.created_at,
        )
    except (crypto.DecryptionError, ValueError):
        return False
    return True


def _vault_from_backup_row(row: dict, data_key: bytes) -> crypto.Vault:
    """What an attacker holding the backup's key row and its data key can build."""
    return crypto.Vault(row["user_id"], row["key_version"], data_key, row["entry_format"])


def _change_password(client, old=DEFAULT_PASSWORD, new=NEW_PASSWORD):
    data = {"current_password": old, "new_password": new, "new_password_confirm": new}
    return client.post("/auth/password", data=data)


def _register_with_code(client, username="brook") -> str:
    """Register through the form and read the recovery code shown once."""
    assert AuthActions(client).register(username).status_code == 302
    html = client.get("/journal/recovery-code").get_data(as_text=True)
    return CODE_IN_PAGE.search(html).group(1)


def test_an_old_backup_and_the_old_password_cannot_read_entries_written_after_a_change(
    app, db, client
):
    _register_with_code(client)
    before = write_entry(client, body="written before the change")
    backup = _backup(app, db)
    assert _change_password(client).status_code == 302
    after = write_entry(client, body="written after the change")

    with app.app_context():
        old_row = JournalKey(**backup["key"][0])
        old_key = keys.unwrap_with_password(old_row, DEFAULT_PASSWORD)
        assert old_key is not None  # the backup itself still opens with the old password
        live_row = keys.load_key(old_row.user_id)
        assert keys.unwrap_with_password(live_row, DEFAULT_PASSWORD) is None
    stolen = _vault_from_backup_row(backup["key"][0], old_key)
    rows = {row.id: row for row in _entries_now(app, db)}
    assert not _opens_with(stolen, rows[after])
    assert not _opens_with(stolen, rows[before])  # re-sealed under the new key too


def test_an_old_backup_and_the_old_recovery_code_cannot_read_entries_after_recovery(
    app, db, client
):
    code = _register_with_code(client)
    backup = _backup(app, db)
    AuthActions(client).logout()
    data = {
        "username": "brook",
        "recovery_code": code,
        "new_password": NEW_PASSWORD,
        "new_password_confirm": NEW_PASSWORD,
    }
    new_code = CODE_IN_PAGE.search(client.post("/auth/recover", data=data).get_data(as_text=True))
    assert new_code and new_code.group(1) != code
    AuthActions(client).login("brook", NEW_PASSWORD)
    after = write_entry(client, body="written after recovery")

    with app.app_context():
        old_key = keys.unwrap_with_recovery_code(JournalKey(**backup["key"][0]), code)
        assert old_key is not None
        assert (
            keys.unwrap_with_recovery_code(keys.load_key(backup["key"][0]["user_id"]), code) is None
        )
    rows = {row.id: row for row in _entries_now(app, db)}
    assert not _opens_with(_vault_from_backup_row(backup["key"][0], old_key), rows[after])


def test_replacing_the_recovery_code_leaves_the_old_code_reading_nothing_new(app, db, client):
    code = _register_with_code(client)
    client.post("/journal/recovery-code/saved")
    backup = _backup(app, db)
    response = client.post("/journal/recovery-code/new", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    new_code = CODE_IN_PAGE.search(client.get("/journal/recovery-code").get_data(as_text=True))
    assert new_code and new_code.group(1) != code
    after = write_entry(client, body="written after the new code")
    with app.app_context():
        old_key = keys.unwrap_with_recovery_code(JournalKey(**backup["key"][0]), code)
    rows = {row.id: row for row in _entries_now(app, db)}
    assert not _opens_with(_vault_from_backup_row(backup["key"][0], old_key), rows[after])
    assert "written after the new code" in client.get(f"/journal/{after}").get_data(as_text=True)


def test_a_password_change_keeps_the_recovery_code_working(app, client):
    code = _register_with_code(client)
    client.post("/journal/recovery-code/saved")
    entry_id = write_entry(client, body="still reachable by the code")
    assert _change_password(client).status_code == 302
    with app.app_context():
        user = app.extensions["sqlalchemy"].session.scalar(select(User))
        assert keys.unwrap_with_recovery_code(keys.load_key(user.id), code) is not None
    AuthActions(client).logout()
    data = {
        "username": "brook",
        "recovery_code": code,
        "new_password": "a third quiet passphrase",
        "new_password_confirm": "a third quiet passphrase",
    }
    assert client.post("/auth/recover", data=data).status_code == 200
    AuthActions(client).login("brook", "a third quiet passphrase")
    page = client.get(f"/journal/{entry_id}").get_data(as_text=True)
    assert "still reachable by the code" in page


@pytest.fixture
def slow_rotation(app_config):
    """Every rotation goes to the background, and nothing starts it by itself."""
    app_config.update(JOURNAL_RESEAL_INLINE_LIMIT=0, JOURNAL_RESEAL_IN_BACKGROUND=False)


def test_entries_stay_readable_throughout_a_rotation(slow_rotation, app, db, client):
    _register_with_code(client)
    ids = [write_entry(client, title=f"Day {n}", body=f"words of day {n}") for n in range(5)]
    assert _change_password(client).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        vault = keys.open_vault(user.id, NEW_PASSWORD)
        assert vault.is_rotating and reseal.pending(vault) == 5
    index = client.get("/journal/").get_data(as_text=True)
    assert 'id="journal-rotating"' in index
    while True:
        for number, entry_id in enumerate(ids):
            page = client.get(f"/journal/{entry_id}").get_data(as_text=True)
            assert f"words of day {number}" in page and "could not be opened" not in page
        with app.app_context():
            if not reseal.reseal_batch(vault, limit=2):
                break
    with app.app_context():
        assert reseal.finish_if_done(vault)
        assert db.session.scalar(select(JournalRetiringKey)) is None
        versions = set(db.session.scalars(select(JournalEntry.key_version)))
        assert versions == {vault.key_version}
    assert 'id="journal-rotating"' not in client.get("/journal/").get_data(as_text=True)
    assert "words of day 3" in client.get(f"/journal/{ids[3]}").get_data(as_text=True)


def test_an_edit_during_a_rotation_is_never_overwritten(slow_rotation, app, db, client):
    _register_with_code(client)
    entry_id = write_entry(client, body="first words")
    assert _change_password(client).status_code == 302
    with app.app_context():
        vault = keys.open_vault(db.session.scalar(select(User)).id, NEW_PASSWORD)
        stale = db.session.get(JournalEntry, entry_id)
        db.session.expunge(stale)  # the job read this row just before the edit
    edit = {"title": "", "body": "second thoughts", "mood": ""}
    assert client.post(f"/journal/{entry_id}/edit", data=edit).status_code == 302
    with app.app_context():
        assert reseal.reseal_rows(vault, [stale]) == 0
        reseal.reseal_all(vault)
    assert "second thoughts" in client.get(f"/journal/{entry_id}").get_data(as_text=True)


def test_a_large_journal_is_resealed_in_the_background(app_config, app, db, client):
    app_config.update(JOURNAL_RESEAL_INLINE_LIMIT=2)
    _register_with_code(client)
    ids = [write_entry(client, body=f"entry {n}") for n in range(6)]
    assert _change_password(client).status_code == 302
    with app.app_context():
        newest = keys.load_key(db.session.scalar(select(User)).id).key_version
    for _ in range(300):  # the background task is short; wait for it without timing it
        with app.app_context():
            remaining = db.session.scalar(select(JournalRetiringKey.id))
            db.session.remove()
        if remaining is None:
            break
        time.sleep(0.1)
    with app.app_context():
        versions = set(db.session.scalars(select(JournalEntry.key_version)))
    assert versions == {newest}
    assert all(
        f"entry {n}" in client.get(f"/journal/{entry_id}").get_data(as_text=True)
        for n, entry_id in enumerate(ids)
    )


def test_a_second_rotation_before_the_first_finished_keeps_everything_readable(
    slow_rotation, app, db, client
):
    _register_with_code(client)
    ids = [write_entry(client, body=f"entry {n}") for n in range(3)]
    assert _change_password(client).status_code == 302
    ids.append(write_entry(client, body="entry 3"))
    assert _change_password(client, NEW_PASSWORD, "a third quiet passphrase").status_code == 302
    with app.app_context():
        vault = keys.open_vault(db.session.scalar(select(User)).id, "a third quiet passphrase")
        assert {old.key_version for old in vault.older} == {1, 2}
        views = [read_entry(vault, db.session.get(JournalEntry, i)) for i in ids]
        assert [v.body for v in views] == [f"entry {n}" for n in range(4)]
        reseal.reseal_all(vault)
        assert keys.open_vault(vault.user_id, "a third quiet passphrase").older == ()


def test_someone_got_in_ends_every_login_and_opens_nothing_old(app, db, client):
    code = _register_with_code(client)
    client.post("/journal/recovery-code/saved")
    entry_id = write_entry(client, body="before the scare")
    intruder = app.test_client()
    AuthActions(intruder).login("brook")
    with intruder.session_transaction() as stolen_session:
        stolen_cookie_key = stolen_session[sessions.COOKIE_FIELD]
    intruder_login = _login_id(intruder)
    backup = _backup(app, db)

    data = {
        "current_password": DEFAULT_PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_confirm": NEW_PASSWORD,
    }
    response = client.post("/auth/secure", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/journal/recovery-code")
    new_code = CODE_IN_PAGE.search(client.get("/journal/recovery-code").get_data(as_text=True))
    assert new_code and new_code.group(1) != code
    assert intruder.get("/journal/").status_code == 302  # logged out
    after = write_entry(client, body="after the scare")
    assert "before the scare" in client.get(f"/journal/{entry_id}").get_data(as_text=True)

    with app.app_context():
        user = db.session.scalar(select(User))
        old_row = JournalKey(**backup["key"][0])
        for old_key in (
            keys.unwrap_with_password(old_row, DEFAULT_PASSWORD),
            keys.unwrap_with_recovery_code(old_row, code),
        ):
            assert not _opens_with(_vault_from_backup_row(backup["key"][0], old_key), _row(after))
        # The intruder's copied cookie with the backup's sealed row of their login:
        sealed = next(s for s in backup["session"] if s["login_id"] == intruder_login)
        aad = crypto.session_aad(
            sealed["login_id"], user.id, sealed["key_version"], "data-key", sealed["entry_format"]
        )
        old_key = crypto.open_sealed(
            crypto.decode_cookie_key(stolen_cookie_key), sealed["sealed_key"], aad
        )
        assert not _opens_with(_vault_from_backup_row(backup["key"][0], old_key), _row(after))
        assert keys.unwrap_with_password(keys.load_key(user.id), DEFAULT_PASSWORD) is None


def _row(entry_id: int) -> JournalEntry:
    """One live entry row (inside an app context)."""
    from app.extensions import db

    return db.session.get(JournalEntry, entry_id)


def _login_id(client) -> int:
    """The login id behind a test client's cookie."""
    from app.auth.services import load_login

    with client.session_transaction() as cookie_session:
        token = cookie_session["_user_id"]
    with client.application.app_context():
        return load_login(token, touch=False).current_login.id


def test_someone_got_in_asks_for_the_current_password(app, client):
    _register_with_code(client)
    data = {
        "current_password": "not my password at all",
        "new_password": NEW_PASSWORD,
        "new_password_confirm": NEW_PASSWORD,
    }
    response = client.post("/auth/secure", data=data)
    assert response.status_code == 400
    assert "That is not your current password." in response.get_data(as_text=True)
    assert client.get("/journal/").status_code == 200  # nothing ended


def test_rotation_refuses_a_stale_vault(app, db, make_user):
    user = make_user("stale")
    with app.app_context():
        vault = keys.open_vault(user.id, DEFAULT_PASSWORD)
        rotation.rotate(user.id, vault, NEW_PASSWORD, new_code=False, reason="test")
        db.session.commit()
        with pytest.raises(keys.JournalKeyError):
            rotation.rotate(user.id, vault, NEW_PASSWORD, new_code=False, reason="test")
