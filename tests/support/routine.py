"""Helpers for the practice, week and account tests: read a journal, post a practice."""

from __future__ import annotations

from app.auth.models import User
from app.extensions import db as _db
from app.journal import keys
from app.journal.services import decrypt_all
from tests.conftest import DEFAULT_PASSWORD

PRACTICE = {
    "intention_choice": "permission",
    "preset": "4-2-6",
    "before": "heavy",
    "after": "calmer",
    "minutes": "12",
    "notes": "The wave came and went like weather.",
}


def journal_of(user_id: int, password: str = DEFAULT_PASSWORD) -> list:
    """Every entry of a member, decrypted with their password (call inside an app context)."""
    user = _db.session.get(User, user_id)
    vault = keys.open_vault(user.id, password)
    assert vault is not None, "password did not open the journal"
    return list(decrypt_all(vault))


def lock_journal(client) -> None:
    """Forget this login's journal key, as after some updates: the journal is locked."""
    with client.session_transaction() as session:
        session.pop("journal_session_key", None)
