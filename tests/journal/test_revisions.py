"""Authenticated revisions and dates, and padding that hides which kind a record is."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.journal.models import ENTRY_FIELDS, JournalEntry
from app.practice.models import PracticeSession
from tests.conftest import DEFAULT_PASSWORD
from tests.journal.conftest import write_entry
from tests.support.routine import PRACTICE


def test_a_rolled_back_body_is_refused_and_shown_calmly(app, db, make_user, logged_in_client):
    http = logged_in_client(make_user("river"))
    entry_id = write_entry(http, title="Quiet title", body="what I first wrote")
    with app.app_context():
        first = db.session.get(JournalEntry, entry_id)
        old_body, old_revision = first.body, first.revision
    edit = {"title": "Quiet title", "body": "what I really meant", "mood": "3"}
    assert http.post(f"/journal/{entry_id}/edit", data=edit).status_code == 302
    with app.app_context():
        row = db.session.get(JournalEntry, entry_id)
        assert row.revision == old_revision + 1
        row.body = old_body  # an operator restores the older body from a backup
        db.session.commit()
    page = http.get(f"/journal/{entry_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "what I first wrote" not in html and "what I really meant" not in html
    assert "put back from an older copy" in html
    assert "Quiet title" not in html  # nothing of a partly rolled-back entry is vouched for


def test_a_rolled_back_revision_number_does_not_help(app, db, make_user, logged_in_client):
    http = logged_in_client(make_user("river"))
    entry_id = write_entry(http, body="first")
    with app.app_context():
        old_body = db.session.get(JournalEntry, entry_id).body
    http.post(f"/journal/{entry_id}/edit", data={"title": "", "body": "second", "mood": ""})
    with app.app_context():
        row = db.session.get(JournalEntry, entry_id)
        row.body, row.revision = old_body, 1  # body and counter put back, the rest left newer
        db.session.commit()
    html = http.get(f"/journal/{entry_id}").get_data(as_text=True)
    assert "<p>first</p>" not in html and "could not be opened" in html


def test_a_moved_date_is_refused(app, db, make_user, logged_in_client):
    http = logged_in_client(make_user("river"))
    entry_id = write_entry(http, title="A hard night", body="it was a hard night")
    with app.app_context():
        row = db.session.get(JournalEntry, entry_id)
        row.created_at = row.created_at - timedelta(days=400)
        db.session.commit()
    html = http.get(f"/journal/{entry_id}").get_data(as_text=True)
    assert "it was a hard night" not in html and "A hard night" not in html
    assert "given a different date" in html
    listing = http.get("/journal/").get_data(as_text=True)
    assert "A hard night" not in listing and "could not be opened" in listing


def test_a_damaged_entry_is_not_saved_over(app, db, make_user, logged_in_client):
    http = logged_in_client(make_user("river"))
    entry_id = write_entry(http, title="Kept", body="the original")
    with app.app_context():
        row = db.session.get(JournalEntry, entry_id)
        row.created_at = row.created_at - timedelta(days=1)
        db.session.commit()
        tampered = bytes(db.session.get(JournalEntry, entry_id).prompt)
    edit = {"title": "New", "body": "new words", "mood": ""}
    response = http.post(f"/journal/{entry_id}/edit", data=edit, follow_redirects=True)
    assert "left it exactly as it is" in response.get_data(as_text=True)
    assert http.get(f"/journal/{entry_id}/edit").status_code == 302
    with app.app_context():
        assert bytes(db.session.get(JournalEntry, entry_id).prompt) == tampered


def _lengths(row: JournalEntry) -> dict[str, int]:
    return {name: len(getattr(row, name)) for name in ENTRY_FIELDS}


def test_sealed_fields_of_every_record_kind_have_equal_lengths(app, db, client, auth, make_user):
    from app.auth.services import load_login
    from app.journal.checkins import record_checkin
    from app.journal.sessions import COOKIE_FIELD

    make_user("lake")
    auth.login("lake")
    written = write_entry(client, title="Tired", body="A short day.", mood="", tags="work")
    practice = dict(PRACTICE, password=DEFAULT_PASSWORD)
    assert client.post("/practice", data=practice).status_code == 302
    with client.session_transaction() as cookie_session:
        cookie_key, token = cookie_session[COOKIE_FIELD], cookie_session["_user_id"]
    with app.app_context():
        user = load_login(token, touch=False)
        checkin = record_checkin(
            user, user.current_login, 3, "closing", 4, ["calmer"], session_key=cookie_key
        ).entry_id
        rows = {row.id: row for row in db.session.scalars(select(JournalEntry))}
        (practiced,) = set(rows) - {written, checkin}
        lengths = [_lengths(rows[i]) for i in (written, checkin, practiced)]
    assert lengths[0] == lengths[1] == lengths[2], lengths
    assert len(set(lengths[0].values())) == 1  # every small field, one bucket


def test_the_practice_history_row_keeps_the_day_not_the_moment(
    app, db, make_user, logged_in_client
):
    http = logged_in_client(make_user("lake"))
    assert http.post("/practice", data=PRACTICE).status_code == 302
    with app.app_context():
        (history,) = db.session.scalars(select(PracticeSession))
        (entry,) = db.session.scalars(select(JournalEntry))
        assert history.created_at != entry.created_at
        assert (history.started_at.hour, history.started_at.minute) == (0, 0)
        assert history.started_at.date() <= entry.created_at.date()
