"""The data key's life: registration, login, unlock, password change, recovery, logout, shred."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

from app.journal import crypto, keys, rotation
from app.journal.models import JournalEntry, JournalKey, JournalRetiringKey, JournalSessionKey
from tests.conftest import DEFAULT_PASSWORD, AuthActions
from tests.journal.conftest import write_entry

CODE_IN_PAGE = re.compile(r'id="recovery-code"[^>]*>([A-Z2-7-]+)<')
NEW_PASSWORD = "a brand new passphrase"


def _register_and_read_code(client) -> str:
    """Register through the form and read the recovery code shown once."""
    response = AuthActions(client).register("brook")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/journal/recovery-code")
    match = CODE_IN_PAGE.search(client.get("/journal/recovery-code").get_data(as_text=True))
    assert match, "no recovery code shown after registration"
    return match.group(1)


def _recover(client, code, username="brook", password=NEW_PASSWORD):
    data = {
        "username": username,
        "recovery_code": code,
        "new_password": password,
        "new_password_confirm": password,
    }
    return client.post("/auth/recover", data=data)


def test_registration_shows_the_recovery_code_once_with_a_download(app, db, client):
    code = _register_and_read_code(client)
    assert len(code.replace("-", "")) * 5 >= 128  # at least 128 random bits
    download = client.get("/journal/recovery-code/download")
    assert download.mimetype == "text/plain"
    assert "attachment" in download.headers["Content-Disposition"]
    assert code in download.get_data(as_text=True)
    assert client.post("/journal/recovery-code/saved").status_code == 302
    again = client.get("/journal/recovery-code").get_data(as_text=True)
    assert code not in again and "Make a new recovery code" in again
    assert client.get("/journal/recovery-code/download").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(JournalSessionKey)).sealed_recovery_code is None


def test_recovery_code_resets_the_password_and_keeps_entries(app, client):
    code = _register_and_read_code(client)
    entry_id = write_entry(client, body="kept through recovery")
    AuthActions(client).logout()

    page = _recover(client, code.lower().replace("-", " "))
    assert page.status_code == 200
    new_code = CODE_IN_PAGE.search(page.get_data(as_text=True)).group(1)
    assert new_code != code

    assert AuthActions(client).login("brook", DEFAULT_PASSWORD).status_code == 400
    assert AuthActions(client).login("brook", NEW_PASSWORD).status_code == 302
    assert "kept through recovery" in client.get(f"/journal/{entry_id}").get_data(as_text=True)
    AuthActions(client).logout()
    assert _recover(client, code, password="yet another passphrase").status_code == 400
    assert _recover(client, new_code, password="yet another passphrase").status_code == 200


def test_recovery_ends_every_login(app, client, db):
    code = _register_and_read_code(client)
    other = app.test_client()
    AuthActions(other).login("brook")
    assert other.get("/journal/").status_code == 200
    AuthActions(client).logout()
    assert _recover(client, code).status_code == 200
    assert other.get("/journal/").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(JournalSessionKey)) is None


@pytest.mark.parametrize(
    "username, code",
    [
        ("brook", "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"),
        ("brook", "not a code"),
        ("brook", ""),
        ("nobody", "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"),
    ],
)
def test_a_wrong_recovery_code_changes_nothing(client, username, code):
    _register_and_read_code(client)
    AuthActions(client).logout()
    response = _recover(client, code, username=username)
    assert response.status_code == 400
    assert AuthActions(client).login("brook", DEFAULT_PASSWORD).status_code == 302


def test_unknown_user_and_wrong_code_look_the_same(client):
    _register_and_read_code(client)
    AuthActions(client).logout()
    client.get("/")  # shows (and so clears) the logged-out message
    wrong = _recover(client, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA").get_data()
    unknown = _recover(client, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", "no_such").get_data()
    assert wrong == unknown.replace(b"no_such", b"brook")


@pytest.fixture
def limited(app_config):
    """Rate limits on, with a small login limit."""
    app_config.update(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")


def test_recovery_attempts_are_rate_limited_like_login(limited, client):
    statuses = [_recover(client, "AAAA-BBBB", username="x").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_password_change_gives_the_journal_a_new_key(app, db, client, auth):
    _register_and_read_code(client)
    entry_id = write_entry(client, body="still mine after a new password")
    with app.app_context():
        before = db.session.scalar(select(JournalEntry)).body
        old_row = db.session.scalar(select(JournalKey))
        old_version, wrapped_before = old_row.key_version, old_row.wrapped_by_password
    response = client.post(
        "/auth/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(JournalEntry))
        (row,) = db.session.scalars(select(JournalKey)).all()  # the old version is gone
        assert row.key_version == old_version + 1 and entry.key_version == row.key_version
        assert entry.body != before and row.wrapped_by_password != wrapped_before
        assert db.session.scalar(select(JournalRetiringKey)) is None
    assert "still mine" in client.get(f"/journal/{entry_id}").get_data(as_text=True)
    auth.logout()
    assert auth.login("brook", NEW_PASSWORD).status_code == 302
    assert "still mine" in client.get(f"/journal/{entry_id}").get_data(as_text=True)


def test_logout_deletes_the_sealed_key_so_a_copied_cookie_opens_nothing(app, db, client, auth):
    from app.journal.sessions import COOKIE_FIELD, vault_for_login

    _register_and_read_code(client)
    write_entry(client)
    with client.session_transaction() as cookie_session:
        cookie_key = cookie_session[COOKIE_FIELD]
    with app.app_context():
        login_id = db.session.scalar(select(JournalSessionKey)).login_id
    auth.logout()
    with app.app_context():
        assert db.session.get(JournalSessionKey, login_id) is None
        from app.auth.models import LoginSession, User

        login = db.session.get(LoginSession, login_id)
        user = db.session.scalar(select(User))
        login.revoked_at = None  # even if someone un-revoked the login in the database
        assert vault_for_login(user, login, cookie_key) is None


def test_another_logins_cookie_key_does_not_open_my_sealed_key(app, db, make_user):
    from app.auth.models import LoginSession, User
    from app.journal.sessions import COOKIE_FIELD, vault_for_login

    make_user("twice")
    first, second = app.test_client(), app.test_client()
    AuthActions(first).login("twice")
    AuthActions(second).login("twice")
    with first.session_transaction() as cookie_session:
        first_key = cookie_session[COOKIE_FIELD]
    with app.app_context():
        user = db.session.scalar(select(User))
        logins = db.session.scalars(select(LoginSession).order_by(LoginSession.id)).all()
        assert vault_for_login(user, logins[0], first_key) is not None
        assert vault_for_login(user, logins[1], first_key) is None


def test_a_login_without_an_unlocked_key_asks_for_the_password(app, db, client, auth, make_user):
    make_user("locked")
    auth.login("locked")
    entry_id = write_entry(client, body="behind the lock")
    with app.app_context():
        db.session.execute(delete(JournalSessionKey))
        db.session.commit()
    response = client.get(f"/journal/{entry_id}")
    assert response.status_code == 302
    assert f"/journal/unlock?next=/journal/{entry_id}" in response.headers["Location"]
    unlock_url = response.headers["Location"]
    assert client.post(unlock_url, data={"password": "wrong password!"}).status_code == 400
    response = client.post(unlock_url, data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/journal/{entry_id}")
    assert "behind the lock" in client.get(f"/journal/{entry_id}").get_data(as_text=True)


def test_an_account_from_before_the_journal_gets_a_key_at_login(app, db, client, auth, make_user):
    make_user("elder")
    with app.app_context():
        db.session.execute(delete(JournalKey))
        db.session.commit()
    auth.login("elder")
    write_entry(client, body="first entry of an older account")
    page = client.get("/journal/recovery-code").get_data(as_text=True)
    assert "You don't have a recovery code yet" in page
    response = client.post("/journal/recovery-code/new", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert CODE_IN_PAGE.search(client.get("/journal/recovery-code").get_data(as_text=True))


def test_outdated_kdf_parameters_are_raised_at_login(app, db, client, auth, make_user):
    user = make_user("slowpoke")
    old = crypto.KdfParams(time_cost=2, memory_cost=2048, parallelism=1)
    with app.app_context():
        row = keys.load_key(user.id)
        data_key = keys.unwrap_with_password(row, DEFAULT_PASSWORD)
        salt = crypto.new_salt()
        row.password_salt, row.password_kdf = salt, old.encode()
        kek = crypto.derive_password_kek(DEFAULT_PASSWORD, salt, old)
        aad = crypto.key_aad(user.id, 1, "password", crypto.KEY_FORMAT)
        row.wrapped_by_password = crypto.seal(kek, data_key, aad)
        db.session.commit()
    auth.login("slowpoke")
    with app.app_context():
        row = keys.load_key(user.id)
        assert row.password_kdf == keys.TEST_KDF.encode()
        assert keys.unwrap_with_password(row, DEFAULT_PASSWORD) == data_key


def test_cli_created_users_get_a_key(app, db, runner):
    result = runner.invoke(args=["users", "create", "clio", "--password", "a cli passphrase"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        row = db.session.scalar(select(JournalKey))
        assert keys.unwrap_with_password(row, "a cli passphrase") is not None
        assert row.wrapped_by_recovery is None


def test_shred_leaves_nothing_that_opens_the_old_ciphertext(app, db, client, auth):
    from app.auth.models import User
    from app.journal.sessions import COOKIE_FIELD, vault_for_login

    code = _register_and_read_code(client)
    entry_id = write_entry(client, body="to be shredded")
    with client.session_transaction() as cookie_session:
        cookie_key = cookie_session[COOKIE_FIELD]
    with app.app_context():
        user = db.session.scalar(select(User))
        stolen = db.session.get(JournalEntry, entry_id).body
        created = db.session.get(JournalEntry, entry_id).created_at
        keys.shred_journal(user)
        assert db.session.scalar(select(JournalKey)) is None
        assert db.session.scalar(select(JournalSessionKey)) is None
        assert db.session.scalar(select(JournalEntry)) is None
        # Neither the cookie key, the password nor the recovery code opens anything now.
        assert vault_for_login(user, user.login_sessions[0], cookie_key) is None
        assert keys.load_key(user.id) is None
        assert rotation.recover_with_code(user, code, NEW_PASSWORD) is None
        # And a brand-new key (made if the person logs in again) does not open the old text.
        _, fresh = keys.create_key(user.id, DEFAULT_PASSWORD)
        vault = crypto.Vault(user.id, 1, fresh)
        with pytest.raises(crypto.DecryptionError):
            vault.open_field(entry_id, "body", stolen, revision=1, created_at=created)


def test_a_locked_journal_sends_new_recovery_code_requests_through_unlock(app, db, client, auth):
    _register_and_read_code(client)
    with app.app_context():
        db.session.execute(delete(JournalSessionKey))
        db.session.commit()
    response = client.post("/journal/recovery-code/new", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/journal/unlock?next=/journal/recovery-code")
