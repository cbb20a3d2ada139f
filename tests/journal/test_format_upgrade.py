"""Journals sealed before revisions existed (format 1) move to format 2 at the next login."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from app.core.database import utcnow
from app.journal import crypto, keys
from app.journal.models import ENTRY_FIELDS, JournalEntry, JournalKey
from tests.conftest import DEFAULT_PASSWORD, AuthActions

OLD_CODE_TEXT, OLD_CODE_RAW = crypto.new_recovery_code()


def _make_format_one_journal(app, db, user_id: int) -> list[int]:
    """Turn a member's key and entries into exactly what the format 1 code wrote."""
    with app.app_context():
        row = keys.load_key(user_id)
        data_key = keys.unwrap_with_password(row, DEFAULT_PASSWORD)
        row.entry_format = crypto.LEGACY_FORMAT
        kek = crypto.derive_password_kek(
            DEFAULT_PASSWORD, row.password_salt, crypto.KdfParams.decode(row.password_kdf)
        )
        row.wrapped_by_password = crypto.seal(kek, data_key, crypto.key_aad(user_id, 1, "password"))
        row.recovery_salt = crypto.new_salt()
        recovery_kek = crypto.derive_recovery_kek(OLD_CODE_RAW, row.recovery_salt)
        row.wrapped_by_recovery = crypto.seal(
            recovery_kek, data_key, crypto.key_aad(user_id, 1, "recovery")
        )
        ids = []
        for number in range(3):
            entry = JournalEntry(user_id=user_id, key_version=1, revision=1)
            entry.created_at = entry.updated_at = utcnow() - timedelta(days=number)
            for name in ENTRY_FIELDS:
                setattr(entry, name, b"")
            db.session.add(entry)
            db.session.flush()
            values = {"title": f"Old {number}", "body": f"older words {number}", "mood": 3}
            values |= {"feelings": [], "tags": [], "prompt": None, "context": {"kind": "entry"}}
            for name, value in values.items():
                aad = crypto.field_aad(user_id, entry.id, 1, name)
                setattr(entry, name, crypto.seal(data_key, json.dumps(value).encode(), aad))
            ids.append(entry.id)
        db.session.commit()
        return ids


def test_a_format_one_journal_opens_and_is_upgraded_at_login(app, db, client, make_user):
    user = make_user("elder")
    ids = _make_format_one_journal(app, db, user.id)
    with app.app_context():
        assert keys.unwrap_with_recovery_code(keys.load_key(user.id), OLD_CODE_TEXT) is not None

    response = AuthActions(client).login("elder")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/journal/recovery-code")
    page = client.get("/journal/recovery-code").get_data(as_text=True)
    assert "new recovery code too" in page and 'id="recovery-code"' in page

    for number, entry_id in enumerate(ids):
        html = client.get(f"/journal/{entry_id}").get_data(as_text=True)
        assert f"older words {number}" in html and "could not be opened" not in html
    with app.app_context():
        (row,) = db.session.scalars(select(JournalKey)).all()
        assert row.entry_format == crypto.KEY_FORMAT and row.key_version == 2
        assert set(db.session.scalars(select(JournalEntry.key_version))) == {2}
        assert keys.unwrap_with_recovery_code(row, OLD_CODE_TEXT) is None
        moved = db.session.get(JournalEntry, ids[0])
        moved.created_at -= timedelta(days=400)  # now refused, as for any new entry
        db.session.commit()
    assert "could not be opened" in client.get(f"/journal/{ids[0]}").get_data(as_text=True)


def test_a_format_one_journal_without_a_code_upgrades_quietly(app, db, client, make_user):
    user = make_user("elder")
    ids = _make_format_one_journal(app, db, user.id)
    with app.app_context():
        row = keys.load_key(user.id)
        row.recovery_salt = row.wrapped_by_recovery = None
        db.session.commit()
    response = AuthActions(client).login("elder")
    assert not response.headers["Location"].endswith("/journal/recovery-code")
    assert "older words 1" in client.get(f"/journal/{ids[1]}").get_data(as_text=True)
    with app.app_context():
        assert keys.load_key(user.id).wrapped_by_recovery is None
