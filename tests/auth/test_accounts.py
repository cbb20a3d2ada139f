"""Registration, login, logout and password change through the real forms."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import LoginSession, User


def test_register_logs_in_and_stores_an_argon2id_hash(app, client, auth, db):
    response = auth.register("sky_walker", display_name="Sky")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "sky_walker"))
    assert user.password_hash.startswith("$argon2id$")
    assert user.display_name == "Sky"
    assert user.consented_at is not None
    assert "Hello, Sky." in client.get("/").get_data(as_text=True)


def test_register_without_consent_creates_nothing(app, client, auth, db):
    response = auth.register("noconsent", accept_terms="")
    assert response.status_code == 400
    assert "accept how your data is kept" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_usernames_are_unique_case_insensitively(client, auth, make_user):
    make_user("River")
    response = auth.register("rIVER")
    assert response.status_code == 400
    assert "That username is taken" in response.get_data(as_text=True)


def test_wrong_password_and_unknown_user_look_identical(client, auth, make_user):
    make_user("wren")
    wrong = auth.login("wren", "not the password at all")
    unknown = auth.login("nobody_here", "not the password at all")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.get_data() == unknown.get_data().replace(b"nobody_here", b"wren")


def _logins_of(app, db, user):
    with app.app_context():
        query = select(LoginSession).where(LoginSession.user_id == user.id)
        return [(row.id, row.token_hash, row.revoked_at) for row in db.session.scalars(query)]


def test_login_creates_a_server_side_session_and_logout_revokes_it(
    app, client, auth, make_user, db
):
    user = make_user("harbor")
    assert auth.login("harbor").status_code == 302
    [(_, _, revoked_at)] = _logins_of(app, db, user)
    assert revoked_at is None
    assert auth.logout().status_code == 302
    [(_, _, revoked_at)] = _logins_of(app, db, user)
    assert revoked_at is not None


def test_a_copied_cookie_is_dead_after_logout(app, client, auth, make_user):
    make_user("copycat")
    auth.login("copycat")
    cookie = client.get_cookie("holdspace_session").value
    thief = app.test_client()
    thief.set_cookie("holdspace_session", cookie)
    assert thief.get("/auth/password").status_code == 200
    auth.logout()
    response = thief.get("/auth/password")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_cookie_token_is_not_the_user_id_and_is_stored_hashed(app, client, auth, make_user, db):
    from app.auth.services import hash_token

    user = make_user("hashy")
    auth.login("hashy")
    [(_, token_hash, _)] = _logins_of(app, db, user)
    with client.session_transaction() as session:
        token = session["_user_id"]
    assert token != str(user.id)
    assert token != token_hash
    assert token_hash == hash_token(token)


def test_change_password_ends_every_other_login(app, make_user, logged_in_client, db):
    user = make_user("changer")
    phone = logged_in_client(user)
    laptop = logged_in_client(user)
    response = laptop.post(
        "/auth/password",
        data={
            "current_password": "correct horse battery",
            "new_password": "a brand new passphrase",
            "new_password_confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/auth/password").status_code == 200
    assert phone.get("/auth/password").status_code == 302
    fresh = app.test_client()
    assert (
        fresh.post(
            "/auth/login", data={"username": "changer", "password": "a brand new passphrase"}
        ).status_code
        == 302
    )


def test_change_password_with_wrong_current_password_changes_nothing(
    app, db, make_user, logged_in_client
):
    user = make_user("careful")
    client = logged_in_client(user)
    response = client.post(
        "/auth/password",
        data={
            "current_password": "wrong wrong wrong",
            "new_password": "a brand new passphrase",
            "new_password_confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 400
    assert "not your current password" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).password_hash == user.password_hash


def test_login_redirects_only_to_local_next_urls(client, make_user):
    make_user("nexter")
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"username": "nexter", "password": "correct horse battery"},
    )
    assert response.headers["Location"] == "/"


def test_idle_login_expires(app, client, auth, make_user, db):
    from datetime import timedelta

    from app.core.database import utcnow

    user = make_user("sleepy")
    auth.login("sleepy")
    [(login_id, _, _)] = _logins_of(app, db, user)
    with app.app_context():
        login = db.session.get(LoginSession, login_id)
        login.last_seen_at = utcnow() - app.config["LOGIN_IDLE_TIMEOUT"] - timedelta(minutes=1)
        db.session.commit()
    assert client.get("/auth/password").status_code == 302
    [(_, _, revoked_at)] = _logins_of(app, db, user)
    assert revoked_at is not None
