"""Risk language: delivered as usual; resources to the author alone; a private alert."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.safety.models import SafetyAlert
from tests.live.conftest import ack, received
from tests.support.factories import store_unannounced


def _send(sock, room, body, client_id="c1"):
    """Send a message and return its ack."""
    payload = {"session_id": room.session.id, "client_id": client_id, "body": body}
    return ack(sock, "message:send", payload)


def _everyone(room):
    """Holder, Alice and Bob joined, with nothing left unread."""
    socks = [room.join(person) for person in (room.facilitator, room.alice, room.bob)]
    for sock in socks:
        sock.get_received()
    return socks


def test_risk_language_reaches_the_author_and_facilitators_only(app, room):
    holder, alice, bob = _everyone(room)
    sent = _send(alice, room, "I want to die")
    assert sent["ok"] is True
    message_id = sent["message"]["id"]

    to_alice = alice.get_received()
    assert [event["name"] for event in to_alice] == ["message:new", "safety:resources"]
    resources = to_alice[1]["args"][0]["resources"]
    assert 2 <= len(resources) <= 3 and all({"name", "contact", "url"} <= set(r) for r in resources)

    to_holder = holder.get_received()
    assert [event["name"] for event in to_holder] == ["message:new", "support:alert"]
    alert = to_holder[1]["args"][0]
    assert alert["kind"] == "risk_language" and alert["message_id"] == message_id
    assert alert["user_id"] == room.alice.id and "die" not in str(alert)

    assert [event["name"] for event in bob.get_received()] == ["message:new"]


def test_a_safe_message_raises_nothing(app, room):
    holder, alice, _ = _everyone(room)
    _send(alice, room, "I was killing it at work today, dying to see you all")
    assert [e["name"] for e in alice.get_received()] == ["message:new"]
    assert [e["name"] for e in holder.get_received()] == ["message:new"]
    with app.app_context():
        assert db.session.scalar(select(SafetyAlert)) is None


def test_the_alert_is_stored_without_the_text_for_late_facilitators(app, room):
    alice = room.join(room.alice)
    message_id = _send(alice, room, "I keep thinking about killing myself")["message"]["id"]
    with app.app_context():
        alert = db.session.scalar(select(SafetyAlert))
        assert (alert.kind, alert.message_id, alert.user_id) == (
            "risk_language",
            message_id,
            room.alice.id,
        )
        assert alert.note == "" and alert.state == "open"
    holder = room.join(room.facilitator)
    [open_alert] = ack(holder, "care:state", {"session_id": room.session.id})["alerts"]
    assert open_alert["message_id"] == message_id


def test_a_retried_send_does_not_alert_twice(app, room):
    holder, alice, _ = _everyone(room)
    _send(alice, room, "I want to die", client_id="same")
    _send(alice, room, "I want to die", client_id="same")
    assert len(received(holder, "support:alert")) == 1


def test_a_retry_raises_the_alert_a_killed_process_never_raised(app, room):
    """Stored, then the process died before its risk check: the retry runs the check once."""
    holder, alice, _ = _everyone(room)
    with app.app_context():
        stored = store_unannounced(room.alice.id, room.session.id, "I want to die", "same")
    _send(alice, room, "I want to die", client_id="same")
    [alert] = received(holder, "support:alert")
    assert alert["message_id"] == stored["id"]
    assert len(received(alice, "safety:resources")) == 1
    _send(alice, room, "I want to die", client_id="same")
    assert received(holder, "support:alert") == []
    with app.app_context():
        assert len(db.session.scalars(select(SafetyAlert)).all()) == 1


def test_a_facilitator_dismisses_a_false_positive_once_audited(app, room):
    holder, alice, bob = _everyone(room)
    message_id = _send(alice, room, "I want to die")["message"]["id"]
    for sock in (holder, alice, bob):
        sock.get_received()
    assert ack(holder, "safety:dismiss", {"message_id": message_id})["ok"] is True
    [dismissed] = received(holder, "safety:dismissed")
    assert dismissed["message_id"] == message_id
    assert alice.get_received() == [] and bob.get_received() == []
    with app.app_context():
        alert = db.session.scalar(select(SafetyAlert))
        assert alert.state == "dismissed" and alert.state_by_id == room.facilitator.id
        [entry] = db.session.scalars(select(AuditEntry)).all()
        assert (entry.actor_id, entry.action, entry.target_message_id) == (
            room.facilitator.id,
            "safety:dismiss",
            message_id,
        )
    again = ack(holder, "safety:dismiss", {"message_id": message_id})
    assert again["ok"] is True and again.get("already") is True
    with app.app_context():
        assert len(db.session.scalars(select(AuditEntry)).all()) == 1
    assert ack(holder, "care:state", {"session_id": room.session.id})["alerts"] == []


def test_members_may_not_dismiss_and_learn_nothing(app, room, make_user, socket_client):
    _, alice, bob = _everyone(room)
    flagged = _send(alice, room, "I want to die", client_id="a")["message"]["id"]
    calm = _send(alice, room, "Thank you all", client_id="b")["message"]["id"]
    # The same answer whether or not a message raised an alert.
    assert ack(bob, "safety:dismiss", {"message_id": flagged})["error"]["code"] == "forbidden"
    assert ack(bob, "safety:dismiss", {"message_id": calm})["error"]["code"] == "forbidden"
    assert ack(bob, "safety:dismiss", {"alert_id": 1})["error"]["code"] == "not_found"
    stranger = socket_client(make_user("stranger"))
    assert ack(stranger, "safety:dismiss", {"message_id": flagged})["error"]["code"] == (
        "not_found"
    )
    with app.app_context():
        assert db.session.scalar(select(SafetyAlert)).state == "open"
        assert db.session.scalar(select(AuditEntry)) is None


def test_a_moderator_may_dismiss_a_support_request_by_alert_id(app, room, make_user):
    moderator = room.join(make_user("mod", role="moderator"))
    alice = room.join(room.alice)
    ack(alice, "support:request", {"session_id": room.session.id})
    [alert] = received(moderator, "support:alert")
    answer = ack(moderator, "safety:dismiss", {"alert_id": alert["alert_id"]})
    assert answer["ok"] is True
    with app.app_context():
        [entry] = db.session.scalars(select(AuditEntry)).all()
        assert entry.action == "support:dismiss" and entry.target_user_id == room.alice.id


def test_dismiss_needs_exactly_one_id(room):
    holder = room.join(room.facilitator)
    for payload in ({}, {"message_id": 1, "alert_id": 1}, {"message_id": True}):
        assert ack(holder, "safety:dismiss", payload)["error"]["code"] == "invalid"
