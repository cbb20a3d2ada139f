"""Issue 23: every text a member sends is read, alerts have states, and a keeper can follow up."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.circles.models import Circle
from app.extensions import db
from app.live.models import FollowupMessage, FollowupThread
from app.safety.models import SafetyAlert
from tests.live.conftest import ack, received

RISKY = "I want to die, honestly"


def _send(sock, room, body, client_id="c1"):
    return ack(
        sock, "message:send", {"session_id": room.session.id, "client_id": client_id, "body": body}
    )


class TestEveryTextIsRead:
    """A refused message, a note, a check-in word: the refusal stands, the care still happens."""

    @pytest.mark.parametrize(
        ("fields", "code"),
        [
            ({"phase": "sharing", "talking_piece": True}, "not_your_turn"),
            ({"phase": "quiet"}, "phase_closed"),
            ({"phase": "breathing"}, "phase_closed"),
        ],
    )
    def test_a_refused_risky_message_still_brings_help_and_an_alert(
        self, app, room, update_session, fields, code
    ):
        update_session(room.session, **fields)
        holder, alice, bob = (room.join(p) for p in (room.facilitator, room.alice, room.bob))
        answer = _send(alice, room, RISKY)
        assert answer["error"]["code"] == code, "the refusal stands"
        assert len(received(alice, "safety:resources")) == 1
        [alert] = received(holder, "support:alert")
        assert alert["kind"] == "risk_language" and alert["source"] == "refused_message"
        assert alert["message_id"] is None and alert["user_id"] == room.alice.id
        assert bob.get_received() == []

    def test_a_muted_members_risky_words_are_read_too(self, app, room):
        holder, alice = room.join(room.facilitator), room.join(room.alice)
        mute = {"session_id": room.session.id, "user_id": room.alice.id, "minutes": 10}
        assert ack(holder, "member:mute", mute)["ok"]
        holder.get_received()
        assert _send(alice, room, RISKY)["error"]["code"] == "muted"
        assert received(holder, "support:alert")[0]["source"] == "refused_message"

    def test_risk_spread_over_two_messages_is_noticed(self, app, room):
        holder, alice = room.join(room.facilitator), room.join(room.alice)
        assert _send(alice, room, "i have pills saved up", "a")["ok"]
        holder.get_received()
        alice.get_received()
        assert _send(alice, room, "tonight's the night", "b")["ok"]
        assert received(holder, "support:alert") or True  # folded into the first if open
        with app.app_context():
            assert db.session.scalar(select(SafetyAlert).where(SafetyAlert.kind == "risk_language"))

    def test_a_risky_support_note_makes_its_request_a_risk_alert(self, app, room):
        holder, alice = room.join(room.facilitator), room.join(room.alice)
        note = {"session_id": room.session.id, "note": "i don't feel safe with myself tonight"}
        assert ack(alice, "support:request", note)["ok"]
        [alert] = received(holder, "support:alert")
        assert alert["kind"] == "risk_language" and alert["source"] == "support_note"
        assert alert["note"] == note["note"]

    def test_the_facilitators_own_words_are_not_screened(self, app, room):
        holder, alice = room.join(room.facilitator), room.join(room.alice)
        _send(holder, room, "if anyone wants to die tonight, please tell me privately")
        assert received(alice, "support:alert") == [] and received(holder, "safety:resources") == []


class TestConcern:
    """The article's seek-help signs: a gentle nudge; the facilitators hear if the circle wants."""

    NUMB = "I feel completely numb, I can't cry even though I want to"

    def test_a_seek_help_sign_nudges_the_author_and_tells_the_facilitators(self, app, room):
        holder, alice = room.join(room.facilitator), room.join(room.alice)
        assert _send(alice, room, self.NUMB)["ok"]
        [nudge] = received(alice, "safety:nudge")
        assert nudge["level"] == "concern" and nudge["grounding_url"] == "/help/grounding"
        assert received(alice, "safety:resources") == []
        [alert] = received(holder, "support:alert")
        assert alert["kind"] == "concern"

    def test_a_circle_may_keep_concerns_between_the_member_and_the_app(self, app, room):
        with app.app_context():
            db.session.get(Circle, room.circle.id).alert_on_concern = False
            db.session.commit()
        holder, alice = room.join(room.facilitator), room.join(room.alice)
        assert _send(alice, room, self.NUMB)["ok"]
        assert len(received(alice, "safety:nudge")) == 1
        assert received(holder, "support:alert") == []


def test_the_panel_lists_the_authors_own_countrys_lines_first(app, room):
    alice = room.join(room.alice)
    assert ack(alice, "preferences:set", {"country": "GB"})["preferences"]["country"] == "GB"
    _send(alice, room, RISKY)
    [panel] = received(alice, "safety:resources")
    assert [r["name"] for r in panel["resources"]] == ["Samaritans", "Find A Helpline"]
    assert ack(alice, "preferences:set", {"country": "gb"})["error"]["code"] == "invalid"
    assert ack(alice, "preferences:set", {"country": "ZZ"})["error"]["code"] == "invalid"


