"""Sending, catching up, reacting and reporting in the room."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.live.models import Message, Report
from tests.live.conftest import ack, received
from tests.support.factories import store_unannounced


def send(sock, session_id, body="hello", client_id="c1", **extra):
    """message:send with an ack."""
    payload = {"session_id": session_id, "client_id": client_id, "body": body, **extra}
    return ack(sock, "message:send", payload)


def test_a_message_is_stored_then_broadcast_to_everyone_in_the_room(app, room):
    alice, bob = room.join(room.alice), room.join(room.bob)
    alice.get_received()
    answer = send(alice, room.session.id, "  I'm glad to be here.  ", content_warning="grief")
    message = answer["message"]
    assert answer["ok"]
    assert message["body"] == "I'm glad to be here."
    assert message["content_warning"] == "grief"
    assert message["author"] == {"id": room.alice.id, "display_name": "Alice"}
    assert message["reactions"] == {}
    assert message["created_at"].endswith("Z")
    assert received(bob, "message:new") == [{"message": message}]
    assert received(alice, "message:new") == [{"message": message}]
    with app.app_context():
        assert db.session.get(Message, message["id"]).body == "I'm glad to be here."


def test_people_outside_the_room_do_not_receive_its_messages(room, make_session, socket_client):
    other_session = make_session(room.circle, title="Another evening")
    bob = socket_client(room.bob)
    assert ack(bob, "session:join", {"session_id": other_session.id})["ok"]
    bob.get_received()
    send(room.join(room.alice), room.session.id)
    assert received(bob, "message:new") == []


def test_the_same_client_id_returns_the_first_message_and_stores_nothing_new(app, room):
    alice = room.join(room.alice)
    first = send(alice, room.session.id, "once", client_id="same")
    again = send(alice, room.session.id, "twice?", client_id="same")
    assert again == first
    with app.app_context():
        assert db.session.query(Message).count() == 1


def test_a_retry_announces_the_stored_message_again_once(app, room):
    """The sender of a retry never got the ack, so the room may never have heard of it either."""
    alice, bob = room.join(room.alice), room.join(room.bob)
    first = send(alice, room.session.id, "once", client_id="same")["message"]
    assert received(bob, "message:new") == [{"message": first}]
    again = send(alice, room.session.id, "twice?", client_id="same")
    assert again == {"ok": True, "message": first}
    assert received(bob, "message:new") == [{"message": first}], "the same id, announced again"
    send(alice, room.session.id, "thrice?", client_id="same")
    assert received(bob, "message:new") == [], "once per process, however often it is retried"
    with app.app_context():
        assert db.session.query(Message).count() == 1


def test_a_message_stored_by_a_process_that_died_reaches_the_room_on_retry(app, room):
    """Committed, then the process died before broadcasting: the retry elsewhere announces it."""
    alice, bob = room.join(room.alice), room.join(room.bob)
    with app.app_context():  # what the killed process managed: the commit, nothing after it
        stored = store_unannounced(room.alice.id, room.session.id, "still here", "lost-ack")
    assert received(bob, "message:new") == []
    answer = send(alice, room.session.id, "still here", client_id="lost-ack")
    assert answer["message"]["id"] == stored["id"]
    assert [m["message"]["id"] for m in received(bob, "message:new")] == [stored["id"]]


def test_a_retry_of_a_hidden_message_is_answered_but_not_announced(app, room):
    from app.core.database import utcnow

    alice, bob = room.join(room.alice), room.join(room.bob)
    first = send(alice, room.session.id, "once", client_id="same")["message"]
    with app.app_context():
        db.session.get(Message, first["id"]).hidden_at = utcnow()
        db.session.commit()
    bob.get_received()
    assert send(alice, room.session.id, "once", client_id="same")["message"]["id"] == first["id"]
    assert received(bob, "message:new") == []


def test_client_ids_are_per_author(room):
    alice, bob = room.join(room.alice), room.join(room.bob)
    first = send(alice, room.session.id, client_id="same")["message"]
    second = send(bob, room.session.id, client_id="same")["message"]
    assert first["id"] != second["id"]


def test_ids_grow_with_time(room):
    alice = room.join(room.alice)
    ids = [send(alice, room.session.id, client_id=f"c{n}")["message"]["id"] for n in range(5)]
    assert ids == sorted(ids) and len(set(ids)) == 5


@pytest.mark.parametrize(
    "payload",
    [
        {"body": ""},
        {"body": "   \n  "},
        {"body": "x" * 2001},
        {"content_warning": "w" * 81},
        {"client_id": ""},
        {"client_id": "c" * 65},
        {"session_id": "1"},
        {"body": 42},
        {"body": "nul\x00byte"},
    ],
)
def test_bad_messages_are_invalid(room, payload):
    alice = room.join(room.alice)
    base = {"session_id": room.session.id, "client_id": "c1", "body": "hello"}
    answer = ack(alice, "message:send", {**base, **payload})
    assert answer["ok"] is False and answer["error"]["code"] == "invalid"
    assert alice.is_connected()


def test_the_limits_are_inclusive(room):
    alice = room.join(room.alice)
    answer = send(alice, room.session.id, "x" * 2000, content_warning="w" * 80)
    assert answer["ok"]


def test_outsiders_cannot_send(room, make_user, socket_client):
    stranger = socket_client(make_user("stranger"))
    assert send(stranger, room.session.id)["error"]["code"] == "not_found"


@pytest.mark.parametrize("phase", ["breathing", "quiet"])
def test_members_cannot_send_in_quiet_phases_but_facilitators_can(room, update_session, phase):
    update_session(room.session, phase=phase)
    alice, holder = room.join(room.alice), room.join(room.facilitator)
    assert send(alice, room.session.id)["error"]["code"] == "phase_closed"
    assert send(holder, room.session.id)["ok"]


def test_only_the_talking_piece_holder_shares(room, update_session):
    update_session(room.session, phase="sharing", talking_piece=True, holder_id=room.bob.id)
    alice, bob = room.join(room.alice), room.join(room.bob)
    assert send(alice, room.session.id)["error"]["code"] == "not_your_turn"
    assert send(bob, room.session.id)["ok"]
    assert send(room.join(room.facilitator), room.session.id)["ok"]


def test_sharing_without_a_talking_piece_is_open(room, update_session):
    update_session(room.session, phase="sharing", talking_piece=False)
    assert send(room.join(room.alice), room.session.id)["ok"]


@pytest.mark.parametrize("phase", ["arrival", "intention", "closing"])
def test_open_phases_let_members_send(room, update_session, phase):
    update_session(room.session, phase=phase)
    assert send(room.join(room.alice), room.session.id)["ok"]


def test_sending_quickly_is_gently_limited(app, room):
    app.config["LIVE_SEND_LIMIT"] = (3, 60.0)
    app.config["RATELIMIT_ENABLED"] = True
    alice = room.join(room.alice)
    results = [send(alice, room.session.id, client_id=f"r{n}") for n in range(4)]
    assert [r["ok"] for r in results] == [True, True, True, False]
    assert results[-1]["error"]["code"] == "rate_limited"
    assert send(alice, room.session.id, client_id="r0")["ok"], "a retry is not a new message"


class TestCatchUp:
    """messages:since gives what was missed, oldest first, in pages of 500."""

    def test_since_returns_newer_messages_only(self, room):
        alice = room.join(room.alice)
        ids = [send(alice, room.session.id, client_id=f"c{n}")["message"]["id"] for n in range(4)]
        answer = ack(alice, "messages:since", {"session_id": room.session.id, "after_id": ids[1]})
        assert [m["id"] for m in answer["messages"]] == ids[2:]
        assert answer["more"] is False

    def test_since_pages_with_more(self, app, room):
        with app.app_context():
            db.session.add_all(
                Message(
                    session_id=room.session.id, author_id=room.alice.id, client_id=f"b{n}", body="x"
                )
                for n in range(501)
            )
            db.session.commit()
        alice = room.join(room.alice)
        first = ack(alice, "messages:since", {"session_id": room.session.id, "after_id": 0})
        assert len(first["messages"]) == 500 and first["more"] is True
        last_id = first["messages"][-1]["id"]
        rest = ack(alice, "messages:since", {"session_id": room.session.id, "after_id": last_id})
        assert len(rest["messages"]) == 1 and rest["more"] is False

    def test_since_skips_hidden_messages(self, app, room):
        from app.core.database import utcnow

        alice = room.join(room.alice)
        hidden = send(alice, room.session.id, client_id="h")["message"]["id"]
        send(alice, room.session.id, client_id="v")
        with app.app_context():
            db.session.get(Message, hidden).hidden_at = utcnow()
            db.session.commit()
        answer = ack(alice, "messages:since", {"session_id": room.session.id, "after_id": 0})
        assert [m["client_id"] for m in answer["messages"]] == ["v"]

    def test_outsiders_cannot_catch_up(self, room, make_user, socket_client):
        stranger = socket_client(make_user("stranger"))
        answer = ack(stranger, "messages:since", {"session_id": room.session.id, "after_id": 0})
        assert answer["error"]["code"] == "not_found"


class TestReactions:
    """Four gentle kinds, toggled, counted for everyone."""

    def test_react_toggles_and_broadcasts_counts(self, room):
        alice, bob = room.join(room.alice), room.join(room.bob)
        message_id = send(alice, room.session.id)["message"]["id"]
        bob.get_received()
        on = ack(bob, "message:react", {"message_id": message_id, "kind": "hug"})
        assert on == {"ok": True, "reactions": {"hug": 1}, "mine": ["hug"]}
        assert received(alice, "message:reactions")[-1] == {
            "message_id": message_id,
            "reactions": {"hug": 1},
        }
        off = ack(bob, "message:react", {"message_id": message_id, "kind": "hug"})
        assert off["reactions"] == {} and off["mine"] == []

    def test_history_carries_reaction_counts(self, room):
        alice, bob = room.join(room.alice), room.join(room.bob)
        message_id = send(alice, room.session.id)["message"]["id"]
        ack(bob, "message:react", {"message_id": message_id, "kind": "heart"})
        ack(alice, "message:react", {"message_id": message_id, "kind": "heart"})
        answer = ack(bob, "messages:since", {"session_id": room.session.id, "after_id": 0})
        assert answer["messages"][0]["reactions"] == {"heart": 2}

    @pytest.mark.parametrize("kind", ["like", "", None, "HEART"])
    def test_unknown_kinds_are_invalid(self, room, kind):
        alice = room.join(room.alice)
        message_id = send(alice, room.session.id)["message"]["id"]
        answer = ack(alice, "message:react", {"message_id": message_id, "kind": kind})
        assert answer["error"]["code"] == "invalid"

    def test_outsiders_cannot_react(self, room, make_user, socket_client):
        message_id = send(room.join(room.alice), room.session.id)["message"]["id"]
        stranger = socket_client(make_user("stranger"))
        answer = ack(stranger, "message:react", {"message_id": message_id, "kind": "heart"})
        assert answer["error"]["code"] == "not_found"


class TestReports:
    """Reports are stored and reach the facilitators, never the reported person."""

    def test_report_is_stored_and_sent_to_facilitators_and_moderators(
        self, app, room, make_user, socket_client
    ):
        moderator = socket_client(make_user("mod", role="moderator"))
        holder = socket_client(room.facilitator)
        alice, bob = room.join(room.alice), room.join(room.bob)
        message_id = send(alice, room.session.id, "something hurtful")["message"]["id"]
        for sock in (moderator, holder, alice):
            sock.get_received()
        answer = ack(bob, "message:report", {"message_id": message_id, "reason": "unkind"})
        assert answer == {"ok": True}
        for sock in (moderator, holder):
            report = received(sock, "report:new")[0]["report"]
            assert report["message"]["id"] == message_id and report["reason"] == "unkind"
            assert "reporter" not in str(report) and room.bob.username not in str(report)
        assert received(alice, "report:new") == []
        with app.app_context():
            stored = db.session.query(Report).one()
            assert stored.reporter_id == room.bob.id and stored.circle_id == room.circle.id

    def test_a_reported_facilitator_does_not_hear_about_it(self, room, socket_client):
        holder = room.join(room.facilitator)
        message_id = send(holder, room.session.id)["message"]["id"]
        holder.get_received()
        ack(room.join(room.alice), "message:report", {"message_id": message_id, "reason": "x"})
        assert received(holder, "report:new") == []

    def test_reporting_twice_stores_one_report(self, app, room):
        alice, bob = room.join(room.alice), room.join(room.bob)
        message_id = send(alice, room.session.id)["message"]["id"]
        for _ in range(2):
            assert ack(bob, "message:report", {"message_id": message_id, "reason": "x"})["ok"]
        with app.app_context():
            assert db.session.query(Report).count() == 1

    @pytest.mark.parametrize("reason", ["", "   ", "r" * 501, None])
    def test_a_reason_is_needed(self, room, reason):
        alice = room.join(room.alice)
        message_id = send(alice, room.session.id)["message"]["id"]
        answer = ack(alice, "message:report", {"message_id": message_id, "reason": reason})
        assert answer["error"]["code"] == "invalid"

    def test_hidden_or_unknown_messages_are_not_found(self, room):
        answer = ack(room.join(room.alice), "message:report", {"message_id": 424242, "reason": "x"})
        assert answer["error"]["code"] == "not_found"


def test_each_new_message_names_the_one_before_it_so_a_silent_loss_shows(app, room):
    """Stored by a process that died before announcing it, and never resent: the next message
    names it as `previous_id`, and the members who never saw it fetch it."""
    alice, bob = room.join(room.alice), room.join(room.bob)
    first = send(alice, room.session.id, "first", client_id="a1")["message"]
    [news] = [e["args"][0] for e in bob.get_received() if e["name"] == "message:new"]
    assert news["message"]["id"] == first["id"] and "previous_id" not in news
    alice.get_received()
    with app.app_context():  # the commit happened, the broadcast never did
        lost = store_unannounced(room.alice.id, room.session.id, "lost", "a2")
    later = send(bob, room.session.id, "later", client_id="b1")["message"]
    [news] = [e["args"][0] for e in alice.get_received() if e["name"] == "message:new"]
    assert news["message"]["id"] == later["id"]
    assert news["previous_id"] == lost["id"], "the gap between first and later is named"
    since = ack(bob, "messages:since", {"session_id": room.session.id, "after_id": first["id"]})
    assert [m["id"] for m in since["messages"]] == [lost["id"], later["id"]]
