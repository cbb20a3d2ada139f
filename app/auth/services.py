"""Account verbs: register, log in, log out, change password, load a login from its cookie."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.auth import throttle
from app.auth.models import LoginSession, Role, User, username_key
from app.auth.namesakes import NAME_TAKEN_BY_TEAM, team_clash
from app.auth.passwords import burn_equal_time, hash_password, verify_password
from app.auth.usernames import username_problem
from app.core.database import utcnow
from app.core.errors import FieldError
from app.extensions import db
from app.journal import keys as journal_keys
from app.journal import rotation as journal_rotation
from app.journal import sessions as journal_sessions

LAST_SEEN_RESOLUTION = timedelta(minutes=5)


class AccountError(FieldError):
    """A request about an account that cannot be carried out; the message is user-facing."""


@dataclass(frozen=True)
class StartedLogin:
    """A new login session and the raw token that only the cookie will hold."""

    login: LoginSession
    token: str


def hash_token(token: str) -> str:
    """Tokens are stored hashed, so a database copy cannot impersonate anyone."""
    return hashlib.sha256(token.encode()).hexdigest()


def find_user_by_username(username: str) -> User | None:
    """Look a user up case-insensitively."""
    return db.session.scalar(select(User).where(User.username_key == username_key(username)))


def register_user(
    username: str, display_name: str, password: str, role: str = Role.MEMBER.value
) -> User:
    """Create an account; the caller has already checked consent and the password."""
    if role not in {r.value for r in Role}:
        raise AccountError(f"Unknown role {role!r}.", "role")
    problem = username_problem(username.strip())
    if problem:
        raise AccountError(problem, "username")
    if team_clash(display_name.strip()) is not None:
        raise AccountError(NAME_TAKEN_BY_TEAM, "display_name")
    user = User(
        username=username.strip(),
        username_key=username_key(username),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=role,
        consented_at=utcnow(),
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError("That username is taken. Try another one.", "username") from None
    journal_keys.on_register(user, password)
    return user


def authenticate(username: str, password: str, device_token: str | None = None) -> User | None:
    """The user for these credentials, or None; unknown users cost the same time.

    Raises throttle.LoginThrottled, without checking the password, while this account name (or
    this known device of it: `device_token`) must wait after repeated failures.
    """
    throttle.claim_attempt(username, device_token)
    user = find_user_by_username(username)
    if user is None:
        burn_equal_time(password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    throttle.clear(username, device_token)
    return user


def start_login(user: User, user_agent: str = "") -> StartedLogin:
    """Create a server-side login session for this user."""
    token = secrets.token_urlsafe(32)
    login = LoginSession(user=user, token_hash=hash_token(token), user_agent=user_agent[:200])
    db.session.add(login)
    db.session.commit()
    login.cookie_token = token
    user.current_login = login
    return StartedLogin(login=login, token=token)


def login_is_expired(login: LoginSession) -> bool:
    """Idle and absolute timeouts, both from config."""
    now = utcnow()
    config = current_app.config
    return (
        now - login.last_seen_at > config["LOGIN_IDLE_TIMEOUT"]
        or now - login.created_at > config["LOGIN_ABSOLUTE_TIMEOUT"]
    )


def load_login(token: str | None, touch: bool = True) -> User | None:
    """The user behind a cookie token, if that login is still alive."""
    if not token or len(token) > 100:
        return None
    login = db.session.scalar(
        select(LoginSession).where(LoginSession.token_hash == hash_token(token))
    )
    if login is None or login.is_revoked:
        return None
    if login_is_expired(login):
        end_login(login)
        return None
    if touch and utcnow() - login.last_seen_at > LAST_SEEN_RESOLUTION:
        login.last_seen_at = utcnow()
        db.session.commit()
    login.cookie_token = token
    user = login.user
    user.current_login = login
    return user


def end_login(login: LoginSession) -> None:
    """Revoke one login session and disconnect its sockets."""
    from app.core.sockets import disconnect_logins

    if login.revoked_at is None:
        login.revoked_at = utcnow()
        db.session.commit()
    journal_keys.on_logins_ended([login.id])
    disconnect_logins([login.id])


def end_other_logins(user: User, keep: LoginSession | None) -> list[int]:
    """Revoke every live login of this user except `keep`; returns the revoked ids."""
    from app.core.sockets import disconnect_logins

    query = select(LoginSession.id).where(
        LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)
    )
    if keep is not None:
        query = query.where(LoginSession.id != keep.id)
    ids = list(db.session.scalars(query))
    if ids:
        db.session.execute(
            update(LoginSession).where(LoginSession.id.in_(ids)).values(revoked_at=utcnow())
        )
        db.session.commit()
        journal_keys.on_logins_ended(ids)
        disconnect_logins(ids)
    return ids


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password, give the journal a new key, and end every other login of this user."""
    rotated = _new_password(user, current_password, new_password, someone_got_in=False)
    end_other_logins(user, keep=user.current_login)
    if rotated is not None:
        journal_sessions.after_rotation(user, rotated)


def secure_account(user: User, current_password: str, new_password: str) -> str | None:
    """Someone may have got in: new password, journal key and recovery code; every login ends.

    Returns the new recovery code to show once (None for an account without a journal key yet).
    The caller starts a fresh login for the person in front of it.
    """
    rotated = _new_password(user, current_password, new_password, someone_got_in=True)
    end_other_logins(user, keep=None)
    user.current_login = None
    if rotated is None:
        return None
    journal_sessions.after_rotation(user, rotated)
    return rotated.code


def _new_password(user: User, current_password: str, new_password: str, *, someone_got_in: bool):
    """Check the current password, rotate the journal's key, store the new hash; return what
    the rotation gives (None for an account without a journal key yet)."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError("That is not your current password.", "current_password")
    if current_password == new_password:
        raise AccountError("Choose a password different from the current one.", "new_password")
    try:
        rotated = journal_rotation.on_new_password(
            user, current_password, new_password, someone_got_in=someone_got_in
        )
    except journal_keys.JournalKeyError as error:
        db.session.rollback()
        raise AccountError(str(error), "current_password") from None
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    db.session.commit()
    return rotated


def reset_password_with_recovery_code(username: str, code: str, new_password: str) -> str:
    """Forgotten password: the journal recovery code opens the key, which is rotated to a new
    one under the new password and a NEW recovery code (returned, to show once).

    Ends every login of the account.
    """
    user = find_user_by_username(username)
    rotated = journal_rotation.recover_with_code(user, code, new_password)
    if user is None or rotated is None:
        db.session.rollback()
        raise AccountError("That username and recovery code don't match.", "recovery_code")
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    db.session.commit()
    end_other_logins(user, keep=None)
    journal_sessions.after_rotation(user, rotated)
    return rotated.code
