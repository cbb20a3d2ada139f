"""After the circle: the entry it keeps (encrypted), tomorrow's card, and who may see what."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, select

from app.aftercare import services
from app.aftercare.models import AftercareCheck
from app.auth.models import User
from app.circles.models import Circle, CircleSession
from app.core.database import utcnow
from app.extensions import db as _db
from app.journal.models import JournalEntry
from tests.conftest import DEFAULT_PASSWORD
from tests.support.factories import add_circle
from tests.support.routine import journal_of, lock_journal

AFTER = {"after": "lighter", "notes": "Glad I came tonight.", "timezone": "Europe/Paris"}


@pytest.fixture
def circle_session(app, make_user):
    """A circle (kept by Holder) with Sky as a member, and one ended session."""
    holder, sky = make_user("holder"), make_user("sky")
    with app.app_context():
        circle = add_circle(_db.session.get(User, holder.id), [sky], name="Evening circle")
        session = CircleSession(
            circle_id=circle.id, title="Sunday circle", starts_at=utcnow(), state="ended"
        )
        _db.session.add(session)
        _db.session.commit()
        return {"holder": holder, "sky": sky, "circle_id": circle.id, "session_id": session.id}


def saved_entry_id(response) -> int:
    """The entry id from the redirect after saving."""
    assert response.status_code == 302, response.status_code
    return int(re.search(r"/after/saved/(\d+)", response.headers["Location"]).group(1))


def test_one_press_keeps_an_encrypted_entry_with_the_after_the_circle_prompt(
    app, circle_session, logged_in_client
):
    sky = circle_session["sky"]
    http = logged_in_client(sky)
    session_id = circle_session["session_id"]
    entry_id = saved_entry_id(http.post(f"/sessions/{session_id}/after", data=AFTER))
    with app.app_context():
        (entry,) = journal_of(sky.id)
        stored = _db.session.get(JournalEntry, entry_id)
        raw = b"".join(bytes(getattr(stored, name) or b"") for name in ("title", "body"))
        check = _db.session.scalar(select(AftercareCheck))
        columns = {c["name"] for c in inspect(_db.engine).get_columns("aftercare_checks")}
    assert entry.id == entry_id and entry.title == "After the circle: Sunday circle"
    assert "Glad I came tonight." in entry.body and "lighter" in entry.body
    assert entry.prompt == services.AFTER_PROMPT and entry.prompt_words.startswith("How am I")
    assert entry.context == {"kind": "aftercare", "session_id": session_id, "after": "lighter"}
    assert b"Glad I came" not in raw and b"Sunday circle" not in raw  # encrypted at rest
    # Outside the journal: that it happened and whether to ask tomorrow, never how they were.
    assert columns == {"id", "user_id", "session_id", "created_at", "timezone"} | {
        "remind_from",
        "dismissed_at",
    }
    assert check.remind_from is None and check.timezone == "Europe/Paris"


def test_nothing_chosen_still_keeps_an_entry(app, circle_session, logged_in_client):
    http = logged_in_client(circle_session["sky"])
    session_id = circle_session["session_id"]
    saved_entry_id(http.post(f"/sessions/{session_id}/after", data={"timezone": "UTC"}))
    with app.app_context():
        (entry,) = journal_of(circle_session["sky"].id)
    assert entry.context["after"] is None and entry.prompt == services.AFTER_PROMPT


@pytest.mark.parametrize("outcome", ["worse", "panicky", "numb"])
def test_a_hard_answer_brings_grounding_and_when_to_seek_help(
    circle_session, logged_in_client, outcome
):
    http = logged_in_client(circle_session["sky"])
    session_id = circle_session["session_id"]
    entry_id = saved_entry_id(
        http.post(f"/sessions/{session_id}/after", data={**AFTER, "after": outcome})
    )
    html = http.get(f"/sessions/{session_id}/after/saved/{entry_id}").get_data(as_text=True)
    assert "/help/grounding" in html and "/help/crisis" in html
    assert "/resources/when-to-reach-for-more-support" in html


def test_an_eased_answer_ends_kindly(circle_session, logged_in_client):
    http = logged_in_client(circle_session["sky"])
    session_id = circle_session["session_id"]
    entry_id = saved_entry_id(http.post(f"/sessions/{session_id}/after", data=AFTER))
    page = http.get(f"/sessions/{session_id}/after/saved/{entry_id}")
    assert page.headers["Cache-Control"] == "no-store"
    assert "It's in your journal" in page.get_data(as_text=True)


def test_people_outside_the_circle_get_404(circle_session, make_user, logged_in_client):
    stranger = logged_in_client(make_user("rain"))
    session_id = circle_session["session_id"]
    assert stranger.get(f"/sessions/{session_id}/after").status_code == 404
    assert stranger.post(f"/sessions/{session_id}/after", data=AFTER).status_code == 404
    mine = logged_in_client(circle_session["sky"])
    entry_id = saved_entry_id(mine.post(f"/sessions/{session_id}/after", data=AFTER))
    # The journal is nobody else's, whatever their role: even a site admin gets 404.
    admin = logged_in_client(make_user("ada", role="admin"))
    assert admin.get(f"/sessions/{session_id}/after/saved/{entry_id}").status_code == 404


@pytest.mark.parametrize(
    "changes",
    [{"after": "happy"}, {"timezone": "Mars/Olympus"}, {"notes": "n" * 20_001}, {"notes": "\x00"}],
)
def test_bad_answers_are_form_errors_never_500(circle_session, logged_in_client, changes):
    http = logged_in_client(circle_session["sky"])
    response = http.post(
        f"/sessions/{circle_session['session_id']}/after", data={**AFTER, **changes}
    )
    assert response.status_code == 400
    assert 'id="error-summary"' in response.get_data(as_text=True)


def test_a_locked_journal_asks_for_the_password(app, circle_session, logged_in_client):
    http = logged_in_client(circle_session["sky"])
    lock_journal(http)
    path = f"/sessions/{circle_session['session_id']}/after"
    refused = http.post(path, data=AFTER)
    assert refused.status_code == 400 and 'name="password"' in refused.get_data(as_text=True)
    saved_entry_id(http.post(path, data={**AFTER, "password": DEFAULT_PASSWORD}))


def _save(app, person, session_id, now, ask=True, timezone="Europe/Paris"):
    """Save an aftercare answer at `now` through the service."""
    with app.app_context():
        user = _db.session.get(User, person.id)
        vault = _vault_of(user)
        answer = services.Answer(after="calmer", ask_tomorrow=ask, timezone=timezone)
        services.save_aftercare(user, vault, session_id, answer, now=now)


def _vault_of(user):
    """The member's journal, opened with their password (tests only)."""
    from app.journal import keys
    from app.journal.crypto import Vault

    row, data_key = keys.ensure_key(user.id, DEFAULT_PASSWORD)
    return Vault(user_id=user.id, key_version=row.key_version, key=data_key)


