"""The unlocked data key for one login: sealed in the database, its key only in the cookie.

At login the data key is sealed under a random per-session key. The sealed blob is stored in
`journal_session_keys` (keyed by the login session, deleted on logout or revocation); the
per-session key lives only in the member's Flask session cookie. A socket handler sees the copy
of that cookie session Flask-SocketIO took at connect, so `current_vault()` works there too.
"""

from __future__ import annotations

import logging

from flask import g, session
from flask_login import current_user

from app.core.database import utcnow
from app.extensions import db
from app.journal import crypto, keys
from app.journal.crypto import Vault
from app.journal.models import JournalKey, JournalSessionKey

log = logging.getLogger(__name__)

COOKIE_FIELD = "journal_session_key"


def seal_for_login(login, row: JournalKey, data_key: bytes) -> str:
    """Seal the data key to this login; returns the per-session key for the cookie."""
    session_key = crypto.new_key()
    aad = crypto.session_aad(login.id, row.user_id, row.key_version, "data-key")
    record = db.session.get(JournalSessionKey, login.id)
    if record is None:
        record = JournalSessionKey(login_id=login.id, user_id=row.user_id)
        db.session.add(record)
    record.key_version = row.key_version
    record.sealed_key = crypto.seal(session_key, data_key, aad)
    record.sealed_recovery_code = None
    record.created_at = utcnow()
    return crypto.encode_cookie_key(session_key)


def open_for_login(user, password: str) -> bool:
    """Login hook: unwrap the data key with the password and keep it for this login only."""
    login = getattr(user, "current_login", None)
    if login is None:
        return False
    row, data_key = keys.ensure_key(user.id, password)
    if data_key is None:
        db.session.rollback()
        log.warning("journal key did not open at login for user %s", user.id)
        return False
    session[COOKIE_FIELD] = seal_for_login(login, row, data_key)
    db.session.commit()
    g.pop("journal_vault", None)
    return True


def unlock(user, password: str) -> bool:
    """The unlock form: open the journal for this login with the password again."""
    from app.auth.passwords import verify_password

    if not verify_password(user.password_hash, password):
        return False
    return open_for_login(user, password)


def vault_for_login(user, login, cookie_text) -> Vault | None:
    """The data key for this login, if the cookie's key opens the sealed copy."""
    session_key = crypto.decode_cookie_key(cookie_text)
    if session_key is None or login is None or user is None or login.is_revoked:
        return None
    record = db.session.get(JournalSessionKey, login.id)
    if record is None or record.user_id != user.id:
        return None
    aad = crypto.session_aad(login.id, user.id, record.key_version, "data-key")
    try:
        data_key = crypto.open_sealed(session_key, record.sealed_key, aad)
    except crypto.DecryptionError:
        return None
    return Vault(user_id=user.id, key_version=record.key_version, key=data_key)


def current_vault() -> Vault | None:
    """The logged-in member's unlocked journal for this request (or socket event), if any."""
    if "journal_vault" in g:
        return g.journal_vault
    vault = None
    if getattr(current_user, "is_authenticated", False):
        vault = vault_for_login(current_user, current_user.current_login, session.get(COOKIE_FIELD))
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


def stash_recovery_code(user, code: str) -> bool:
    """Keep a new recovery code, sealed to this login, until the member has seen it."""
    session_key, record = _session_key_and_record(user)
    if record is None:
        return False
    aad = crypto.session_aad(record.login_id, user.id, record.key_version, "recovery-code")
    record.sealed_recovery_code = crypto.seal(session_key, code.encode(), aad)
    db.session.commit()
    return True


def pending_recovery_code(user) -> str | None:
    """The recovery code waiting to be shown to this login, if any."""
    session_key, record = _session_key_and_record(user)
    if record is None or record.sealed_recovery_code is None:
        return None
    aad = crypto.session_aad(record.login_id, user.id, record.key_version, "recovery-code")
    try:
        return crypto.open_sealed(session_key, record.sealed_recovery_code, aad).decode()
    except crypto.DecryptionError:
        return None


def forget_recovery_code(user) -> None:
    """The member has saved the code: remove the only remaining copy."""
    _, record = _session_key_and_record(user)
    if record is not None and record.sealed_recovery_code is not None:
        record.sealed_recovery_code = None
        db.session.commit()


def issue_recovery_code_for_display(user) -> bool:
    """Make a new recovery code for the unlocked journal and keep it until it has been seen."""
    vault = current_vault()
    if vault is None or vault.user_id != user.id:
        return False
    return stash_recovery_code(user, keys.issue_recovery_code(vault))
