"""Ciphertext is bound to its place: moved, swapped or tampered fields do not open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.journal import crypto
from app.journal.models import JournalEntry
from tests.journal.conftest import write_entry


def test_recovery_codes_are_readable_and_forgiving_to_type():
    text, raw = crypto.new_recovery_code()
    assert len(raw) * 8 >= 128
    groups = text.split("-")
    assert len(groups) == 8 and all(len(group) == 4 for group in groups)
    assert crypto.parse_recovery_code(text) == raw
    assert crypto.parse_recovery_code(" " + text.lower().replace("-", " ") + " ") == raw
    assert crypto.parse_recovery_code(text[:-1]) is None
    assert crypto.parse_recovery_code("!" * 32) is None
    assert crypto.parse_recovery_code(None) is None


def test_fresh_nonce_every_time():
    key = crypto.new_key()
    first = crypto.seal(key, b"same words", b"aad")
    second = crypto.seal(key, b"same words", b"aad")
    assert first != second
    assert crypto.open_sealed(key, first, b"aad") == b"same words"


WHEN = datetime(2026, 11, 20, 18, 30, 5, 123456, tzinfo=UTC)
PLACE = {"user_id": 1, "entry_id": 7, "key_version": 1, "field_name": "body", "revision": 3}


@pytest.mark.parametrize(
    "change",
    [
        {"user_id": 2},
        {"entry_id": 8},
        {"key_version": 2},
        {"field_name": "title"},
        {"revision": 2},
        {"created_at": WHEN - timedelta(days=400)},
        {"created_at": WHEN + timedelta(microseconds=1)},
    ],
)
def test_field_ciphertext_is_bound_to_its_place_revision_and_date(change):
    key = crypto.new_key()
    vault = crypto.Vault(user_id=1, key_version=1, key=key)
    blob = vault.seal_field(7, "body", "private words", revision=3, created_at=WHEN)
    assert vault.open_field(7, "body", blob, revision=3, created_at=WHEN) == "private words"
    place = {**PLACE, "created_at": WHEN} | change
    moved = crypto.Vault(user_id=place["user_id"], key_version=place["key_version"], key=key)
    with pytest.raises(crypto.DecryptionError):
        moved.open_field(
            place["entry_id"],
            place["field_name"],
            blob,
            revision=place["revision"],
            created_at=place["created_at"],
        )


def test_format_one_ciphertext_still_opens_under_a_format_one_key():
    key = crypto.new_key()
    legacy = crypto.Vault(1, 1, key, entry_format=crypto.LEGACY_FORMAT)
    aad = crypto.field_aad(1, 7, 1, "body")
    blob = crypto.seal(key, b'"written before revisions"', aad)
    assert legacy.open_field(7, "body", blob, revision=9, created_at=WHEN) == (
        "written before revisions"
    )
    # The same key read as format 2 refuses it: a format flag cannot be flipped quietly.
    with pytest.raises(crypto.DecryptionError):
        crypto.Vault(1, 1, key).open_field(7, "body", blob, revision=1, created_at=WHEN)


@pytest.mark.parametrize("length", [0, 1, 55, 256, 257, 300, 1000, 4097, 20_000, 80_000])
def test_padding_buckets_are_padme_above_the_minimum(length):
    padded = crypto.padded_length(length)
    assert padded >= max(length, crypto.PAD_MINIMUM)
    assert padded - length <= max(crypto.PAD_MINIMUM, length * 0.12)
    assert crypto.padded_length(padded) == padded  # a bucket is its own bucket


def test_tampered_ciphertext_does_not_open():
    vault = crypto.Vault(user_id=1, key_version=1, key=crypto.new_key())
    blob = bytearray(vault.seal_field(1, "body", "words", revision=1, created_at=WHEN))
    blob[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        vault.open_field(1, "body", bytes(blob), revision=1, created_at=WHEN)
    with pytest.raises(crypto.DecryptionError):
        vault.open_field(1, "body", b"", revision=1, created_at=WHEN)


def test_swapped_ciphertext_between_two_entries_fails_to_decrypt(
    app, db, make_user, logged_in_client
):
    http = logged_in_client(make_user("swapper"))
    first = write_entry(http, title="First", body="first body")
    second = write_entry(http, title="Second", body="second body")
    with app.app_context():
        a = db.session.get(JournalEntry, first)
        b = db.session.get(JournalEntry, second)
        a.body, b.body = b.body, a.body
        db.session.commit()
    page = http.get(f"/journal/{first}")
    assert page.status_code == 200  # calm, never a 500
    html = page.get_data(as_text=True)
    assert "could not be opened" in html
    assert "second body" not in html


def test_ciphertext_moved_to_another_members_entry_fails(app, db, make_user, logged_in_client):
    mine = logged_in_client(make_user("mine"))
    theirs = logged_in_client(make_user("theirs"))
    my_entry = write_entry(mine, body="my private words")
    their_entry = write_entry(theirs, body="their words")
    with app.app_context():
        rows = {row.id: row for row in db.session.scalars(select(JournalEntry))}
        rows[their_entry].body = rows[my_entry].body
        db.session.commit()
    html = theirs.get(f"/journal/{their_entry}").get_data(as_text=True)
    assert "my private words" not in html and "could not be opened" in html


def test_kdf_params_round_trip():
    params = crypto.KdfParams(3, 65536, 2)
    assert crypto.KdfParams.decode(params.encode()) == params


def test_cookie_key_decoding_rejects_junk():
    key = crypto.new_key()
    assert crypto.decode_cookie_key(crypto.encode_cookie_key(key)) == key
    for junk in (None, "", "short", "!" * 44, "A" * 200, 12):
        assert crypto.decode_cookie_key(junk) is None