def _card(app, person, now):
    with app.app_context():
        return services.next_day_card(_db.session.get(User, person.id), now=now)


def test_tomorrows_card_comes_the_next_local_day_and_lets_go_after_two(app, circle_session):
    sky = circle_session["sky"]
    sunday_evening = datetime(2026, 12, 6, 19, 30, tzinfo=UTC)  # 20:30 in Paris, a Sunday
    _save(app, sky, circle_session["session_id"], sunday_evening)
    assert _card(app, sky, sunday_evening + timedelta(hours=3)) is None  # 23:30 Paris: same day
    monday = _card(app, sky, datetime(2026, 12, 6, 23, 5, tzinfo=UTC))  # 00:05 Monday in Paris
    assert monday is not None and monday.weekday == "Sunday"
    assert _card(app, sky, datetime(2026, 12, 8, 22, 0, tzinfo=UTC)) is not None  # Tuesday
    assert _card(app, sky, datetime(2026, 12, 8, 23, 5, tzinfo=UTC)) is None  # Wednesday


def test_no_card_unless_asked(app, circle_session):
    sky = circle_session["sky"]
    evening = datetime(2026, 12, 6, 19, 30, tzinfo=UTC)
    _save(app, sky, circle_session["session_id"], evening, ask=False)
    assert _card(app, sky, evening + timedelta(days=1)) is None


def test_the_card_shows_on_home_and_can_be_put_away_by_its_owner_only(
    app, circle_session, make_user, logged_in_client
):
    sky = circle_session["sky"]
    _save(app, sky, circle_session["session_id"], utcnow() - timedelta(days=1), timezone="UTC")
    http = logged_in_client(sky)
    home = http.get("/").get_data(as_text=True)
    weekday = (utcnow() - timedelta(days=1)).strftime("%A")
    assert f"How are you today, after {weekday}'s circle?" in home
    check_id = int(re.search(r"/aftercare/(\d+)/dismiss", home).group(1))
    other = logged_in_client(make_user("rain"))
    assert other.post(f"/aftercare/{check_id}/dismiss").status_code == 404
    assert http.post(f"/aftercare/{check_id}/dismiss").status_code == 302
    assert "after-circle-title" not in http.get("/").get_data(as_text=True)


def test_aftercare_is_in_my_export_and_forgotten_with_my_account(
    app, circle_session, logged_in_client
):
    sky = circle_session["sky"]
    http = logged_in_client(sky)
    saved_entry_id(
        http.post(
            f"/sessions/{circle_session['session_id']}/after", data={**AFTER, "ask_tomorrow": "y"}
        )
    )
    document = http.get("/account/export").get_json()
    (row,) = document["aftercare"]
    assert row["asked_to_be_asked_tomorrow"] is True
    assert row["session_id"] == circle_session["session_id"]
    assert any(entry["title"].startswith("After the circle") for entry in document["journal"])
    response = http.post("/account/delete", data={"password": DEFAULT_PASSWORD, "confirm": "sky"})
    assert response.status_code == 302
    with app.app_context():
        assert _db.session.scalars(select(AftercareCheck)).all() == []
        assert _db.session.get(Circle, circle_session["circle_id"]) is not None
