"""Deleting my account: clear confirmation, every login ended, journal shredded, a former member."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import LoginSession, User
from app.circles.models import CircleSession, Membership
from app.core.database import utcnow
from app.extensions import db as _db
from app.extensions import socketio
from app.journal import keys
from app.journal.crypto import DecryptionError, Vault
from app.journal.models import JournalEntry, JournalKey, JournalSessionKey
from app.live.models import Message
from app.practice.models import PracticeSession
from app.week.models import PlannedPractice
from tests.conftest import DEFAULT_PASSWORD, AuthActions
from tests.live.conftest import ack


@pytest.fixture
def circle_of_two(make_user, make_circle, make_session, logged_in_client, socket_client):
    """Holder facilitates; Alice (about to leave) and Bob are members; each said something."""
    holder = make_user("holder", display_name="Holder")
    alice = make_user("alice", display_name="Alice Moonfield")
    bob = make_user("bob", display_name="Bob")
    circle = make_circle(holder, [alice, bob])
    session = make_session(circle)
    alice_http = logged_in_client(alice)
    alice_sock = socket_client(alice, http_client=alice_http)
    assert ack(alice_sock, "session:join", {"session_id": session.id})["ok"]
    payload = {"session_id": session.id, "client_id": "a-1", "body": "alice-was-here"}
    assert ack(alice_sock, "message:send", payload)["ok"]
    alice_http.post("/journal/new", data={"title": "alice-secret", "body": "alice-secret-body"})
    alice_http.post(
        "/week/plans",
        data={"kind": "practice", "weekdays": ["1"], "time_of_day": "20:00", "timezone": "UTC"},
    )
    alice_http.post("/week/calendar")
    return {
        "alice": alice,
        "bob": bob,
        "holder": holder,
        "session": session,
        "circle": circle,
        "alice_http": alice_http,
        "alice_sock": alice_sock,
    }


def delete(http, username="alice", password=DEFAULT_PASSWORD, **extra):
    """POST the deletion form."""
    return http.post("/account/delete", data={"password": password, "confirm": username, **extra})


def test_confirmation_page_says_what_will_happen(make_user, logged_in_client):
    html = logged_in_client(make_user("sky")).get("/account/delete").get_data(as_text=True)
    assert "journal is destroyed" in html and "a former member" in html
    assert 'name="remove_messages"' in html and 'name="confirm"' in html


@pytest.mark.parametrize(
    "data",
    [
        {"password": "not my password", "confirm": "sky"},
        {"password": DEFAULT_PASSWORD, "confirm": "someone-else"},
        {"password": DEFAULT_PASSWORD, "confirm": ""},
        {"password": "", "confirm": "sky"},
        {"password": "p" * 300, "confirm": "sky"},
        {"password": DEFAULT_PASSWORD, "confirm": "s" * 80},
        {"password": DEFAULT_PASSWORD, "confirm": "sky\x00"},
    ],
)
def test_nothing_is_deleted_without_password_and_username(app, make_user, logged_in_client, data):
    sky = make_user("sky")
    http = logged_in_client(sky)
    response = http.post("/account/delete", data=data)
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert http.get("/account").status_code == 200
    with app.app_context():
        assert _db.session.get(User, sky.id).deleted_at is None


def test_after_deletion_login_fails_and_old_cookies_are_dead(app, circle_of_two, socket_client):
    alice, alice_http, alice_sock = (
        circle_of_two["alice"],
        circle_of_two["alice_http"],
        circle_of_two["alice_sock"],
    )
    second_device = app.test_client()
    assert AuthActions(second_device).login("alice").status_code == 302
    response = delete(alice_http, confirm="ALICE")  # the username is matched case-insensitively
    assert response.status_code == 302
    assert not alice_sock.is_connected()
    for old in (alice_http, second_device):
        answer = old.get("/account")
        assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]
        assert not socketio.test_client(app, flask_test_client=old).is_connected()
    assert AuthActions(app.test_client()).login("alice").status_code != 302
    with app.app_context():
        assert (
            _db.session.scalar(
                select(func.count(LoginSession.id)).where(LoginSession.user_id == alice.id)
            )
            == 0
        )
        row = _db.session.get(User, alice.id)
        assert row.display_name == "a former member" and row.username != "alice"
        assert row.deleted_at is not None


def test_journal_ciphertext_is_unreadable_with_anything_left(app, circle_of_two):
    alice = circle_of_two["alice"]
    with app.app_context():
        (entry,) = _db.session.scalars(select(JournalEntry).where(JournalEntry.user_id == alice.id))
        snapshot = (entry.id, bytes(entry.body), entry.key_version, entry.created_at)
    assert delete(circle_of_two["alice_http"]).status_code == 302
    with app.app_context():
        for model in (JournalEntry, JournalKey, JournalSessionKey):
            count = select(func.count()).select_from(model).where(model.user_id == alice.id)
            assert _db.session.scalar(count) == 0
        # Every key the server still holds belongs to someone else and opens nothing of hers.
        bob_row, bob_key = keys.ensure_key(circle_of_two["bob"].id, DEFAULT_PASSWORD)
        for user_id in (alice.id, circle_of_two["bob"].id):
            vault = Vault(user_id=user_id, key_version=bob_row.key_version, key=bob_key)
            with pytest.raises(DecryptionError):
                vault.open_field(
                    snapshot[0], "body", snapshot[1], snapshot[2], created_at=snapshot[3]
                )
    dump = json.dumps([str(row) for row in _all_text(app)])
    assert "alice-secret" not in dump


def _all_text(app):
    """Every text column of every row, as a crude database dump."""
    rows = []
    with app.app_context():
        for table in _db.metadata.sorted_tables:
            rows += [tuple(r) for r in _db.session.execute(table.select())]
    return rows


def test_messages_stay_as_a_former_member_in_history_and_others_exports(
    app, circle_of_two, socket_client, logged_in_client
):
    assert delete(circle_of_two["alice_http"]).status_code == 302
    bob_http = logged_in_client(circle_of_two["bob"])
    bob = socket_client(circle_of_two["bob"], http_client=bob_http)
    answer = ack(bob, "session:join", {"session_id": circle_of_two["session"].id})
    assert answer["ok"]
    (message,) = answer["messages"]
    assert message["body"] == "alice-was-here"
    assert message["author"]["display_name"] == "a former member"
    export = bob_http.get("/account/export").get_data(as_text=True)
    assert "Alice Moonfield" not in export and "alice-was-here" not in export


def test_i_may_take_my_messages_with_me(app, circle_of_two, socket_client):
    response = delete(circle_of_two["alice_http"], remove_messages="y")
    assert response.status_code == 302
    bob = socket_client(circle_of_two["bob"])
    answer = ack(bob, "session:join", {"session_id": circle_of_two["session"].id})
    assert answer["messages"] == []
    with app.app_context():
        assert _db.session.scalar(select(func.count(Message.id))) == 0


def test_everything_about_me_is_gone_and_my_username_is_free(app, circle_of_two, auth):
    alice = circle_of_two["alice"]
    assert delete(circle_of_two["alice_http"]).status_code == 302
    with app.app_context():
        for model in (Membership, PlannedPractice, PracticeSession):
            count = select(func.count()).select_from(model).where(model.user_id == alice.id)
            assert _db.session.scalar(count) == 0
    assert auth.register("alice").status_code == 302


def test_the_last_facilitator_is_warned_and_the_circle_stops_meeting(
    app, make_user, make_circle, make_session, logged_in_client
):
    holder, member = make_user("holder"), make_user("member")
    circle = make_circle(holder, [member], name="Held alone")
    later = make_session(circle, state="scheduled", starts_at=utcnow() + timedelta(days=2))
    http = logged_in_client(holder)
    page = http.get("/account/delete").get_data(as_text=True)
    assert "only facilitator" in page and "Held alone" in page
    assert delete(http, username="holder").status_code == 302
    with app.app_context():
        assert _db.session.get(CircleSession, later.id).cancelled_at is not None
    html = logged_in_client(member).get(f"/circles/{circle.id}").get_data(as_text=True)
    assert "Held alone" in html


def test_a_co_facilitated_circle_needs_no_warning(app, make_user, make_circle, logged_in_client):
    holder, other = make_user("holder"), make_user("other")
    circle = make_circle(holder, [other])
    with app.app_context():
        row = _db.session.scalar(select(Membership).where(Membership.user_id == other.id))
        row.role = "facilitator"
        _db.session.commit()
    page = logged_in_client(holder).get("/account/delete").get_data(as_text=True)
    assert "only facilitator" not in page
    assert circle.id


def test_my_support_requests_and_their_notes_are_in_my_export_and_gone_with_me(app, circle_of_two):
    """Issue 25: deletion left the person's support notes and alert rows behind."""
    from app.safety.models import SafetyAlert

    alice_http, sock = circle_of_two["alice_http"], circle_of_two["alice_sock"]
    session = circle_of_two["session"]
    note = "it-is-heavy-tonight"
    assert ack(sock, "support:request", {"session_id": session.id, "note": note})["ok"]
    exported = alice_http.get("/account/export").get_json()
    assert [r["note"] for r in exported["support_requests"]] == [note]
    assert exported["support_requests"][0]["session_title"] == session.title
    assert delete(alice_http).status_code == 302
    with app.app_context():
        assert _db.session.query(SafetyAlert).count() == 0
    assert note not in _all_text(app)
