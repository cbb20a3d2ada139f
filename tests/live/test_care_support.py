"""'I need support': the facilitators alone are told; the member gets help at once."""

from __future__ import annotations

from sqlalchemy import select

from app.circles.models import Membership
from app.core.database import utcnow
from app.extensions import db
from app.safety.models import SafetyAlert
from tests.live.conftest import ack, received


def add_member(app, room, user, role="member"):
    """Add an approved member (or facilitator) to the room's circle."""
    with app.app_context():
        db.session.add(
            Membership(
                circle_id=room.circle.id,
                user_id=user.id,
                role=role,
                status="approved",
                agreements_accepted_at=utcnow(),
            )
        )
        db.session.commit()


def test_support_reaches_the_facilitators_and_nobody_else(app, make_user, room):
    holder = room.join(room.facilitator)
    alice = room.join(room.alice)
    bob = room.join(room.bob)
    for sock in (holder, alice, bob):
        sock.get_received()
    answer = ack(alice, "support:request", {"session_id": room.session.id, "note": "heavy day"})
    assert answer["ok"] is True
    assert 2 <= len(answer["resources"]) <= 3 and answer["grounding_url"] == "/help/grounding"
    [alert] = received(holder, "support:alert")
    assert alert["user_id"] == room.alice.id and alert["display_name"] == "Alice"
    assert alert["note"] == "heavy day" and alert["kind"] == "request" and alert["at"]
    assert bob.get_received() == []
    assert alice.get_received() == []


def test_a_moderator_present_is_told_too_but_not_one_elsewhere(make_user, room, socket_client):
    here = room.join(make_user("mod_here", role="moderator"))
    away = socket_client(make_user("mod_away", role="moderator"))
    alice = room.join(room.alice)
    ack(alice, "support:request", {"session_id": room.session.id})
    assert len(received(here, "support:alert")) == 1
    assert received(away, "support:alert") == []


def test_support_note_is_optional_and_stored_for_late_facilitators(app, room):
    alice = room.join(room.alice)
    assert ack(alice, "support:request", {"session_id": room.session.id})["ok"]
    holder = room.join(room.facilitator)
    state = ack(holder, "care:state", {"session_id": room.session.id})
    [alert] = state["alerts"]
    assert alert["kind"] == "request" and alert["note"] is None
    assert alert["user_id"] == room.alice.id


def test_a_repeated_request_inside_a_minute_does_not_ping_again(app, room):
    holder = room.join(room.facilitator)
    alice = room.join(room.alice)
    for _ in range(3):
        assert ack(alice, "support:request", {"session_id": room.session.id})["ok"]
    assert len(received(holder, "support:alert")) == 1
    with app.app_context():
        assert len(db.session.scalars(select(SafetyAlert)).all()) == 1


def test_someone_in_the_waiting_room_can_still_ask(make_session, room, socket_client):
    waiting = make_session(room.circle, waiting_room=True)
    holder = room.join(room.facilitator)
    alice = socket_client(room.alice)
    assert ack(alice, "session:join", {"session_id": waiting.id})["error"]["code"] == "waiting"
    assert ack(alice, "support:request", {"session_id": waiting.id})["ok"] is True
    assert len(received(holder, "support:alert")) == 1


def test_outsiders_cannot_send_support_requests(make_user, room, socket_client):
    stranger = socket_client(make_user("stranger"))
    answer = ack(stranger, "support:request", {"session_id": room.session.id})
    assert answer["error"]["code"] == "not_found"


def test_a_note_over_500_characters_is_invalid(room):
    alice = room.join(room.alice)
    answer = ack(alice, "support:request", {"session_id": room.session.id, "note": "x" * 501})
    assert answer["error"]["code"] == "invalid"
