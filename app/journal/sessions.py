"""The unlocked data key for one login: sealed in the database, its key only in the cookie.

At login the data key is sealed under a random per-session key. The sealed blob is stored in
`journal_session_keys` (keyed by the login session, deleted on logout, revocation, expiry and
rotation); the per-session key lives only in the member's Flask session cookie. A socket handler
sees the copy of that cookie session Flask-SocketIO took at connect, so `current_vault()` works
there too.
"""

from __future__ import annotations

import logging

from flask import current_app, g, session
from flask_login import current_user
from sqlalchemy import delete, or_, select

from app.core.database import utcnow
from app.extensions import db
from app.journal import crypto, keys, reseal, rotation
from app.journal.crypto import KEY_FORMAT, Vault
from app.journal.models import JournalSessionKey

log = logging.getLogger(__name__)

COOKIE_FIELD = "journal_session_key"


def seal_for_login(login, vault: Vault, session_key: bytes | None = None) -> str:
    """Seal the newest data key to this login; returns the per-session key for the cookie."""
    session_key = session_key or crypto.new_key()
    aad = crypto.session_aad(
        login.id, vault.user_id, vault.key_version, "data-key", vault.entry_format
    )
    record = db.session.get(JournalSessionKey, login.id)
    if record is None:
        record = JournalSessionKey(login_id=login.id, user_id=vault.user_id)
        db.session.add(record)
    record.key_version = vault.key_version
    record.entry_format = vault.entry_format
    record.sealed_key = crypto.seal(session_key, vault.key, aad)
    record.sealed_recovery_code = None
    record.created_at = utcnow()
    return crypto.encode_cookie_key(session_key)


def open_for_login(user, password: str) -> bool:
    """Login hook: unwrap the data key with the password and keep it for this login only.

    A format 1 key is rotated to the current format here, the one moment the password is at
    hand; the entries are then re-sealed with their revision and date bound in.
    """
    login = getattr(user, "current_login", None)
    if login is None:
        return False
    row, data_key = keys.ensure_key(user.id, password)
    if data_key is None:
        db.session.rollback()
        log.warning("journal key did not open at login for user %s", user.id)
        return False
    vault = keys.vault_for_key(row, data_key)
    upgrade = None
    if vault.entry_format < KEY_FORMAT:
        upgrade = rotation.rotate(user.id, vault, password, new_code=False, reason="format")
        vault = upgrade.vault
    session[COOKIE_FIELD] = seal_for_login(login, vault)
    db.session.commit()
    g.pop("journal_vault", None)
    if upgrade is not None and upgrade.code is not None:
        stash_recovery_code(user, upgrade.code)
    if vault.is_rotating:
        reseal.settle(vault)
    return True


def after_rotation(user, done: rotation.Rotation, *, fresh_cookie: bool = False) -> str:
    """After a committed rotation: re-seal this login, keep any new code to show, re-seal entries.

    The login keeps its per-session key (its open sockets keep working) unless `fresh_cookie`.
    Returns what `reseal.settle` did.
    """
    login = getattr(user, "current_login", None)
    if login is not None:
        kept = None if fresh_cookie else crypto.decode_cookie_key(session.get(COOKIE_FIELD))
        session[COOKIE_FIELD] = seal_for_login(login, done.vault, kept)
        db.session.commit()
        if done.code is not None:
            stash_recovery_code(user, done.code)
    g.pop("journal_vault", None)
    return reseal.settle(done.vault)


def unlock(user, password: str) -> bool:
    """The unlock form: open the journal for this login with the password again."""
    from app.auth.passwords import verify_password

    if not verify_password(user.password_hash, password):
        return False
    return open_for_login(user, password)


WRONG_PASSWORD = "That password didn't open your journal. Please try again."  # noqa: S105 (copy)
LOCKED_HERE = "Your journal is locked here; your password opens it."


def vault_for_saving(user, password_field) -> Vault | None:
    """The unlocked journal for a form that saves to it, opened with the password the form
    carries when it is locked here; otherwise the field says why and the answer is None."""
    vault = current_vault()
    if vault is None and password_field.data and unlock(user, password_field.data):
        vault = current_vault()
    if vault is None:
        password_field.errors.append(WRONG_PASSWORD if password_field.data else LOCKED_HERE)
    return vault


