"""Who may be in a session's room, and what joining answers."""

from __future__ import annotations

import pytest

from app.extensions import socketio
from tests.live.conftest import ack, received


@pytest.fixture
def circle_people(make_user, make_circle, make_session):
    """A circle with every kind of relationship to it, and one live session."""
    people = {
        "facilitator": make_user("facil", display_name="Facil"),
        "member": make_user("member"),
        "pending": make_user("pending"),
        "banned": make_user("banned"),
        "outsider": make_user("outsider"),
        "other_facilitator": make_user("otherfacil"),
        "moderator": make_user("mod", role="moderator"),
        "admin": make_user("admin", role="admin"),
    }
    circle = make_circle(
        people["facilitator"],
        [people["member"]],
        pending=[people["pending"]],
        banned=[people["banned"]],
    )
    make_circle(people["other_facilitator"], name="Another circle")
    return people, make_session(circle)


@pytest.mark.parametrize(
    ("who", "outcome", "role"),
    [
        ("facilitator", "ok", "facilitator"),
        ("member", "ok", "member"),
        ("moderator", "ok", "moderator"),
        ("admin", "ok", "moderator"),
        ("pending", "not_found", None),
        ("outsider", "not_found", None),
        ("other_facilitator", "not_found", None),
        ("banned", "banned", None),
    ],
)
def test_who_may_join_a_session(circle_people, socket_client, who, outcome, role):
    people, session = circle_people
    sock = socket_client(people[who])
    answer = ack(sock, "session:join", {"session_id": session.id})
    if outcome == "ok":
        assert answer["ok"] is True
        assert answer["you"]["role"] == role
        assert answer["session"]["id"] == session.id
    else:
        assert answer == {
            "ok": False,
            "error": {"code": outcome, "message": answer["error"]["message"]},
        }
        assert answer["error"]["message"]
    assert sock.is_connected()


def test_anonymous_cannot_even_connect(app, client, circle_people):
    sock = socketio.test_client(app, flask_test_client=client)
    assert not sock.is_connected()


def test_unknown_session_is_not_found(room, socket_client):
    sock = socket_client(room.alice)
    assert ack(sock, "session:join", {"session_id": 999999})["error"]["code"] == "not_found"


def test_join_answers_with_session_you_members_history_and_hands(room):
    alice = room.join(room.alice)
    ack(alice, "message:send", {"session_id": room.session.id, "client_id": "a1", "body": "hi"})
    bob_sock = room.join(room.bob)
    ack(bob_sock, "session:leave", {"session_id": room.session.id})
    answer = ack(bob_sock, "session:join", {"session_id": room.session.id})
    assert answer["ok"]
    assert answer["session"] == {
        "id": room.session.id,
        "circle_id": room.circle.id,
        "title": "Thursday evening",
        "state": "live",
        "phase": "arrival",
        "locked": False,
        "slow_mode_seconds": 0,
        "talking_piece": False,
        "holder_id": None,
        "breath": None,
    }
    assert answer["you"] == {
        "user_id": room.bob.id,
        "display_name": "Bob",
        "role": "member",
        "hand_raised": False,
        "muted_until": None,
    }
    assert [m["display_name"] for m in answer["members"]] == ["Alice", "Bob"]
    assert [m["body"] for m in answer["messages"]] == ["hi"]
    assert answer["hands"] == []


def test_joining_announces_presence_to_the_room(room):
    alice = room.join(room.alice)
    room.join(room.bob)
    presence = received(alice, "presence")
    assert [m["display_name"] for m in presence[-1]["members"]] == ["Alice", "Bob"]


def test_leaving_and_disconnecting_update_presence(room):
    alice = room.join(room.alice)
    bob = room.join(room.bob)
    alice.get_received()
    assert ack(bob, "session:leave", {"session_id": room.session.id}) == {"ok": True}
    assert [m["display_name"] for m in received(alice, "presence")[-1]["members"]] == ["Alice"]
    bob = room.join(room.bob)
    alice.get_received()
    bob.disconnect()
    assert [m["display_name"] for m in received(alice, "presence")[-1]["members"]] == ["Alice"]


def test_two_tabs_of_one_person_are_one_member(room, socket_client):
    room.join(room.alice)
    second = socket_client(room.alice)
    answer = ack(second, "session:join", {"session_id": room.session.id})
    assert [m["display_name"] for m in answer["members"]] == ["Alice"]


