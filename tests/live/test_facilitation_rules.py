"""The room's rules as facilitators set them: mutes that end by themselves, slow mode, lock,
phases and the talking piece, the waiting room, removal, bans and hidden messages."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from app.core.database import utcnow
from app.live import access
from tests.live.conftest import ack, received

_ids = itertools.count(1)


def send(sock, session_id, body="hello"):
    """Send a message with a fresh client_id; returns the ack."""
    payload = {"session_id": session_id, "client_id": f"t{next(_ids)}", "body": body}
    return ack(sock, "message:send", payload)


def code(answer):
    """The error code of an ack (None when it succeeded)."""
    return None if answer["ok"] else answer["error"]["code"]


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock for the moderation rules; `clock.move(seconds)` moves it on."""

    class Clock:
        now = utcnow()

        def move(self, **delta):
            self.now += timedelta(**delta)

    frozen = Clock()
    monkeypatch.setattr(access, "utcnow", lambda: frozen.now)
    return frozen


def test_muted_member_cannot_send_until_the_mute_expires_by_itself(circle_room, clock):
    room = circle_room
    keeper, alice, bob = room.join(room.facilitator), room.join(room.alice), room.join(room.bob)
    mute = {"session_id": room.session.id, "user_id": room.alice.id, "minutes": 10}
    answer = ack(keeper, "member:mute", mute)
    assert answer["ok"]
    (notice,) = received(bob, "member:muted")
    assert notice["user_id"] == room.alice.id and notice["until"] == answer["until"]
    assert code(send(alice, room.session.id)) == "muted"
    clock.move(minutes=9, seconds=59)
    assert code(send(alice, room.session.id)) == "muted"
    clock.move(seconds=2)
    assert send(alice, room.session.id)["ok"]


def test_members_in_the_room_carry_their_muted_until(circle_room, clock):
    room = circle_room
    keeper = room.join(room.facilitator)
    room.join(room.alice)
    mute = {"session_id": room.session.id, "user_id": room.alice.id, "minutes": 1}
    until = ack(keeper, "member:mute", mute)["until"]
    answer = ack(room.connect(room.bob), "session:join", {"session_id": room.session.id})
    people = {m["user_id"]: m["muted_until"] for m in answer["members"]}
    assert people[room.alice.id] == until
    assert people[room.facilitator.id] is None
    clock.move(minutes=2)
    again = ack(room.connect(room.alice), "session:join", {"session_id": room.session.id})
    assert again["you"]["muted_until"] is None


def test_unmute_ends_the_mute_at_once(circle_room, clock):
    room = circle_room
    keeper, alice = room.join(room.facilitator), room.join(room.alice)
    target = {"session_id": room.session.id, "user_id": room.alice.id}
    ack(keeper, "member:mute", {**target, "minutes": 60})
    assert ack(keeper, "member:unmute", target)["ok"]
    assert received(alice, "member:unmuted")[0]["user_id"] == room.alice.id
    assert send(alice, room.session.id)["ok"]


def test_slow_mode_refuses_a_second_message_inside_the_window(circle_room, clock):
    room = circle_room
    keeper, alice = room.join(room.facilitator), room.join(room.alice)
    answer = ack(keeper, "session:slowmode", {"session_id": room.session.id, "seconds": 30})
    assert answer["session"]["slow_mode_seconds"] == 30
    assert received(alice, "session:updated")[0]["session"]["slow_mode_seconds"] == 30
    assert send(alice, room.session.id)["ok"]
    assert code(send(alice, room.session.id)) == "slow_mode"
    clock.move(seconds=20)
    assert code(send(alice, room.session.id)) == "slow_mode"
    clock.move(seconds=11)
    assert send(alice, room.session.id)["ok"]
    assert send(keeper, room.session.id)["ok"] and send(keeper, room.session.id)["ok"]
    ack(keeper, "session:slowmode", {"session_id": room.session.id, "seconds": 0})
    assert send(alice, room.session.id)["ok"] and send(alice, room.session.id)["ok"]


def test_a_retried_message_is_not_refused_by_slow_mode(circle_room, clock):
    room = circle_room
    keeper, alice = room.join(room.facilitator), room.join(room.alice)
    ack(keeper, "session:slowmode", {"session_id": room.session.id, "seconds": 60})
    payload = {"session_id": room.session.id, "client_id": "same", "body": "once"}
    first = ack(alice, "message:send", payload)
    assert ack(alice, "message:send", payload) == first


