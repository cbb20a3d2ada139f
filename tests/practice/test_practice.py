"""Solo practice: the guided page, the reflection saved to the journal, and gentle safety."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect, select

from app.extensions import db as _db
from app.practice.models import PracticeSession
from tests.conftest import DEFAULT_PASSWORD
from tests.support.routine import PRACTICE, journal_of, lock_journal


def saved_entry_id(response) -> int:
    """The entry id from the redirect after saving."""
    assert response.status_code == 302, response.status_code
    return int(re.search(r"/practice/saved/(\d+)", response.headers["Location"]).group(1))


def test_practice_needs_login(client):
    assert client.get("/practice").status_code == 302
    assert client.post("/practice", data=PRACTICE).status_code == 302
    assert client.get("/practice/saved/1").status_code == 302


def test_page_offers_intentions_presets_catalysts_and_help(make_user, logged_in_client):
    page = logged_in_client(make_user("sky")).get("/practice")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "I give myself permission to feel whatever arises." in html
    for preset in ("4-2-6", "4-0-8", "5-2-7"):
        assert f'value="{preset}"' in html
    assert "/resources/breathing-with-a-longer-out-breath" in html
    assert "/help/grounding" in html and "/help/crisis" in html
    assert "/resources/when-to-reach-for-more-support" in html
    assert 'name="notes"' in html and 'type="submit"' in html  # works as a plain form
    assert "/js/practice/main.js" in html and "<script>" not in html


def test_a_practice_becomes_an_encrypted_journal_entry_and_a_bare_history_row(
    app, make_user, logged_in_client
):
    sky = make_user("sky")
    http = logged_in_client(sky)
    own = {**PRACTICE, "intention_choice": "own", "intention_text": "Softly, today."}
    own["playlist_url"] = "https://music.example.org/list/42"
    entry_id = saved_entry_id(http.post("/practice", data=own))
    with app.app_context():
        (entry,) = journal_of(sky.id)
        rows = _db.session.scalars(select(PracticeSession)).all()
        columns = {c["name"] for c in inspect(_db.engine).get_columns("practice_sessions")}
    assert entry.id == entry_id and entry.title == "Solo practice"
    assert "Softly, today." in entry.body and "calmer" in entry.body and "heavy" in entry.body
    assert "https://music.example.org/list/42" in entry.body
    assert "The wave came and went like weather." in entry.body
    assert entry.context["kind"] == "practice"
    assert entry.context["after"] == "calmer" and entry.context["duration_seconds"] == 720
    assert set(entry.feelings) == {"heavy", "calmer"}
    assert [(r.user_id, r.duration_seconds, r.preset) for r in rows] == [(sky.id, 720, "4-2-6")]
    # History keeps when and how long, nothing of what was felt or intended.
    assert columns == {"id", "user_id", "started_at", "duration_seconds", "preset", "created_at"}
    shown = http.get(f"/journal/{entry_id}").get_data(as_text=True)
    assert "Softly, today." in shown


def test_an_eased_practice_ends_kindly(make_user, logged_in_client):
    http = logged_in_client(make_user("sky"))
    entry_id = saved_entry_id(http.post("/practice", data=PRACTICE))
    html = http.get(f"/practice/saved/{entry_id}").get_data(as_text=True)
    assert "Your reflection is saved" in html and "grounding exercise" not in html


@pytest.mark.parametrize("outcome", ["worse", "panicky", "numb"])
def test_a_hard_practice_offers_grounding_and_more_support(make_user, logged_in_client, outcome):
    http = logged_in_client(make_user("sky"))
    entry_id = saved_entry_id(http.post("/practice", data={**PRACTICE, "after": outcome}))
    html = http.get(f"/practice/saved/{entry_id}").get_data(as_text=True)
    assert "/help/grounding" in html
    assert "/resources/when-to-reach-for-more-support" in html
    assert "/help/crisis" in html


def test_nobody_else_sees_my_saved_page(make_user, logged_in_client):
    mine = logged_in_client(make_user("sky"))
    entry_id = saved_entry_id(mine.post("/practice", data=PRACTICE))
    other = logged_in_client(make_user("rain", role="admin"))
    assert other.get(f"/practice/saved/{entry_id}").status_code == 404


@pytest.mark.parametrize(
    "changes",
    [
        {"after": ""},
        {"after": "happy"},
        {"preset": "9-9-9"},
        {"before": "furious"},
        {"prompt": "nope-1"},
        {"intention_choice": "own", "intention_text": ""},
        {"intention_choice": "missing"},
        {"intention_choice": "own", "intention_text": "x" * 201},
        {"intention_choice": "own", "intention_text": "line\nbreak"},
        {"intention_choice": "own", "intention_text": "nul\x00"},
        {"minutes": "-5"},
        {"minutes": "many"},
        {"minutes": "100000"},
        {"playlist_url": "javascript:alert(1)"},
        {"playlist_url": "ftp://files.example.org/a"},
        {"playlist_url": "https://"},
        {"playlist_url": "https://exa mple.org"},
        {"playlist_url": "https://example.org/" + "a" * 600},
        {"notes": "n" * 20_001},
        {"notes": "nul\x00"},
    ],
)
def test_bad_reflections_are_form_errors_never_500(make_user, logged_in_client, changes):
    http = logged_in_client(make_user("sky"))
    response = http.post("/practice", data={**PRACTICE, **changes})
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)


def test_a_locked_journal_asks_for_the_password_and_keeps_the_reflection(
    app, make_user, logged_in_client
):
    sky = make_user("sky")
    http = logged_in_client(sky)
    lock_journal(http)
    page = http.get("/practice").get_data(as_text=True)
    assert "journal is locked" in page and 'name="password"' in page
    refused = http.post("/practice", data=PRACTICE)
    assert refused.status_code == 400
    assert "The wave came and went like weather." in refused.get_data(as_text=True)
    wrong = http.post("/practice", data={**PRACTICE, "password": "not my password"})
    assert wrong.status_code == 400
    assert "didn&#39;t open your journal" in wrong.get_data(as_text=True)
    saved_entry_id(http.post("/practice", data={**PRACTICE, "password": DEFAULT_PASSWORD}))
    with app.app_context():
        assert [e.title for e in journal_of(sky.id)] == ["Solo practice"]


def test_reduce_motion_preference_reaches_the_page(make_user, logged_in_client):
    http = logged_in_client(make_user("sky"))
    assert "reduce-motion" not in http.get("/practice").get_data(as_text=True)
    http.post("/account", data={"display_name": "Sky", "share_typing": "y", "reduce_motion": "y"})
    assert 'class=" reduce-motion"' in http.get("/practice").get_data(as_text=True)
