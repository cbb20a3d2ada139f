"""Issue 25's findings in the room, each held by a test that failed before its fix."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.core.signals import standing_changed
from app.extensions import db
from app.safety.models import SafetyAlert
from tests.live.conftest import ack, received


def _make_moderator(app, user, role="moderator"):
    with app.app_context():
        db.session.get(User, user.id).role = role
        db.session.commit()


def test_a_demoted_moderator_who_is_a_member_stays_listed_as_a_member(app, room):
    """Presence kept listing a demoted moderator as "moderator"."""
    _make_moderator(app, room.bob)
    alice, bob = room.join(room.alice), room.join(room.bob)
    alice.get_received()
    from app.admin.services import change_role

    with app.app_context():
        admin = User(username="ada", username_key="ada", display_name="Ada", role="admin")
        admin.password_hash, admin.consented_at = "x", db.func.now()
        db.session.add(admin)
        db.session.commit()
        change_role(admin, room.bob.id, "member")
    roles = {m["user_id"]: m["role"] for m in received(alice, "presence")[-1]["members"]}
    assert roles[room.bob.id] == "member"
    assert received(bob, "session:removed") == [], "still a member of the circle: stays"


@pytest.mark.parametrize("action", ["member:remove", "member:ban"])
def test_a_facilitator_can_remove_or_ban_anyone_present_member_or_not(app, room, action):
    """`member:remove` / `member:ban` on a present non-member (a demoted moderator) answered
    `not_found`."""
    from app.circles.models import Membership

    with app.app_context():  # Bob is no longer of the circle; he is a site moderator
        db.session.delete(db.session.scalar(select(Membership).filter_by(user_id=room.bob.id)))
        db.session.get(User, room.bob.id).role = "moderator"
        db.session.commit()
    keeper = room.join(room.facilitator)
    payload = {
        "session_id": room.session.id,
        "circle_id": room.circle.id,
        "user_id": room.bob.id,
        "reason": "impersonation",
    }
    bob = room.join(room.bob)
    assert ack(keeper, action, payload)["error"]["code"] == "forbidden", "a moderator"
    with app.app_context():  # demoted behind the room's back (no signal reached it)
        db.session.get(User, room.bob.id).role = "member"
        db.session.commit()
    assert ack(keeper, action, payload)["ok"]
    code = "removed" if action == "member:remove" else "banned"
    assert received(bob, "session:removed")[0]["code"] == code
    rejoin = ack(bob, "session:join", {"session_id": room.session.id})["error"]["code"]
    assert rejoin == ("not_found" if action == "member:remove" else "banned"), "not of the circle"


def test_someone_neither_present_nor_of_the_circle_is_not_found(room, make_user):
    stranger = make_user("stranger")
    keeper = room.join(room.facilitator)
    payload = {"session_id": room.session.id, "user_id": stranger.id}
    assert ack(keeper, "member:remove", payload)["error"]["code"] == "not_found"


def test_a_standing_change_for_someone_elsewhere_changes_nothing_here(app, room):
    alice = room.join(room.alice)
    alice.get_received()
    with app.app_context():
        standing_changed.send(None, user_id=room.bob.id, circle_id=room.circle.id)
    assert received(alice, "presence") == [] and received(alice, "session:removed") == []


@pytest.mark.parametrize("event", ["typing", "hand:raise", "hand:lower"])
def test_typing_and_hands_need_a_socket_in_the_room(room, socket_client, event):
    sock = socket_client(room.alice)
    payload = {"session_id": room.session.id, "typing": True}
    answer = ack(sock, event, payload)
    assert answer["error"]["code"] == "not_found"
    assert "Join it first" in answer["error"]["message"]


def test_a_member_cannot_report_their_own_message(room):
    alice = room.join(room.alice)
    sent = ack(
        alice,
        "message:send",
        {"session_id": room.session.id, "client_id": "mine", "body": "hello"},
    )
    answer = ack(alice, "message:report", {"message_id": sent["message"]["id"], "reason": "x"})
    assert answer["error"]["code"] == "invalid"


class TestSupportRequests:
    """300 requests with notes from a removed member made 300 alerts and 301 rows."""

    def test_a_removed_member_cannot_raise_an_alert(self, app, room):
        keeper, bob = room.join(room.facilitator), room.join(room.bob)
        payload = {"session_id": room.session.id, "user_id": room.bob.id}
        assert ack(keeper, "member:remove", payload)["ok"]
        keeper.get_received()
        answer = ack(bob, "support:request", {"session_id": room.session.id, "note": "hi"})
        assert answer["error"]["code"] == "removed"
        assert received(keeper, "support:alert") == []

    def test_a_banned_member_cannot_raise_an_alert(self, app, room):
        keeper, bob = room.join(room.facilitator), room.join(room.bob)
        payload = {"circle_id": room.circle.id, "user_id": room.bob.id, "reason": "threats"}
        assert ack(keeper, "member:ban", payload)["ok"]
        answer = ack(bob, "support:request", {"session_id": room.session.id, "note": "hi"})
        assert answer["error"]["code"] == "banned"

    def test_repeated_requests_fold_into_one_open_alert(self, app, room):
        keeper, alice = room.join(room.facilitator), room.join(room.alice)
        for note in ("", "it's a lot tonight", "it's a lot tonight", "thank you"):
            assert ack(alice, "support:request", {"session_id": room.session.id, "note": note})[
                "ok"
            ]
        heard = keeper.get_received()
        assert [e["name"] for e in heard].count("support:alert") == 1
        updates = [e["args"][0] for e in heard if e["name"] == "support:alert_updated"]
        assert [u["alert"]["note"] for u in updates] == ["it's a lot tonight", "thank you"]
        with app.app_context():
            assert db.session.query(SafetyAlert).count() == 1


@pytest.fixture
def limited(app_config):
    """The room's event limits on (tests run with rate limits off otherwise)."""
    return {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}