def test_a_locked_room_keeps_newcomers_out_but_lets_people_back_in(circle_room):
    room = circle_room
    keeper = room.join(room.facilitator)
    alice = room.join(room.alice)
    answer = ack(keeper, "session:lock", {"session_id": room.session.id, "locked": True})
    assert answer["session"]["locked"] is True
    assert received(alice, "session:updated")[0]["session"]["locked"] is True
    join = {"session_id": room.session.id}
    assert code(ack(room.connect(room.bob), "session:join", join)) == "locked"
    assert ack(room.connect(room.alice), "session:join", join)["ok"]  # a second tab, or back
    assert ack(room.connect(room.moderator), "session:join", join)["ok"]
    ack(keeper, "session:lock", {"session_id": room.session.id, "locked": False})
    assert ack(room.connect(room.bob), "session:join", join)["ok"]


@pytest.mark.parametrize("phase", ["breathing", "quiet"])
def test_closed_phases_keep_members_quiet_but_reactions_open(circle_room, phase):
    room = circle_room
    keeper, alice = room.join(room.facilitator), room.join(room.alice)
    said = send(keeper, room.session.id)["message"]
    answer = ack(keeper, "phase:set", {"session_id": room.session.id, "phase": phase})
    assert answer["session"]["phase"] == phase
    assert received(alice, "session:updated")[-1]["session"]["phase"] == phase
    assert code(send(alice, room.session.id)) == "phase_closed"
    assert ack(alice, "message:react", {"message_id": said["id"], "kind": "heart"})["ok"]
    assert send(keeper, room.session.id)["ok"]
    ack(keeper, "phase:set", {"session_id": room.session.id, "phase": "closing"})
    assert send(alice, room.session.id)["ok"]


def test_only_the_holder_of_the_talking_piece_shares(circle_room, update_session):
    room = circle_room
    update_session(room.session, talking_piece=True)
    keeper, alice, bob = room.join(room.facilitator), room.join(room.alice), room.join(room.bob)
    ack(keeper, "phase:set", {"session_id": room.session.id, "phase": "sharing"})
    assert code(send(alice, room.session.id)) == "not_your_turn"
    give = {"session_id": room.session.id, "user_id": room.alice.id}
    assert ack(keeper, "stick:give", give)["session"]["holder_id"] == room.alice.id
    assert received(bob, "session:updated")[-1]["session"]["holder_id"] == room.alice.id
    assert send(alice, room.session.id)["ok"]
    assert code(send(bob, room.session.id)) == "not_your_turn"


def test_the_holder_may_pass_the_piece_back_but_not_on(circle_room, update_session):
    room = circle_room
    update_session(room.session, talking_piece=True, phase="sharing", holder_id=room.alice.id)
    keeper, alice = room.join(room.facilitator), room.join(room.alice)
    session_id = room.session.id
    on = {"session_id": session_id, "user_id": room.bob.id}
    assert code(ack(alice, "stick:give", on)) == "forbidden"
    back = {"session_id": session_id, "user_id": room.facilitator.id}
    assert ack(alice, "stick:give", back)["session"]["holder_id"] == room.facilitator.id
    assert code(ack(alice, "stick:give", {"session_id": session_id, "user_id": None})) == (
        "forbidden"
    )  # no longer the holder
    ack(keeper, "stick:give", {"session_id": session_id, "user_id": room.alice.id})
    down = ack(alice, "stick:give", {"session_id": session_id, "user_id": None})
    assert down["session"]["holder_id"] is None
    assert code(send(alice, session_id)) == "not_your_turn"


def test_giving_the_piece_lowers_that_persons_hand(circle_room):
    room = circle_room
    keeper, alice = room.join(room.facilitator), room.join(room.alice)
    ack(alice, "hand:raise", {"session_id": room.session.id})
    ack(keeper, "stick:give", {"session_id": room.session.id, "user_id": room.alice.id})
    assert received(keeper, "hands")[-1]["hands"] == []