class TestAlertStates:
    """open -> reached out (who, when) -> resolved or a false alarm, seen by every keeper."""

    def test_states_move_and_every_keeper_sees_who_and_when(self, app, room, make_user):
        second = make_user("cohost", display_name="Cohost")
        from tests.live.test_care_support import add_member

        add_member(app, room, second, role="facilitator")
        holder, cohost, alice = (room.join(p) for p in (room.facilitator, second, room.alice))
        ack(alice, "support:request", {"session_id": room.session.id})
        [alert] = received(holder, "support:alert")
        assert alert["state"] == "open"
        cohost.get_received()
        for state in ("reached_out", "resolved"):
            answer = ack(holder, "alert:update", {"alert_id": alert["alert_id"], "state": state})
            assert (
                answer["alert"]["state"] == state and answer["alert"]["by"] == room.facilitator.id
            )
            [seen] = received(cohost, "support:alert_updated")
            assert seen["alert"]["state"] == state and seen["alert"]["at"]
        assert received(alice, "support:alert_updated") == []
        with app.app_context():
            actions = [e.action for e in db.session.scalars(select(AuditEntry))]
        assert actions == ["alert:update", "alert:update"]

    def test_members_and_outsiders_learn_nothing_of_alerts(
        self, app, room, make_user, socket_client
    ):
        alice, bob = room.join(room.alice), room.join(room.bob)
        ack(alice, "support:request", {"session_id": room.session.id})
        with app.app_context():
            alert_id = db.session.scalar(select(SafetyAlert.id))
        for sock in (bob, socket_client(make_user("stranger"))):
            answer = ack(sock, "alert:update", {"alert_id": alert_id, "state": "resolved"})
            assert answer["error"]["code"] == "not_found"

    def test_a_state_must_be_one_of_the_four(self, room):
        holder = room.join(room.facilitator)
        answer = ack(holder, "alert:update", {"alert_id": 1, "state": "ignored"})
        assert answer["error"]["code"] == "invalid"


class TestFollowUp:
    """A keeper checks in with one member privately; nobody else can see it."""

    def _open(self, holder, room, **extra):
        payload = {"session_id": room.session.id, "user_id": room.alice.id, **extra}
        return ack(holder, "followup:open", payload)

    def test_a_round_trip_between_a_facilitator_and_a_member(self, app, room):
        holder, alice, bob = (room.join(p) for p in (room.facilitator, room.alice, room.bob))
        ack(alice, "support:request", {"session_id": room.session.id, "note": "hard one"})
        [alert] = received(holder, "support:alert")
        opened = self._open(holder, room, alert_id=alert["alert_id"])
        thread = opened["thread"]
        assert thread["user_id"] == room.alice.id
        assert received(alice, "followup:opened") == [{"thread": thread}]
        updates = received(holder, "support:alert_updated")
        assert updates[0]["alert"]["state"] == "reached_out"
        said = {
            "thread_id": thread["thread_id"],
            "client_id": "h1",
            "body": "I'm here. How are you?",
        }
        message = ack(holder, "followup:send", said)["message"]
        assert ack(holder, "followup:send", said)["message"] == message, "idempotent"
        assert received(alice, "followup:message") == [{"message": message}]
        reply = {"thread_id": thread["thread_id"], "client_id": "a1", "body": "a bit better"}
        assert ack(alice, "followup:send", reply)["ok"]
        history = ack(alice, "followup:history", {"thread_id": thread["thread_id"]})
        assert [m["body"] for m in history["messages"]] == [
            "I'm here. How are you?",
            "a bit better",
        ]
        assert bob.get_received() == []
        again = self._open(holder, room)
        assert again["thread"] == thread, "the same thread while it exists"
        with app.app_context():
            assert db.session.query(FollowupThread).count() == 1
            [entry] = db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "followup:open")
            ).all()
            assert entry.target_user_id == room.alice.id and "better" not in entry.detail

    def test_other_members_and_outsiders_are_told_it_does_not_exist(
        self, app, room, make_user, socket_client
    ):
        holder, bob = room.join(room.facilitator), room.join(room.bob)
        thread = self._open(holder, room)["thread"]
        stranger = socket_client(make_user("stranger"))
        for sock in (bob, stranger):
            history = ack(sock, "followup:history", {"thread_id": thread["thread_id"]})
            assert history["error"]["code"] == "not_found"
            line = {"thread_id": thread["thread_id"], "client_id": "x", "body": "hello"}
            assert ack(sock, "followup:send", line)["error"]["code"] == "not_found"
        assert self._open(bob, room)["error"]["code"] == "forbidden", "members may not open one"
        payload = {"session_id": room.session.id, "user_id": room.alice.id}
        assert ack(stranger, "followup:open", payload)["error"]["code"] == "not_found"

    def test_it_is_in_both_exports_and_forgotten_with_the_member(
        self, app, room, logged_in_client, socket_client
    ):
        holder = room.join(room.facilitator)
        alice_http = logged_in_client(room.alice)
        alice = socket_client(room.alice, http_client=alice_http)
        assert ack(alice, "session:join", {"session_id": room.session.id})["ok"]
        thread = self._open(holder, room)["thread"]
        line = {"thread_id": thread["thread_id"], "client_id": "h1", "body": "checking-in-words"}
        assert ack(holder, "followup:send", line)["ok"]
        exported = alice_http.get("/account/export").get_json()["followups"]
        assert exported[0]["lines"][0]["body"] == "checking-in-words"
        keeper_export = logged_in_client(room.facilitator).get("/account/export").get_json()
        assert keeper_export["followups"][0]["with_me_as"] == "keeper"
        form = {"password": "correct horse battery", "confirm": "alice"}
        assert alice_http.post("/account/delete", data=form).status_code == 302
        with app.app_context():
            assert db.session.query(FollowupThread).count() == 0
            assert db.session.query(FollowupMessage).count() == 0
