"""Key rotation: a new data key version on password change, recovery and "someone got in".

Re-wrapping the same key (as before) left an old backup plus the old password, an old recovery
code or a stolen cookie able to open everything written later. A rotation makes a new random data
key, wraps only that one under the password (and the recovery code), keeps the older keys sealed
under the new one while `reseal` moves entries over, and destroys every older wrap at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import delete

from app.extensions import db
from app.journal import crypto, keys
from app.journal.crypto import KEY_FORMAT, OlderKey, Vault
from app.journal.models import JournalKey, JournalRetiringKey, JournalSessionKey

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rotation:
    """A committed-to-be new key: its row, the vault for it, and a new recovery code if any."""

    row: JournalKey
    vault: Vault
    code: str | None  # shown once; None when the member's existing code still opens the key


def rotate(user_id: int, vault: Vault, password: str, *, new_code: bool, reason: str) -> Rotation:
    """Make the next key version for this member (the caller commits).

    `vault` is the member's current vault (opened by the password, the recovery code or the
    session); `password` is the one the new key is wrapped under. Every login's sealed copy of
    the old key is deleted: the caller re-seals the login the member is using.
    """
    old = keys.load_key(user_id)
    if old is None or old.key_version != vault.key_version:
        raise keys.JournalKeyError("Your journal's key changed meanwhile. Please try again.")
    data_key = crypto.new_key()
    version = max([vault.key_version, *(o.key_version for o in vault.older)]) + 1
    row = JournalKey(user_id=user_id, key_version=version, entry_format=KEY_FORMAT)
    keys.wrap_under_password(row, data_key, password)
    code = None
    had_code = old.wrapped_by_recovery is not None
    if new_code or (had_code and not keys.carry_recovery_code(old, row, data_key)):
        code = keys.wrap_under_new_recovery_code(row, data_key)
    retiring = (OlderKey(vault.key_version, vault.key, vault.entry_format), *vault.older)
    _retire(user_id, retiring, version, data_key)
    db.session.delete(old)
    db.session.execute(delete(JournalSessionKey).where(JournalSessionKey.user_id == user_id))
    db.session.add(row)
    db.session.flush()
    log.info("journal key of user %s rotated to v%s (%s)", user_id, version, reason)
    new_vault = Vault(user_id, version, data_key, KEY_FORMAT, older=retiring)
    return Rotation(row=row, vault=new_vault, code=code)


def _retire(user_id: int, older: tuple[OlderKey, ...], version: int, data_key: bytes) -> None:
    """Seal every older key under the new one (replacing any earlier sealing of it)."""
    db.session.execute(delete(JournalRetiringKey).where(JournalRetiringKey.user_id == user_id))
    for old in older:
        aad = crypto.retiring_aad(user_id, old.key_version, old.entry_format, version)
        db.session.add(
            JournalRetiringKey(
                user_id=user_id,
                key_version=old.key_version,
                entry_format=old.entry_format,
                sealed_by_version=version,
                sealed_key=crypto.seal(data_key, old.key, aad),
            )
        )


def on_new_password(user, old_password: str, new_password: str, *, someone_got_in: bool):
    """Hook from change_password and secure_account: a new key wrapped under the new password
    (not committed), and a new recovery code too when someone got in. None for an account
    without a key yet (one is made under the new password)."""
    if keys.load_key(user.id) is None:
        keys.create_key(user.id, new_password)
        return None
    vault = keys.open_vault(user.id, old_password)
    if vault is None:
        raise keys.JournalKeyError("We couldn't open your journal with that password.")
    reason = "someone got in" if someone_got_in else "password change"
    return rotate(user.id, vault, new_password, new_code=someone_got_in, reason=reason)


def recover_with_code(user, code_text: str, new_password: str) -> Rotation | None:
    """Open the key with a recovery code and rotate to a new key under the new password and a
    NEW code; None when the code does not open this member's key (the caller commits)."""
    row = keys.load_key(user.id) if user is not None else None
    data_key = keys.unwrap_with_recovery_code(row, code_text) if row is not None else None
    if data_key is None:
        return None
    vault = keys.vault_for_key(row, data_key)
    return rotate(user.id, vault, new_password, new_code=True, reason="recovery")


def replace_recovery_code(user, password: str) -> Rotation | None:
    """A new recovery code for a member who has one: rotate, so the old code opens nothing new."""
    vault = keys.open_vault(user.id, password)
    if vault is None:
        return None
    return rotate(user.id, vault, password, new_code=True, reason="new recovery code")
