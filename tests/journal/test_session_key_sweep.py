"""Sealed per-login keys do not outlive their logins, even when a login is never revisited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth import sockets as socket_guard
from app.auth.models import LoginSession
from app.core.database import utcnow
from app.journal.models import JournalSessionKey


def _age_login(app, db, login_id: int, **ago: timedelta) -> None:
    with app.app_context():
        login = db.session.get(LoginSession, login_id)
        for column, delta in ago.items():
            setattr(login, column, utcnow() - delta)
        db.session.commit()


def _logins_with_keys(app, db) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(JournalSessionKey.login_id)))


def test_an_expired_logins_key_row_is_gone_after_the_sweep(app, db, make_user, logged_in_client):
    for name in ("fern", "moss", "reed"):
        logged_in_client(make_user(name))
    ids = sorted(_logins_with_keys(app, db))
    assert len(ids) == 3
    idle, absolute, alive = ids
    _age_login(app, db, idle, last_seen_at=timedelta(days=60))
    _age_login(app, db, absolute, created_at=timedelta(days=15), last_seen_at=timedelta(hours=1))

    assert socket_guard.sweep_journal_keys(app) == 2
    assert _logins_with_keys(app, db) == {alive}


def test_a_revoked_logins_key_row_is_swept_too(app, db, make_user, logged_in_client):
    logged_in_client(make_user("fern"))
    (login_id,) = _logins_with_keys(app, db)
    with app.app_context():
        db.session.get(LoginSession, login_id).revoked_at = utcnow()
        db.session.commit()
    assert socket_guard.sweep_journal_keys(app) == 1
    assert _logins_with_keys(app, db) == set()


def test_serve_sweeps_before_it_listens(app, db, make_user, logged_in_client, runner, monkeypatch):
    from app.core import serving

    logged_in_client(make_user("fern"))
    (login_id,) = _logins_with_keys(app, db)
    _age_login(app, db, login_id, last_seen_at=timedelta(days=60))
    served = []
    monkeypatch.setattr(serving, "serve", lambda *args: served.append(args))
    result = runner.invoke(args=["serve", "--no-migrate"])
    assert result.exit_code == 0, result.output
    assert served and _logins_with_keys(app, db) == set()