def test_the_waiting_room_admits_people_one_by_one(circle_room, make_session):
    room = circle_room
    waiting = make_session(room.circle, waiting_room=True)
    keeper = room.join(room.facilitator, session=waiting)
    alice = room.connect(room.alice)
    join = {"session_id": waiting.id}
    assert code(ack(alice, "session:join", join)) == "waiting"
    (notice,) = received(keeper, "waiting")
    assert notice["waiting"] == [{"user_id": room.alice.id, "display_name": "Alice"}]
    assert ack(keeper, "waiting:list", join)["waiting"] == notice["waiting"]
    assert ack(keeper, "member:admit", {**join, "user_id": room.alice.id})["ok"]
    assert received(alice, "session:admitted") == [{"session_id": waiting.id}]
    assert received(keeper, "waiting")[-1]["waiting"] == []
    assert ack(alice, "session:join", join)["ok"]
    assert code(ack(room.connect(room.bob), "session:join", join)) == "waiting"


def test_a_removed_member_leaves_the_room_and_cannot_rejoin(circle_room, make_session):
    room = circle_room
    keeper, alice, bob = room.join(room.facilitator), room.join(room.alice), room.join(room.bob)
    target = {"session_id": room.session.id, "user_id": room.alice.id, "reason": "shouting"}
    assert ack(keeper, "member:remove", target)["ok"]
    assert received(alice, "session:removed") == [
        {"session_id": room.session.id, "code": "removed"}
    ]
    present = received(bob, "presence")[-1]["members"]
    assert room.alice.id not in {m["user_id"] for m in present}
    send(bob, room.session.id, "still here")
    assert received(alice, "message:new") == []  # no longer in the room
    join = {"session_id": room.session.id}
    assert code(ack(alice, "session:join", join)) == "removed"
    assert code(ack(room.connect(room.alice), "messages:since", {**join, "after_id": 0})) == (
        "removed"
    )
    other = make_session(room.circle, title="Next week")
    assert ack(alice, "session:join", {"session_id": other.id})["ok"]


def test_a_banned_member_leaves_every_room_of_the_circle_and_its_pages(
    app, circle_room, make_session, logged_in_client
):
    room = circle_room
    second = make_session(room.circle, title="Overflow room")
    keeper = room.join(room.facilitator)
    alice_here, alice_there = room.join(room.alice), room.join(room.alice, session=second)
    ban = {"circle_id": room.circle.id, "user_id": room.alice.id, "reason": "repeated threats"}
    assert ack(keeper, "member:ban", ban)["ok"]
    codes = {(e["session_id"], e["code"]) for e in received(alice_here, "session:removed")}
    assert codes == {(room.session.id, "banned"), (second.id, "banned")}
    assert received(alice_there, "session:removed")  # every socket of hers is told
    for session in (room.session, second):
        assert code(ack(alice_here, "session:join", {"session_id": session.id})) == "banned"
    http = logged_in_client(room.alice)
    assert http.get(f"/circles/{room.circle.id}").status_code == 404
    assert http.get(f"/sessions/{room.session.id}").status_code == 404
    assert keeper.is_connected()


def test_a_hidden_message_leaves_the_screen_and_the_history(circle_room):
    room = circle_room
    keeper, alice, bob = room.join(room.facilitator), room.join(room.alice), room.join(room.bob)
    said = send(bob, room.session.id, "my address is ...")["message"]
    kept = send(bob, room.session.id, "sorry, ignore that")["message"]
    hide = {"message_id": said["id"], "reason": "personal details"}
    assert ack(keeper, "message:hide", hide)["ok"]
    assert {"message_id": said["id"], "session_id": room.session.id} in received(
        alice, "message:hidden"
    )
    second_client = room.connect(room.alice)
    history = ack(second_client, "session:join", {"session_id": room.session.id})["messages"]
    assert [m["id"] for m in history] == [kept["id"]]
    since = ack(second_client, "messages:since", {"session_id": room.session.id, "after_id": 0})
    assert [m["id"] for m in since["messages"]] == [kept["id"]]
    react = {"message_id": said["id"], "kind": "hug"}
    assert code(ack(second_client, "message:react", react)) == "not_found"


def test_ending_the_session_closes_it_and_starting_opens_it_again(circle_room):
    room = circle_room
    keeper, alice = room.join(room.facilitator), room.join(room.alice)
    ended = ack(keeper, "session:end", {"session_id": room.session.id})
    assert ended["session"]["state"] == "ended"
    assert received(alice, "session:ended")[0]["session"]["state"] == "ended"
    assert code(send(alice, room.session.id)) == "phase_closed"
    started = ack(keeper, "session:start", {"session_id": room.session.id})
    assert started["session"]["state"] == "live"
    assert received(alice, "session:updated")[-1]["session"]["state"] == "live"
    assert send(alice, room.session.id)["ok"]
