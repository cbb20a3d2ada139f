"""Typing, hands and room preferences; and that a failing handler still answers kindly."""

from __future__ import annotations

from tests.live.conftest import ack, received


def test_typing_reaches_the_others_but_not_the_typist(room):
    alice, bob = room.join(room.alice), room.join(room.bob)
    alice.get_received()
    assert ack(bob, "typing", {"session_id": room.session.id, "typing": True}) == {"ok": True}
    assert received(alice, "typing") == [{"user_id": room.bob.id, "typing": True}]
    assert received(bob, "typing") == []


def test_a_member_can_stop_sharing_that_they_are_typing(room):
    alice, bob = room.join(room.alice), room.join(room.bob)
    answer = ack(bob, "preferences:set", {"share_typing": False})
    assert answer["ok"] and answer["preferences"]["share_typing"] is False
    alice.get_received()
    assert ack(bob, "typing", {"session_id": room.session.id, "typing": True})["ok"]
    assert received(alice, "typing") == []
    ack(bob, "preferences:set", {"share_typing": True})
    ack(bob, "typing", {"session_id": room.session.id, "typing": True})
    assert received(alice, "typing") == [{"user_id": room.bob.id, "typing": True}]


def test_preferences_need_a_known_boolean(room):
    bob = room.join(room.bob)
    for payload in ({}, {"share_typing": "no"}, {"colour": True}, None):
        assert ack(bob, "preferences:set", payload)["error"]["code"] == "invalid"


def test_hands_queue_in_order_and_are_broadcast(room):
    alice, bob = room.join(room.alice), room.join(room.bob)
    holder = room.join(room.facilitator)
    sid = {"session_id": room.session.id}
    assert ack(bob, "hand:raise", sid) == {"ok": True, "hands": [room.bob.id]}
    assert ack(alice, "hand:raise", sid)["hands"] == [room.bob.id, room.alice.id]
    assert ack(bob, "hand:raise", sid)["hands"] == [room.bob.id, room.alice.id], "keeps its place"
    assert received(holder, "hands")[-1] == {"hands": [room.bob.id, room.alice.id]}
    assert ack(bob, "hand:lower", sid)["hands"] == [room.alice.id]
    answer = ack(holder, "session:join", sid)
    assert answer["hands"] == [room.alice.id]
    alice_member = next(m for m in answer["members"] if m["user_id"] == room.alice.id)
    assert alice_member["hand_raised"] is True


def test_a_person_who_leaves_lowers_their_hand(room):
    alice, bob = room.join(room.alice), room.join(room.bob)
    ack(bob, "hand:raise", {"session_id": room.session.id})
    alice.get_received()
    bob.disconnect()
    assert received(alice, "hands")[-1] == {"hands": []}


def test_outsiders_cannot_type_or_raise_hands(room, make_user, socket_client):
    stranger = socket_client(make_user("stranger"))
    sid = {"session_id": room.session.id}
    assert ack(stranger, "typing", {**sid, "typing": True})["error"]["code"] == "not_found"
    assert ack(stranger, "hand:raise", sid)["error"]["code"] == "not_found"
    assert ack(stranger, "session:leave", sid)["error"]["code"] == "not_found"


def test_an_unexpected_failure_becomes_a_kind_error_ack(room, monkeypatch, caplog):
    from app.live.messages import services

    def explode(*args, **kwargs):
        raise RuntimeError("secret message body must not be logged")

    monkeypatch.setattr(services, "send_refusal", explode)
    alice = room.join(room.alice)
    payload = {"session_id": room.session.id, "client_id": "x", "body": "private words"}
    answer = ack(alice, "message:send", payload)
    assert answer["ok"] is False and answer["error"]["code"] == "server_error"
    assert alice.is_connected()
    assert "RuntimeError" in caplog.text
    assert "private words" not in caplog.text and "secret message" not in caplog.text
    assert ack(alice, "hand:raise", {"session_id": room.session.id})["ok"], "still usable"