class TestEveryBroadcastHasALimit:
    """3,000 reactions from one member were all broadcast to the room."""

    @pytest.fixture
    def app_config(self, limited):
        return limited

    def test_reactions_beyond_the_budget_are_refused_and_not_broadcast(self, room, app):
        alice, bob = room.join(room.alice), room.join(room.bob)
        sent = ack(
            bob, "message:send", {"session_id": room.session.id, "client_id": "m", "body": "hi"}
        )
        bob.get_received()
        answers = [
            ack(alice, "message:react", {"message_id": sent["message"]["id"], "kind": "heart"})
            for _ in range(60)
        ]
        codes = [a["ok"] if a["ok"] else a["error"]["code"] for a in answers]
        assert codes.count(True) == 30 and codes.count("rate_limited") == 30
        assert len(received(bob, "message:reactions")) == 30

    @pytest.mark.parametrize(
        ("event", "payload", "budget"),
        [
            ("typing", {"typing": False}, 20),
            ("hand:raise", {}, 10),
            ("support:request", {"note": ""}, 5),
            ("checkin:submit", {"moment": "arrival", "score": 3, "feelings": []}, 6),
        ],
    )
    def test_each_broadcasting_event_has_a_budget_per_person(self, room, event, payload, budget):
        alice = room.join(room.alice)
        answers = [
            ack(alice, event, {"session_id": room.session.id, **payload}) for _ in range(budget + 5)
        ]
        refused = [a for a in answers if not a["ok"] and a["error"]["code"] == "rate_limited"]
        assert len(refused) == 5
        assert all(a["ok"] or a["error"]["code"] != "rate_limited" for a in answers[:budget])

    def test_the_budget_is_per_person_across_their_sockets(self, room, socket_client):
        first, second = room.join(room.alice), room.join(room.alice)
        answers = [
            ack(sock, "hand:raise", {"session_id": room.session.id}) for sock in (first, second) * 8
        ]
        assert sum(1 for a in answers if a["ok"]) == 10
