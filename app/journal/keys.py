"""A member's data key: created at registration, wrapped, re-wrapped, recovered and shredded.

The account code calls the `on_*` hooks here; nothing in this module ever stores a key in clear.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import delete, select

from app.core.database import utcnow
from app.extensions import db
from app.journal import crypto
from app.journal.crypto import KdfParams, Vault
from app.journal.models import JournalEntry, JournalKey, JournalSessionKey

log = logging.getLogger(__name__)

# RFC 9106's memory-constrained shape sized for a 2-core server (see docs/security.md).
PRODUCTION_KDF = KdfParams(time_cost=3, memory_cost=64 * 1024, parallelism=2)
# Tests derive hundreds of keys; the algorithm is the same, only cheaper.
TEST_KDF = KdfParams(time_cost=1, memory_cost=1024, parallelism=1)
CURRENT_KEY_VERSION = 1


class JournalKeyError(Exception):
    """The journal key could not be handled; the message is safe to show."""


def kdf_params() -> KdfParams:
    """The Argon2id parameters this app wraps new keys with."""
    return TEST_KDF if current_app.config.get("TESTING") else PRODUCTION_KDF


def load_key(user_id: int) -> JournalKey | None:
    """The member's current wrapped key row, if any."""
    return db.session.scalar(
        select(JournalKey)
        .where(JournalKey.user_id == user_id)
        .order_by(JournalKey.key_version.desc())
        .limit(1)
    )


def _wrap_under_password(row: JournalKey, data_key: bytes, password: str) -> None:
    """Wrap the data key under a fresh Argon2id KEK of this password."""
    params = kdf_params()
    salt = crypto.new_salt()
    kek = crypto.derive_password_kek(password, salt, params)
    row.password_salt = salt
    row.password_kdf = params.encode()
    row.wrapped_by_password = crypto.seal(
        kek, data_key, crypto.key_aad(row.user_id, row.key_version, "password")
    )


def unwrap_with_password(row: JournalKey, password: str) -> bytes | None:
    """The data key if this password opens it, else None."""
    params = KdfParams.decode(row.password_kdf)
    kek = crypto.derive_password_kek(password, row.password_salt, params)
    try:
        return crypto.open_sealed(
            kek, row.wrapped_by_password, crypto.key_aad(row.user_id, row.key_version, "password")
        )
    except crypto.DecryptionError:
        return None


def create_key(user_id: int, password: str) -> tuple[JournalKey, bytes]:
    """A new random data key for this member, wrapped under the password (not committed)."""
    data_key = crypto.new_key()
    row = JournalKey(user_id=user_id, key_version=CURRENT_KEY_VERSION)
    _wrap_under_password(row, data_key, password)
    db.session.add(row)
    db.session.flush()
    return row, data_key


def ensure_key(user_id: int, password: str) -> tuple[JournalKey, bytes | None]:
    """The member's key row and data key, creating one for accounts that predate the journal."""
    row = load_key(user_id)
    if row is None:
        return create_key(user_id, password)
    data_key = unwrap_with_password(row, password)
    if data_key is not None and row.password_kdf != kdf_params().encode():
        _wrap_under_password(row, data_key, password)  # parameters were raised since
        row.rewrapped_at = utcnow()
    return row, data_key


def on_register(user, password: str) -> None:
    """Hook from register_user: every new account gets its own data key."""
    create_key(user.id, password)
    db.session.commit()


def on_password_change(user, old_password: str, new_password: str) -> None:
    """Hook from change_password: re-wrap the same data key; no entry is re-encrypted."""
    row = load_key(user.id)
    if row is None:
        create_key(user.id, new_password)
        return
    data_key = unwrap_with_password(row, old_password)
    if data_key is None:
        raise JournalKeyError("We couldn't re-lock your journal with the new password.")
    _wrap_under_password(row, data_key, new_password)
    row.rewrapped_at = utcnow()


def on_logins_ended(login_ids: list[int]) -> None:
    """Hook from logout and revocation: the sealed session keys go, so cookies open nothing."""
    if not login_ids:
        return
    db.session.execute(delete(JournalSessionKey).where(JournalSessionKey.login_id.in_(login_ids)))
    db.session.commit()


def issue_recovery_code(vault: Vault) -> str:
    """Wrap the data key under a new recovery code (replacing any old one); returns the code."""
    row = load_key(vault.user_id)
    if row is None:
        raise JournalKeyError("There is no journal key to protect yet.")
    code = _wrap_under_recovery(row, vault.key)
    db.session.commit()
    return code


def _wrap_under_recovery(row: JournalKey, data_key: bytes) -> str:
    """Wrap under a fresh recovery code and return the code; it is never stored."""
    text, raw = crypto.new_recovery_code()
    salt = crypto.new_salt()
    kek = crypto.derive_recovery_kek(raw, salt)
    row.recovery_salt = salt
    row.wrapped_by_recovery = crypto.seal(
        kek, data_key, crypto.key_aad(row.user_id, row.key_version, "recovery")
    )
    row.recovery_created_at = utcnow()
    return text


def unwrap_with_recovery_code(row: JournalKey, code_text: str) -> bytes | None:
    """The data key if this recovery code opens it, else None."""
    raw = crypto.parse_recovery_code(code_text)
    if raw is None or row.wrapped_by_recovery is None or row.recovery_salt is None:
        return None
    kek = crypto.derive_recovery_kek(raw, row.recovery_salt)
    try:
        return crypto.open_sealed(
            kek, row.wrapped_by_recovery, crypto.key_aad(row.user_id, row.key_version, "recovery")
        )
    except crypto.DecryptionError:
        return None


def recover_with_code(user, code_text: str, new_password: str) -> str | None:
    """Open the key with a recovery code, re-wrap it under the new password and a NEW code.

    Returns the new code to show once, or None when the code does not open this member's key.
    The caller sets the password hash, commits and ends every login.
    """
    row = load_key(user.id) if user is not None else None
    data_key = unwrap_with_recovery_code(row, code_text) if row is not None else None
    if data_key is None:
        return None
    _wrap_under_password(row, data_key, new_password)
    row.rewrapped_at = utcnow()
    return _wrap_under_recovery(row, data_key)


def has_recovery_code(user_id: int) -> bool:
    """Whether this member has a recovery code yet (CLI and demo accounts start without)."""
    row = load_key(user_id)
    return row is not None and row.wrapped_by_recovery is not None


def shred_journal(user) -> None:
    """Crypto-shred: delete every wrapped and sealed copy of the key, and the entries."""
    db.session.execute(delete(JournalEntry).where(JournalEntry.user_id == user.id))
    db.session.execute(delete(JournalSessionKey).where(JournalSessionKey.user_id == user.id))
    db.session.execute(delete(JournalKey).where(JournalKey.user_id == user.id))
    db.session.commit()
    log.info("journal shredded for user %s", user.id)
