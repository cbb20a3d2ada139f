"""My data: settings, and an export that holds exactly my data and nothing of anyone else."""

from __future__ import annotations

import json

import pytest

from app.auth.models import UserPreferences
from app.extensions import db as _db
from app.journal.sessions import current_vault  # noqa: F401  (the export reads the live vault)
from app.live.presence.services import preferences_dict
from tests.live.conftest import ack
from tests.support.routine import PRACTICE, lock_journal

SETTINGS = {"display_name": "Quiet River", "share_typing": "", "reduce_motion": "y"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/account"),
        ("post", "/account"),
        ("get", "/account/export"),
        ("get", "/account/delete"),
        ("post", "/account/delete"),
    ],
)
def test_my_data_needs_login(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_settings_change_name_typing_and_motion_everywhere(app, make_user, logged_in_client):
    sky = make_user("sky")
    http = logged_in_client(sky)
    page = http.get("/account").get_data(as_text=True)
    assert '<input checked id="share_typing"' in page
    assert http.post("/account", data=SETTINGS).status_code == 302
    with app.app_context():
        assert preferences_dict(sky.id) == {
            "share_typing": False,
            "collapse_content_warnings": False,
            "reduce_motion": True,
            "country": "",
        }
    html = http.get("/").get_data(as_text=True)
    assert "Hello, Quiet River." in html and "reduce-motion" in html


@pytest.mark.parametrize("name", ["", " ", "x" * 41, "bidi\u202eoverride", "two\nlines", "nul\x00"])
def test_bad_display_names_are_form_errors(make_user, logged_in_client, name):
    http = logged_in_client(make_user("sky"))
    response = http.post("/account", data={**SETTINGS, "display_name": name})
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)


@pytest.fixture
def two_people(app, make_user, make_circle, make_session, logged_in_client, socket_client):
    """Alice and Bob in one circle, each with messages, a journal entry and a practice."""
    alice = make_user("alice", display_name="Alice Moonfield")
    bob = make_user("bob", display_name="Bob Stonebridge")
    circle = make_circle(alice, [bob], name="Shared circle")
    session = make_session(circle)
    clients = {}
    for person, words in ((alice, "alice-says-willow"), (bob, "bob-says-heron")):
        http = logged_in_client(person)
        clients[person.username] = http
        sock = socket_client(person, http_client=http)
        assert ack(sock, "session:join", {"session_id": session.id})["ok"]
        sent = ack(
            sock,
            "message:send",
            {"session_id": session.id, "client_id": f"{words}-1", "body": words},
        )
        assert sent["ok"], sent
        secret = f"{person.username}-journal-secret"
        http.post("/journal/new", data={"title": secret, "body": secret, "tags": "mine"})
        http.post("/practice", data={**PRACTICE, "notes": f"{person.username}-practice-notes"})
        http.post(
            "/week/plans",
            data={"kind": "journal", "weekdays": ["2"], "time_of_day": "21:00", "timezone": "UTC"},
        )
        sock.disconnect()
    return alice, bob, circle, session, clients


def keys_in(document) -> set[str]:
    """Every key of every dict in a JSON document."""
    found = set()
    if isinstance(document, dict):
        for key, value in document.items():
            found.add(key)
            found |= keys_in(value)
    elif isinstance(document, list):
        for item in document:
            found |= keys_in(item)
    return found


def test_export_holds_exactly_my_data_and_nothing_of_anyone_else(two_people):
    *_, clients = two_people
    response = clients["bob"].get("/account/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.get_data(as_text=True)
    document = json.loads(text)
    assert document["profile"]["username"] == "bob"
    assert document["profile"]["display_name"] == "Bob Stonebridge"
    assert [m["body"] for m in document["messages"]] == ["bob-says-heron"]
    assert document["messages"][0]["circle_name"] == "Shared circle"
    assert [m["circle_name"] for m in document["memberships"]] == ["Shared circle"]
    titles = {entry["title"] for entry in document["journal"]}
    assert titles == {"bob-journal-secret", "Solo practice"}
    practice = next(e for e in document["journal"] if e["title"] == "Solo practice")
    assert practice["practice"]["after"] == "calmer"
    assert "bob-practice-notes" in practice["body"]
    assert [p["duration_seconds"] for p in document["practice_history"]] == [720]
    assert document["planned_practices"][0]["time_of_day"] == "21:00"
    assert document["preferences"]["share_typing"] is True
    for foreign in (
        "alice",
        "Alice Moonfield",
        "alice-says-willow",
        "alice-journal-secret",
        "alice-practice-notes",
    ):
        assert foreign not in text
    # No person is named by id anywhere: not me, and above all not anyone else.
    assert not keys_in(document) & {"user_id", "author_id", "author", "reporter_id", "holder_id"}


def test_export_asks_to_open_a_locked_journal_first(make_user, logged_in_client):
    http = logged_in_client(make_user("sky"))
    lock_journal(http)
    response = http.get("/account/export")
    assert response.status_code == 302
    assert "/journal/unlock" in response.headers["Location"]
    assert "next=/account/export" in response.headers["Location"].replace("%2F", "/")


def test_preferences_row_is_created_only_when_changed(app, make_user, logged_in_client):
    sky = make_user("sky")
    logged_in_client(sky).get("/account")
    with app.app_context():
        assert _db.session.get(UserPreferences, sky.id) is None


def test_content_noted_messages_are_folded_unless_i_ask_otherwise(app, make_user, logged_in_client):
    sky = make_user("sky")
    with app.app_context():
        assert preferences_dict(sky.id)["collapse_content_warnings"] is True
    http = logged_in_client(sky)
    assert '<input checked id="collapse_content_warnings"' in http.get("/account").get_data(
        as_text=True
    )
