"""A member's data key: created at registration, wrapped, unwrapped, recovered and shredded.

The account code calls the `on_*` hooks here (and in `rotation`, which makes new key versions);
nothing in this module ever stores a key in clear.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import delete, select

from app.core.database import utcnow
from app.extensions import db
from app.journal import crypto, recovery_keys
from app.journal.crypto import KEY_FORMAT, LEGACY_FORMAT, KdfParams, OlderKey, Vault
from app.journal.models import JournalEntry, JournalKey, JournalRetiringKey, JournalSessionKey

log = logging.getLogger(__name__)

# RFC 9106's memory-constrained shape sized for a 2-core server (see docs/security.md).
PRODUCTION_KDF = KdfParams(time_cost=3, memory_cost=64 * 1024, parallelism=2)
# Tests derive hundreds of keys; the algorithm is the same, only cheaper.
TEST_KDF = KdfParams(time_cost=1, memory_cost=1024, parallelism=1)
CURRENT_KEY_VERSION = 1  # the first version of every member's key; rotation counts up from it


class JournalKeyError(Exception):
    """The journal key could not be handled; the message is safe to show."""


def kdf_params() -> KdfParams:
    """The Argon2id parameters this app wraps new keys with."""
    return TEST_KDF if current_app.config.get("LIGHT_HASHING") else PRODUCTION_KDF


def load_key(user_id: int) -> JournalKey | None:
    """The member's current wrapped key row, if any."""
    return db.session.scalar(
        select(JournalKey)
        .where(JournalKey.user_id == user_id)
        .order_by(JournalKey.key_version.desc())
        .limit(1)
    )


def wrap_under_password(row: JournalKey, data_key: bytes, password: str) -> None:
    """Wrap the data key under a fresh Argon2id KEK of this password."""
    params = kdf_params()
    salt = crypto.new_salt()
    kek = crypto.derive_password_kek(password, salt, params)
    row.password_salt = salt
    row.password_kdf = params.encode()
    row.wrapped_by_password = crypto.seal(kek, data_key, _aad(row, "password"))


def _aad(row: JournalKey, wrapper: str) -> bytes:
    """The associated data of one of this row's wraps (the format is bound too)."""
    return crypto.key_aad(row.user_id, row.key_version, wrapper, _format(row))


def _format(row) -> int:
    """A row's entry format; rows not yet flushed carry the model default."""
    return row.entry_format if row.entry_format is not None else KEY_FORMAT


def unwrap_with_password(row: JournalKey, password: str) -> bytes | None:
    """The data key if this password opens it, else None."""
    params = KdfParams.decode(row.password_kdf)
    kek = crypto.derive_password_kek(password, row.password_salt, params)
    try:
        return crypto.open_sealed(kek, row.wrapped_by_password, _aad(row, "password"))
    except crypto.DecryptionError:
        return None


def create_key(user_id: int, password: str) -> tuple[JournalKey, bytes]:
    """A new random data key for this member, wrapped under the password (not committed)."""
    data_key = crypto.new_key()
    row = JournalKey(user_id=user_id, key_version=CURRENT_KEY_VERSION, entry_format=KEY_FORMAT)
    wrap_under_password(row, data_key, password)
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
        wrap_under_password(row, data_key, password)  # parameters were raised since
        row.rewrapped_at = utcnow()
    return row, data_key


def older_keys(user_id: int, key_version: int, data_key: bytes) -> tuple[OlderKey, ...]:
    """The retiring keys sealed under this (newest) key; any that fail to open are left out."""
    rows = db.session.scalars(
        select(JournalRetiringKey).where(
            JournalRetiringKey.user_id == user_id,
            JournalRetiringKey.sealed_by_version == key_version,
        )
    )
    found = []
    for row in rows:
        aad = crypto.retiring_aad(user_id, row.key_version, row.entry_format, key_version)
        try:
            key = crypto.open_sealed(data_key, row.sealed_key, aad)
        except crypto.DecryptionError:
            log.warning(
                "retiring journal key v%s of user %s did not open", row.key_version, user_id
            )
            continue
        found.append(OlderKey(row.key_version, key, row.entry_format))
    return tuple(found)


