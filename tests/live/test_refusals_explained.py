"""A refused send says what the room is doing now, so the page can say why and for how long."""

from __future__ import annotations

from tests.live.conftest import ack, received


def _send(sock, room, client_id="c1"):
    payload = {"session_id": room.session.id, "client_id": client_id, "body": "hello"}
    return ack(sock, "message:send", payload)


def test_a_closed_phase_carries_the_session(room, update_session):
    update_session(room.session, phase="breathing")
    error = _send(room.join(room.alice), room)["error"]
    assert error["code"] == "phase_closed" and error["session"]["phase"] == "breathing"


def test_after_the_end_the_refusal_says_so(room, update_session):
    update_session(room.session, state="ended")
    error = _send(room.join(room.alice), room)["error"]
    assert error["code"] == "phase_closed" and "ended" in error["message"]
    assert error["session"]["state"] == "ended"


def test_not_your_turn_names_the_room_as_it_is(room, update_session):
    update_session(room.session, phase="sharing", talking_piece=True, holder_id=room.bob.id)
    error = _send(room.join(room.alice), room)["error"]
    assert error["code"] == "not_your_turn" and error["session"]["holder_id"] == room.bob.id


def test_a_mute_says_until_when(room):
    keeper, alice = room.join(room.facilitator), room.join(room.alice)
    mute = {"session_id": room.session.id, "user_id": room.alice.id, "minutes": 4}
    until = ack(keeper, "member:mute", mute)["until"]
    error = _send(alice, room)["error"]
    assert error["code"] == "muted" and error["until"] == until


def test_slow_mode_says_when_to_send_again(room, update_session):
    update_session(room.session, slow_mode_seconds=30)
    alice = room.join(room.alice)
    first = _send(alice, room, "a")
    assert first["ok"] and first["next_send_at"].endswith("Z")
    error = _send(alice, room, "b")["error"]
    assert error["code"] == "slow_mode" and 25_000 <= error["retry_after_ms"] <= 30_000


def test_people_in_the_waiting_room_hear_that_the_circle_ended(room, make_session, socket_client):
    session = make_session(room.circle, waiting_room=True)
    alice = socket_client(room.alice)
    assert ack(alice, "session:join", {"session_id": session.id})["error"]["code"] == "waiting"
    keeper = socket_client(room.facilitator)
    assert ack(keeper, "session:end", {"session_id": session.id})["ok"]
    [ended] = received(alice, "session:ended")
    assert ended["session"]["state"] == "ended"