def vault_for_login(user, login, cookie_text) -> Vault | None:
    """The data key for this login (and any retiring ones), if the cookie's key opens it."""
    session_key = crypto.decode_cookie_key(cookie_text)
    if session_key is None or login is None or user is None or login.is_revoked:
        return None
    record = db.session.get(JournalSessionKey, login.id)
    if record is None or record.user_id != user.id:
        return None
    aad = crypto.session_aad(login.id, user.id, record.key_version, "data-key", record.entry_format)
    try:
        data_key = crypto.open_sealed(session_key, record.sealed_key, aad)
    except crypto.DecryptionError:
        return None
    older = keys.older_keys(user.id, record.key_version, data_key)
    return Vault(user.id, record.key_version, data_key, record.entry_format, older)


def current_vault() -> Vault | None:
    """The logged-in member's unlocked journal for this request (or socket event), if any.

    A rotation interrupted by a restart resumes here, with the first request that holds the key.
    """
    if "journal_vault" in g:
        return g.journal_vault
    vault = None
    if getattr(current_user, "is_authenticated", False):
        vault = vault_for_login(current_user, current_user.current_login, session.get(COOKIE_FIELD))
    if vault is not None and vault.is_rotating:
        reseal.start(vault)
    g.journal_vault = vault
    return vault


def _session_key_and_record(user):
    """This login's per-session key and sealed record, or (None, None)."""
    login = getattr(user, "current_login", None)
    session_key = crypto.decode_cookie_key(session.get(COOKIE_FIELD))
    if login is None or session_key is None:
        return None, None
    record = db.session.get(JournalSessionKey, login.id)
    if record is None or record.user_id != user.id:
        return None, None
    return session_key, record


def _code_aad(record: JournalSessionKey, user_id: int) -> bytes:
    """Associated data of a recovery code waiting in a login's sealed record."""
    return crypto.session_aad(
        record.login_id, user_id, record.key_version, "recovery-code", record.entry_format
    )


def stash_recovery_code(user, code: str) -> bool:
    """Keep a new recovery code, sealed to this login, until the member has seen it."""
    session_key, record = _session_key_and_record(user)
    if record is None:
        return False
    record.sealed_recovery_code = crypto.seal(
        session_key, code.encode(), _code_aad(record, user.id)
    )
    db.session.commit()
    return True


def pending_recovery_code(user) -> str | None:
    """The recovery code waiting to be shown to this login, if any."""
    session_key, record = _session_key_and_record(user)
    if record is None or record.sealed_recovery_code is None:
        return None
    try:
        blob = record.sealed_recovery_code
        return crypto.open_sealed(session_key, blob, _code_aad(record, user.id)).decode()
    except crypto.DecryptionError:
        return None


def forget_recovery_code(user) -> None:
    """The member has saved the code: remove the only remaining copy."""
    _, record = _session_key_and_record(user)
    if record is not None and record.sealed_recovery_code is not None:
        record.sealed_recovery_code = None
        db.session.commit()


def issue_recovery_code_for_display(user) -> bool:
    """A first recovery code for the unlocked journal, kept until it has been seen."""
    vault = current_vault()
    if vault is None or vault.user_id != user.id:
        return False
    return stash_recovery_code(user, keys.issue_first_recovery_code(vault))


def replace_recovery_code_for_display(user, password: str) -> bool:
    """A new recovery code: the first one, or a replacement that rotates the key."""
    if not keys.has_recovery_code(user.id):
        return issue_recovery_code_for_display(user)
    done = rotation.replace_recovery_code(user, password)
    if done is None:
        db.session.rollback()
        return False
    db.session.commit()
    after_rotation(user, done)
    return True


def delete_dead_session_keys() -> int:
    """Delete the sealed keys of logins that were revoked or have expired; returns how many.

    An expired login that is never revisited is never ended, and its row would otherwise sit in
    every later dump, openable by the cookie that went with it.
    """
    from app.auth.models import LoginSession

    now = utcnow()
    config = current_app.config
    dead = select(LoginSession.id).where(
        or_(
            LoginSession.revoked_at.is_not(None),
            LoginSession.last_seen_at < now - config["LOGIN_IDLE_TIMEOUT"],
            LoginSession.created_at < now - config["LOGIN_ABSOLUTE_TIMEOUT"],
        )
    )
    result = db.session.execute(
        delete(JournalSessionKey)
        .where(JournalSessionKey.login_id.in_(dead))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount:
        log.info("deleted %s sealed journal keys of ended logins", result.rowcount)
    return result.rowcount or 0
