"""Re-sealing a member's entries under their newest key, inline or in the background.

After a rotation every entry is still readable: the vault holds the retiring keys. This module
moves entries to the newest key a batch at a time, each with a conditional UPDATE (same id, same
old key version, same revision), so an edit made meanwhile is never overwritten. When no entry is
left under an older key, the retiring keys are deleted: from then on they exist nowhere.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app
from sqlalchemy import delete, func, select, update

from app.extensions import db, socketio
from app.journal.crypto import DecryptionError, Vault
from app.journal.models import ENTRY_FIELDS, JournalEntry, JournalKey, JournalRetiringKey

log = logging.getLogger(__name__)

BATCH = 100  # entries per transaction; the background task yields between batches
DEFAULT_INLINE_LIMIT = 200  # journals this small are re-sealed within the request itself

_latest: dict[int, Vault] = {}  # user id -> the newest vault a running task should use
_lock = threading.Lock()


def pending(vault: Vault) -> int:
    """How many of this member's entries are still sealed under an older key."""
    return db.session.scalar(
        select(func.count(JournalEntry.id)).where(
            JournalEntry.user_id == vault.user_id, JournalEntry.key_version < vault.key_version
        )
    )


def _reseal_values(vault: Vault, row: JournalEntry) -> dict[str, bytes]:
    """Every field of one row sealed under the newest key; a field that never opened stays as is.

    Such a field was unreadable with its own key already, so it loses nothing by staying so.
    """
    values = {}
    for name in ENTRY_FIELDS:
        blob = getattr(row, name)
        try:
            value = vault.open_field(
                row.id,
                name,
                blob,
                row.key_version,
                revision=row.revision,
                created_at=row.created_at,
            )
        except (DecryptionError, ValueError):
            values[name] = blob
            continue
        values[name] = vault.seal_field(
            row.id, name, value, revision=row.revision, created_at=row.created_at
        )
    return values


def reseal_batch(vault: Vault, limit: int = BATCH) -> int:
    """Move up to `limit` entries to the newest key and commit; returns how many were looked at."""
    rows = list(
        db.session.scalars(
            select(JournalEntry)
            .where(
                JournalEntry.user_id == vault.user_id,
                JournalEntry.key_version < vault.key_version,
            )
            .order_by(JournalEntry.id)
            .limit(limit)
        )
    )
    reseal_rows(vault, rows)
    return len(rows)


def reseal_rows(vault: Vault, rows: list[JournalEntry]) -> int:
    """Write the re-sealed rows, each only if it is unchanged since it was read; commits.

    Returns how many were written (an entry edited meanwhile is already under the newest key).
    """
    written = 0
    for row in rows:
        result = db.session.execute(
            update(JournalEntry)
            .where(
                JournalEntry.id == row.id,
                JournalEntry.key_version == row.key_version,
                JournalEntry.revision == row.revision,
            )
            .values(key_version=vault.key_version, **_reseal_values(vault, row))
            .execution_options(synchronize_session=False)
        )
        written += result.rowcount or 0
    db.session.commit()
    db.session.expire_all()
    return written


def finish_if_done(vault: Vault) -> bool:
    """Delete the retiring keys once no entry needs them; True when the rotation is complete."""
    if pending(vault):
        return False
    db.session.execute(
        delete(JournalRetiringKey).where(
            JournalRetiringKey.user_id == vault.user_id,
            JournalRetiringKey.key_version < vault.key_version,
        )
    )
    db.session.commit()
    log.info("journal key rotation complete for user %s (v%s)", vault.user_id, vault.key_version)
    return True


def reseal_all(vault: Vault) -> None:
    """Re-seal every older entry now and retire the old keys (small journals, and tests)."""
    while reseal_batch(vault):
        pass
    finish_if_done(vault)


def inline_limit() -> int:
    """Journals with at most this many older entries are re-sealed inside the request."""
    return int(current_app.config.get("JOURNAL_RESEAL_INLINE_LIMIT", DEFAULT_INLINE_LIMIT))


def settle(vault: Vault) -> str:
    """After a rotation has been committed: re-seal now, or hand the work to a background task.

    Returns "done", "background" or "waiting" (background work switched off by config).
    """
    count = pending(vault)
    if count <= inline_limit():
        reseal_all(vault)
        return "done"
    return "background" if start(vault) else "waiting"


def start(vault: Vault) -> bool:
    """Make sure a background task is re-sealing this member's entries (one per process)."""
    app = current_app._get_current_object()
    if not app.config.get("JOURNAL_RESEAL_IN_BACKGROUND", True):
        return False
    with _lock:
        running = vault.user_id in _latest
        known = _latest.get(vault.user_id)
        if known is None or known.key_version <= vault.key_version:
            _latest[vault.user_id] = vault
    if not running:
        socketio.start_background_task(_run, app, vault.user_id)
    return True


def _current_version(user_id: int) -> int | None:
    """The member's newest key version in the database."""
    return db.session.scalar(
        select(func.max(JournalKey.key_version)).where(JournalKey.user_id == user_id)
    )


def _run(app: Flask, user_id: int) -> None:
    """The background task: batches until done, always with the newest vault it was handed."""
    try:
        with app.app_context():
            while True:
                with _lock:
                    vault = _latest[user_id]
                if _current_version(user_id) != vault.key_version:
                    break  # rotated again elsewhere; the newer rotation carries on
                if not reseal_batch(vault):
                    finish_if_done(vault)
                    with _lock:
                        if _latest[user_id] is vault:
                            break
                socketio.sleep(0)
            db.session.remove()
    except Exception as exc:
        # The entries stay readable; the next request holding the key starts the task again.
        log.warning("journal re-seal for user %s stopped: %s", user_id, type(exc).__name__)
    finally:
        with _lock:
            _latest.pop(user_id, None)