def vault_for_key(row: JournalKey, data_key: bytes) -> Vault:
    """A vault for this key row and its data key, with any keys still retiring."""
    return Vault(
        user_id=row.user_id,
        key_version=row.key_version,
        key=data_key,
        entry_format=_format(row),
        older=older_keys(row.user_id, row.key_version, data_key),
    )


def open_vault(user_id: int, password: str) -> Vault | None:
    """The member's vault opened with the password (CLI, demo seed, tests), or None."""
    row, data_key = ensure_key(user_id, password)
    return vault_for_key(row, data_key) if data_key is not None else None


def on_register(user, password: str) -> None:
    """Hook from register_user: every new account gets its own data key."""
    create_key(user.id, password)
    db.session.commit()


def on_logins_ended(login_ids: list[int]) -> None:
    """Hook from logout and revocation: the sealed session keys go, so cookies open nothing."""
    if not login_ids:
        return
    db.session.execute(delete(JournalSessionKey).where(JournalSessionKey.login_id.in_(login_ids)))
    db.session.commit()


def wrap_under_new_recovery_code(row: JournalKey, data_key: bytes) -> str:
    """Seal the data key to a fresh recovery code and return the code; it is never stored."""
    text, raw = crypto.new_recovery_code()
    public = recovery_keys.recovery_public_key(raw)
    row.recovery_salt = None
    row.recovery_public_key = public
    row.wrapped_by_recovery = recovery_keys.seal_to_recovery_key(
        public, data_key, _aad(row, "recovery")
    )
    row.recovery_created_at = utcnow()
    return text


def carry_recovery_code(old: JournalKey, row: JournalKey, data_key: bytes) -> bool:
    """Seal a new data key to the code the member already keeps; False if that can't be done.

    Format 1 codes wrapped one key symmetrically, so nothing new can be sealed to them.
    """
    if old.recovery_public_key is None or old.wrapped_by_recovery is None:
        return False
    row.recovery_public_key = old.recovery_public_key
    row.recovery_created_at = old.recovery_created_at
    row.wrapped_by_recovery = recovery_keys.seal_to_recovery_key(
        old.recovery_public_key, data_key, _aad(row, "recovery")
    )
    return True


def unwrap_with_recovery_code(row: JournalKey, code_text: str) -> bytes | None:
    """The data key if this recovery code opens it, else None."""
    raw = crypto.parse_recovery_code(code_text)
    if raw is None or row.wrapped_by_recovery is None:
        return None
    try:
        if row.recovery_public_key is not None:
            return recovery_keys.open_with_recovery_key(
                raw, row.wrapped_by_recovery, _aad(row, "recovery")
            )
        if row.recovery_salt is None or _format(row) != LEGACY_FORMAT:
            return None
        kek = crypto.derive_recovery_kek(raw, row.recovery_salt)
        return crypto.open_sealed(kek, row.wrapped_by_recovery, _aad(row, "recovery"))
    except crypto.DecryptionError:
        return None


def issue_first_recovery_code(vault: Vault) -> str:
    """A first recovery code for a journal that has none (registration, CLI accounts).

    Replacing a code the member already has goes through `rotation` instead, so the old code
    opens nothing written afterwards.
    """
    row = load_key(vault.user_id)
    if row is None or row.key_version != vault.key_version:
        raise JournalKeyError("There is no journal key to protect yet.")
    code = wrap_under_new_recovery_code(row, vault.key)
    db.session.commit()
    return code


def has_recovery_code(user_id: int) -> bool:
    """Whether this member has a recovery code yet (CLI and demo accounts start without)."""
    row = load_key(user_id)
    return row is not None and row.wrapped_by_recovery is not None


def shred_journal(user) -> None:
    """Crypto-shred: delete every wrapped and sealed copy of the key, and the entries."""
    db.session.execute(delete(JournalEntry).where(JournalEntry.user_id == user.id))
    db.session.execute(delete(JournalSessionKey).where(JournalSessionKey.user_id == user.id))
    db.session.execute(delete(JournalRetiringKey).where(JournalRetiringKey.user_id == user.id))
    db.session.execute(delete(JournalKey).where(JournalKey.user_id == user.id))
    db.session.commit()
    log.info("journal shredded for user %s", user.id)