def test_history_is_the_last_fifty_visible_messages_oldest_first(app, room):
    from app.core.database import utcnow
    from app.extensions import db
    from app.live.models import Message

    alice = room.join(room.alice)
    for n in range(60):
        payload = {"session_id": room.session.id, "client_id": f"c{n}", "body": f"m{n}"}
        sent = ack(alice, "message:send", payload)
        assert sent["ok"], sent
    with app.app_context():
        hidden = db.session.query(Message).filter_by(client_id="c59").one()
        hidden.hidden_at = utcnow()
        db.session.commit()
    answer = ack(room.join(room.bob), "session:join", {"session_id": room.session.id})
    bodies = [m["body"] for m in answer["messages"]]
    assert bodies == [f"m{n}" for n in range(9, 59)]


class TestWaitingRoom:
    """Members wait until admitted; facilitators and moderators walk straight in."""

    def test_member_waits_until_admitted(self, room, make_session, socket_client):
        from app.live import rooms

        session = make_session(room.circle, waiting_room=True)
        sock = socket_client(room.alice)
        answer = ack(sock, "session:join", {"session_id": session.id})
        assert answer["error"]["code"] == "waiting"
        assert rooms.state.waiting(session.id) == [room.alice.id]
        sent = ack(sock, "message:send", {"session_id": session.id, "client_id": "x", "body": "hi"})
        assert sent["error"]["code"] == "waiting"
        keeper = socket_client(room.facilitator)
        payload = {"session_id": session.id, "user_id": room.alice.id}
        assert ack(keeper, "member:admit", payload)["ok"]
        assert ack(sock, "session:join", {"session_id": session.id})["ok"]
        assert rooms.state.waiting(session.id) == []

    def test_facilitator_does_not_wait(self, room, make_session, socket_client):
        session = make_session(room.circle, waiting_room=True)
        sock = socket_client(room.facilitator)
        assert ack(sock, "session:join", {"session_id": session.id})["ok"]


@pytest.fixture
def held_presence(app, monkeypatch):
    """Presence coalesced as the server runs it, its runners held (they would run later)."""
    from app.live.presence import services as presence

    monkeypatch.setattr(
        presence, "announcer", presence.make_announcer(app, spawn=lambda fn, *args: None)
    )


@pytest.fixture
def steps(app, monkeypatch):
    """What the server does, in order: "database" for each statement and commit, "room read"
    for each read of who is in a room."""
    from sqlalchemy import event

    from app.extensions import db
    from app.live import rooms

    done: list[str] = []
    with app.app_context():
        engine = db.engine
    read = rooms.state.members

    def statement(*args):
        done.append("database")

    def members(session_id):
        done.append("room read")
        return read(session_id)

    monkeypatch.setattr(rooms.state, "members", members)
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", statement)
    yield done
    event.remove(engine, "before_cursor_execute", statement)
    event.remove(engine, "commit", statement)


def test_the_join_ack_reads_the_room_after_the_last_database_call(
    room, socket_client, held_presence, steps
):
    """On one server nothing may yield between reading who is here and sending the ack, or a
    newer `presence` can reach the joiner first and the ack's older list stays on screen (seen
    in CI: 2 of 200 joiners kept a list without the last arrivals). The handler waits on the
    database, so the room is read after its last statement and the end of its transaction."""
    room.join(room.alice)
    sock = socket_client(room.bob)
    steps.clear()
    answer = ack(sock, "session:join", {"session_id": room.session.id})
    assert [m["display_name"] for m in answer["members"]] == ["Alice", "Bob"]
    assert "database" in steps and "room read" in steps, steps
    assert "database" not in steps[steps.index("room read") :], steps


def test_someone_arriving_while_the_history_loads_is_in_the_join_ack(
    room, socket_client, held_presence, monkeypatch
):
    """Alice arrives on another server greenlet while Bob's history is read: Bob's ack has her."""
    from app.live import rooms
    from app.live.presence import services as presence

    read_history = presence.recent_messages

    def history_while_alice_arrives(session_id):
        person = {"user_id": room.alice.id, "display_name": "Alice", "role": "member"}
        rooms.state.join(session_id, "alice-elsewhere", person)
        return read_history(session_id)

    monkeypatch.setattr(presence, "recent_messages", history_while_alice_arrives)
    answer = ack(socket_client(room.bob), "session:join", {"session_id": room.session.id})
    assert [m["display_name"] for m in answer["members"]] == ["Alice", "Bob"]
